import type { Status } from './client/submitted-transaction';
import { validationCodeName } from './validation-code';

/**
 * Every error Zhelian's networks raise is a {@link ZhelianError} with one of these stable codes.
 * Callers (the CLI, the gateway mapping errors to HTTP statuses) branch on `code`, never on the
 * message, which is a sentence for people.
 */
export const ErrorCode = Object.freeze({
    // A transaction's way through the network, as fabric-gateway reports it.
    /** A peer refused or failed the proposal, or the endorsers' results differ. */
    ENDORSE_FAILED: 'ENDORSE_FAILED',
    /**
     * The peers refused the proposal's creator before running any chaincode: a certificate that
     * is expired, not issued by the organization's CA, or a signature that is not the creator's
     * (Fabric's "access denied").
     */
    ACCESS_DENIED: 'ACCESS_DENIED',
    /** The endorsed transaction could not be handed to the orderer. */
    SUBMIT_FAILED: 'SUBMIT_FAILED',
    /** The transaction was ordered, and the committing peers judged it invalid. */
    COMMIT_FAILED: 'COMMIT_FAILED',
    /** A request the network could not serve at all: unknown channel, unreachable peer. */
    GATEWAY_FAILED: 'GATEWAY_FAILED',

    // Identities.
    UNKNOWN_IDENTITY: 'UNKNOWN_IDENTITY',
    UNKNOWN_ORGANIZATION: 'UNKNOWN_ORGANIZATION',
    DUPLICATE_IDENTITY: 'DUPLICATE_IDENTITY',
    INVALID_IDENTITY_NAME: 'INVALID_IDENTITY_NAME',
    RESERVED_ATTRIBUTE: 'RESERVED_ATTRIBUTE',
    INVALID_CREATOR: 'INVALID_CREATOR',
    CORRUPT_CREDENTIALS: 'CORRUPT_CREDENTIALS',

    // Endorsement policies.
    POLICY_SYNTAX: 'POLICY_SYNTAX',
    INVALID_POLICY: 'INVALID_POLICY',
    UNSATISFIABLE_POLICY: 'UNSATISFIABLE_POLICY',

    // Chaincode and its deployment.
    CHAINCODE_NOT_DEPLOYED: 'CHAINCODE_NOT_DEPLOYED',
    INVALID_CHAINCODE_PACKAGE: 'INVALID_CHAINCODE_PACKAGE',
    /** A chaincode definition `_lifecycle` refuses: name, version, sequence, a redefinition. */
    INVALID_CHAINCODE_DEFINITION: 'INVALID_CHAINCODE_DEFINITION',
    /** The package is not installed on the organization's peer (Fabric: "chaincode is not installed"). */
    CHAINCODE_NOT_INSTALLED: 'CHAINCODE_NOT_INSTALLED',
    CHAINCODE_ALREADY_INSTALLED: 'CHAINCODE_ALREADY_INSTALLED',
    /** Too few organizations approved a definition to commit it, or this one's org has not approved it. */
    DEFINITION_NOT_APPROVED: 'DEFINITION_NOT_APPROVED',
    INVALID_COLLECTIONS: 'INVALID_COLLECTIONS',
    CHAINCODE_START_FAILED: 'CHAINCODE_START_FAILED',
    CHAINCODE_TIMEOUT: 'CHAINCODE_TIMEOUT',
    CHAINCODE_CRASHED: 'CHAINCODE_CRASHED',
    CHAINCODE_EXECUTION_FAILED: 'CHAINCODE_EXECUTION_FAILED',
    CHAINCODE_DUPLICATE_EXECUTION: 'CHAINCODE_DUPLICATE_EXECUTION',
    CHAINCODE_CLOSED: 'CHAINCODE_CLOSED',
    /** A shim call the peer refuses during simulation (e.g. a write after a paginated query). */
    SIMULATION_REFUSED: 'SIMULATION_REFUSED',

    // The network's own configuration and data.
    INVALID_TOPOLOGY: 'INVALID_TOPOLOGY',
    CHANNEL_MISMATCH: 'CHANNEL_MISMATCH',
    /** The data dir cannot be opened or read for a reason other than the two below (e.g. permissions). */
    DATA_DIR_UNAVAILABLE: 'DATA_DIR_UNAVAILABLE',
    /**
     * The data dir was written by another version of Zhelian in a format this one cannot open (a
     * newer one, or one too old to migrate): the message says what to do.
     */
    DATA_DIR_FORMAT: 'DATA_DIR_FORMAT',
    /** Another process (or another open ledger in this one) holds the data dir's LevelDB lock. */
    DATA_DIR_LOCKED: 'DATA_DIR_LOCKED',
    /**
     * LevelDB found its files corrupt (checksums, a dropped log record, an unreadable table): the
     * ledger refuses to endorse and commit until it is rebuilt or restored.
     */
    DATA_DIR_CORRUPT: 'DATA_DIR_CORRUPT',
    /**
     * The ledger's own records disagree (chain tail and savepoint, world state and blocks, an
     * interrupted rebuild): it refuses to endorse and commit until it is rebuilt or restored.
     */
    LEDGER_DAMAGED: 'LEDGER_DAMAGED',
    /** A block number beyond the chain's height. */
    BLOCK_NOT_FOUND: 'BLOCK_NOT_FOUND',
    /** A block was tampered with on purpose (for teaching) and not yet restored: undo it first. */
    TAMPER_PENDING: 'TAMPER_PENDING',
    /** The block holds no written value whose byte a tampering could change. */
    NOTHING_TO_TAMPER: 'NOTHING_TO_TAMPER',
    /** Undo asked for, and no block is tampered with. */
    NO_TAMPER: 'NO_TAMPER',
    /** The data dir holds no ledger, and the command may not set one up. */
    NO_LEDGER: 'NO_LEDGER',
    /** The backend cannot do this (e.g. deploy from a directory on a network run elsewhere). */
    NOT_SUPPORTED: 'NOT_SUPPORTED',
    /** A configuration value names no known backend or option. */
    INVALID_CONFIGURATION: 'INVALID_CONFIGURATION',
} as const);

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The one error family: a stable {@link ErrorCode}, a sentence that names what is involved, and
 * the cause when there is one.
 *
 * ```ts
 * try {
 *     await backend.enroll('MemberMSP', 'learner01');
 * } catch (err) {
 *     if (err instanceof ZhelianError && err.code === ErrorCode.DUPLICATE_IDENTITY) { … }
 * }
 * ```
 */
