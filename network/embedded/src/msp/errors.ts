import { ErrorCode, ZhelianError } from '@zhelian/api';

/**
 * Errors of the membership service. Each carries a stable `code` so callers (the gateway maps
 * them to HTTP statuses) branch on type or code, never on message text.
 */
export abstract class MembershipError extends ZhelianError {}

/** No identity of that name in that organization. */
export class UnknownIdentityError extends MembershipError {
    constructor(
        readonly mspId: string,
        readonly identityName: string,
    ) {
        super(ErrorCode.UNKNOWN_IDENTITY, `No identity named "${identityName}" in organization ${mspId}`);
    }
}

/** The MSP ID is not one of the network's organizations. */
export class UnknownOrganizationError extends MembershipError {
    constructor(readonly mspId: string) {
        super(ErrorCode.UNKNOWN_ORGANIZATION, `No organization with MSP ID "${mspId}" on this network`);
    }
}

/** An enrollment asked for a name that is already taken in that organization. */
export class DuplicateIdentityError extends MembershipError {
    constructor(
        readonly mspId: string,
        readonly identityName: string,
    ) {
        super(ErrorCode.DUPLICATE_IDENTITY, `Organization ${mspId} already has an identity named "${identityName}"`);
    }
}

/** A name that cannot be an enrollment ID (it also names a directory on disk). */
export class InvalidIdentityNameError extends MembershipError {
    constructor(readonly identityName: string) {
        super(
            ErrorCode.INVALID_IDENTITY_NAME,
            `"${identityName}" is not a valid identity name: use letters, digits, "_", "-" or "." ` +
                '(not first), at most 64 characters',
        );
    }
}

/** A transaction creator or endorser that this network's MSPs do not vouch for. */
export class InvalidCreatorError extends MembershipError {
    constructor(
        readonly mspId: string,
        reason: string,
        options?: ErrorOptions,
    ) {
        super(ErrorCode.INVALID_CREATOR, `Identity claimed for MSP "${mspId}" is not valid: ${reason}`, options);
    }
}

/** Persisted credentials that cannot be used: unreadable PEM, or a key that does not match its certificate. */
export class CorruptCredentialsError extends MembershipError {
    constructor(
        readonly path: string,
        reason: string,
        options?: ErrorOptions,
    ) {
        super(ErrorCode.CORRUPT_CREDENTIALS, `Credentials in ${path} cannot be used: ${reason}`, options);
    }
}

/** A requested certificate attribute that only the CA itself may set (Fabric CA reserves `hf.*`). */
export class ReservedAttributeError extends MembershipError {
    constructor(
        readonly attribute: string,
        readonly identityName: string,
    ) {
        super(
            ErrorCode.RESERVED_ATTRIBUTE,
            `Attribute "${attribute}" requested for "${identityName}" is reserved: names starting with "hf." are set by the CA`,
        );
    }
}
