/**
 * Errors of the membership service. Each carries a stable `code` so callers (the gateway maps
 * them to HTTP statuses) branch on type or code, never on message text.
 */
export abstract class MembershipError extends Error {
    abstract readonly code: string;

    constructor(message: string, options?: ErrorOptions) {
        super(message, options);
        this.name = new.target.name;
    }
}

/** No identity of that name in that organization. */
export class UnknownIdentityError extends MembershipError {
    readonly code = 'UNKNOWN_IDENTITY';

    constructor(
        readonly mspId: string,
        readonly identityName: string,
    ) {
        super(`No identity named "${identityName}" in organization ${mspId}`);
    }
}

/** The MSP ID is not one of the network's organizations. */
export class UnknownOrganizationError extends MembershipError {
    readonly code = 'UNKNOWN_ORGANIZATION';

    constructor(readonly mspId: string) {
        super(`No organization with MSP ID "${mspId}" on this network`);
    }
}

/** An enrollment asked for a name that is already taken in that organization. */
export class DuplicateIdentityError extends MembershipError {
    readonly code = 'DUPLICATE_IDENTITY';

    constructor(
        readonly mspId: string,
        readonly identityName: string,
    ) {
        super(`Organization ${mspId} already has an identity named "${identityName}"`);
    }
}

/** A name that cannot be an enrollment ID (it also names a directory on disk). */
export class InvalidIdentityNameError extends MembershipError {
    readonly code = 'INVALID_IDENTITY_NAME';

    constructor(readonly identityName: string) {
        super(
            `"${identityName}" is not a valid identity name: use letters, digits, "_", "-" or "." ` +
                '(not first), at most 64 characters',
        );
    }
}

/** A transaction creator or endorser that this network's MSPs do not vouch for. */
export class InvalidCreatorError extends MembershipError {
    readonly code = 'INVALID_CREATOR';

    constructor(
        readonly mspId: string,
        reason: string,
        options?: ErrorOptions,
    ) {
        super(`Identity claimed for MSP "${mspId}" is not valid: ${reason}`, options);
    }
}

/** Persisted credentials that cannot be used: unreadable PEM, or a key that does not match its certificate. */
export class CorruptCredentialsError extends MembershipError {
    readonly code = 'CORRUPT_CREDENTIALS';

    constructor(
        readonly path: string,
        reason: string,
        options?: ErrorOptions,
    ) {
        super(`Credentials in ${path} cannot be used: ${reason}`, options);
    }
}

/** A requested certificate attribute that only the CA itself may set (Fabric CA reserves `hf.*`). */
export class ReservedAttributeError extends MembershipError {
    readonly code = 'RESERVED_ATTRIBUTE';

    constructor(
        readonly attribute: string,
        readonly identityName: string,
    ) {
        super(
            `Attribute "${attribute}" requested for "${identityName}" is reserved: names starting with "hf." are set by the CA`,
        );
    }
}