export class ZhelianError extends Error {
    readonly code: ErrorCode;

    constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
        super(message, options);
        this.name = new.target.name;
        this.code = code;
    }
}

/** What one peer said when it refused or failed a request, as fabric-gateway's `ErrorDetail`. */
export interface ErrorDetail {
    address: string;
    mspId: string;
    message: string;
}

/** gRPC status codes, as a Fabric gateway reports them on its errors. */
export const GrpcStatus = Object.freeze({
    /** A chaincode's error on evaluate, as Fabric's gateway reports it. */
    UNKNOWN: 2,
    INVALID_ARGUMENT: 3,
    NOT_FOUND: 5,
    FAILED_PRECONDITION: 9,
    ABORTED: 10,
    UNAVAILABLE: 14,
} as const);

/**
 * A request the gateway could not serve, with what each peer said. Mirrors fabric-gateway's
 * `GatewayError`, whose numeric `code` is the gRPC status: here that is `grpcStatus`, and `code`
 * is the stable Zhelian code.
 */
export class GatewayError extends ZhelianError {
    readonly grpcStatus: number;
    readonly details: readonly ErrorDetail[];
    /** The gateway's own words, without the details that `message` appends (a gRPC status message). */
    readonly reason: string;

    constructor(
        code: ErrorCode,
        grpcStatus: number,
        message: string,
        details: readonly ErrorDetail[] = [],
        options?: ErrorOptions,
    ) {
        super(
            code,
            details.length > 0 ? `${message}: ${details.map((d) => `${d.mspId}: ${d.message}`).join('; ')}` : message,
            options,
        );
        this.grpcStatus = grpcStatus;
        this.details = details;
        this.reason = message;
    }
}

/** The proposal was not endorsed: a chaincode refused it, or the endorsers disagreed. */
export class EndorseError extends GatewayError {
    readonly transactionId: string;

    constructor(
        transactionId: string,
        grpcStatus: number,
        message: string,
        details: readonly ErrorDetail[] = [],
        code: typeof ErrorCode.ENDORSE_FAILED | typeof ErrorCode.ACCESS_DENIED = ErrorCode.ENDORSE_FAILED,
    ) {
        super(code, grpcStatus, message, details);
        this.transactionId = transactionId;
    }
}

/** The endorsed transaction could not be handed to the orderer. */
export class SubmitError extends GatewayError {
    readonly transactionId: string;

    constructor(transactionId: string, grpcStatus: number, message: string, details: readonly ErrorDetail[] = []) {
        super(ErrorCode.SUBMIT_FAILED, grpcStatus, message, details);
        this.transactionId = transactionId;
    }
}

/**
 * The transaction was ordered into a block and the committing peers judged it invalid, e.g.
 * `MVCC_READ_CONFLICT` after a concurrent transaction changed what it read. Made with
 * {@link commitError}.
 */
export class CommitError extends ZhelianError {
    readonly transactionId: string;
    /** Fabric's `TxValidationCode` (fabric-gateway's `CommitError.code`). */
    readonly validationCode: number;
    /** Its Fabric name, e.g. `ENDORSEMENT_POLICY_FAILURE`. */
    readonly validationCodeName: string;
    readonly blockNumber: bigint;

    constructor(status: Status) {
        const name = validationCodeName(status.code);
        super(
            ErrorCode.COMMIT_FAILED,
            `Transaction ${status.transactionId} failed to commit with status code ${status.code} (${name}) in block ${status.blockNumber}`,
        );
        this.transactionId = status.transactionId;
        this.validationCode = status.code;
        this.validationCodeName = name;
        this.blockNumber = status.blockNumber;
    }
}

/**
 * The error for an unsuccessful commit status. Every backend and client uses this one factory,
 * so `submit` and the CLI report a failed commit alike.
 *
 * ```ts
 * const status = await submitted.getStatus();
 * if (!status.successful) throw commitError(status);
 * ```
 */
export function commitError(status: Status): CommitError {
    return new CommitError(status);
}

/** The backend lacks an optional capability, e.g. `deploy` on a network whose peers run elsewhere. */
export function notSupported(capability: string, backend: string): ZhelianError {
    return new ZhelianError(ErrorCode.NOT_SUPPORTED, `The ${backend} network does not support ${capability}`);
}

const CHAINCODE_CODE = /\bE_[A-Z][A-Z0-9_]*\b/;

/**
 * The chaincode's own refusal code (`E_ALREADY_REIMBURSED`, …) carried by an error, or
 * `undefined` when the error is not a chaincode refusal. Reads Zhelian's errors and
 * `@hyperledger/fabric-gateway`'s alike: the code is in a peer's detail message (endorsement)
 * or, for an evaluation answered by the peer itself, in the message.
 *
 * ```ts
 * catch (err) {
 *     if (chaincodeErrorCode(err) === 'E_ALREADY_REIMBURSED') { … }
 * }
 * ```
 */
export function chaincodeErrorCode(err: unknown): string | undefined {
    for (const message of messagesOf(err)) {
        const match = CHAINCODE_CODE.exec(message);
        if (match) {
            return match[0];
        }
    }
    return undefined;
}

/** An error's peer detail messages (Zhelian's and fabric-gateway's `details`), then its own message. */
function messagesOf(err: unknown): string[] {
    if (!(err instanceof Error)) {
        return [];
    }
    const details = (err as { details?: unknown }).details;
    const messages = Array.isArray(details)
        ? details.map((detail) => String((detail as { message?: unknown }).message ?? ''))
        : [];
    return [...messages, err.message];
}

/**
 * A peer's refusal of a chaincode's private data call, in Fabric's own words (the embedded
 * ledger uses the same): the peer holds only the hash of the value asked for (a peer outside the
 * collection, or a member that lacks it), or the collection is member-only and the client's
 * organization is not a member.
 */
export type PrivateDataRefusal = 'PRIVATE_DATA_UNAVAILABLE' | 'PRIVATE_DATA_READ_DENIED' | 'PRIVATE_DATA_WRITE_DENIED';

/** Fabric's peer says these, from its query executor and its chaincode handler. */
const PRIVATE_DATA_REFUSALS: readonly [RegExp, PrivateDataRefusal][] = [
    [/private data matching public hash version is not available/, 'PRIVATE_DATA_UNAVAILABLE'],
    [/tx creator does not have read access permission on privatedata/, 'PRIVATE_DATA_READ_DENIED'],
    [/tx creator does not have write access permission on privatedata/, 'PRIVATE_DATA_WRITE_DENIED'],
];

/**
 * Which private data refusal of a peer an error carries, if any, read as {@link chaincodeErrorCode}
 * reads a chaincode's code: from a peer's detail message or the error's own. A chaincode that
 * gives the refusal a code of its own (`E_…`) is answered by that code instead.
 *
 * ```ts
 * catch (err) {
 *     if (privateDataRefusal(err) === 'PRIVATE_DATA_UNAVAILABLE') { … ask a member organization's peer … }
 * }
 * ```
 */
export function privateDataRefusal(err: unknown): PrivateDataRefusal | undefined {
    for (const message of messagesOf(err)) {
        const found = PRIVATE_DATA_REFUSALS.find(([words]) => words.test(message));
        if (found) {
            return found[1];
        }
    }
    return undefined;
}
