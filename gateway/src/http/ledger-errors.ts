import {
    chaincodeErrorCode,
    CommitError,
    EndorseError,
    ErrorCode,
    GatewayError,
    GrpcStatus,
    type PrivateDataRefusal,
    privateDataRefusal,
    TxValidationCode,
    ZhelianError,
} from '@zhelian/api';
import { HttpError } from './http-error';

/**
 * HTTP statuses for the chaincode's refusal codes, by family. The codes are the chaincode's API
 * (`chaincode/src/lib/errors.ts` and each contract's `rules.ts`) and new ones appear as contracts
 * grow, so a code not named here is a conflict with the ledger's state or rules: 409.
 *
 * | status | codes |
 * |---|---|
 * | 400 | `E_BAD_INPUT`, `E_ARGUMENT_COUNT`: the request itself is malformed |
 * | 403 | `E_FORBIDDEN` and codes that say who may act: `E_NOT_HOLDER`, `E_NOT_RECIPIENT`, `E_NO_CONSENT`, `E_SELF_CONFIRM` |
 * | 404 | `E_NOT_FOUND`, `E_UNKNOWN_CONTRACT`, `E_UNKNOWN_TRANSACTION`, `E_VERIFY_FAILED` (no receipt matches), `E_NO_ACCOUNT` |
 * | 500 | `E_INTERNAL`: a bug in the chaincode |
 * | 409 | every other code: `E_ALREADY_REIMBURSED`, `E_EXISTS`, `E_BAD_STATE`, `E_FROZEN`, … |
 */
export const CHAINCODE_STATUS: Readonly<Record<number, readonly string[]>> = {
    400: ['E_BAD_INPUT', 'E_ARGUMENT_COUNT'],
    403: ['E_FORBIDDEN', 'E_NOT_HOLDER', 'E_NOT_RECIPIENT', 'E_NO_CONSENT', 'E_SELF_CONFIRM'],
    404: ['E_NOT_FOUND', 'E_UNKNOWN_CONTRACT', 'E_UNKNOWN_TRANSACTION', 'E_VERIFY_FAILED', 'E_NO_ACCOUNT'],
    500: ['E_INTERNAL'],
};

const STATUS_OF_CHAINCODE_CODE = new Map(
    Object.entries(CHAINCODE_STATUS).flatMap(([status, codes]) => codes.map((code) => [code, Number(status)])),
);

/** The status of a chaincode refusal code: its family's, else 409. */
export function chaincodeStatus(code: string): number {
    return STATUS_OF_CHAINCODE_CODE.get(code) ?? 409;
}

/**
 * A peer's refusal of a private data call: the peer holds only the value's hash (404: the data is
 * not on that peer; ask a member organization's), or the client's organization is not a member of
 * a member-only collection (403).
 */
const PRIVATE_DATA_STATUS: Readonly<Record<PrivateDataRefusal, number>> = {
    PRIVATE_DATA_UNAVAILABLE: 404,
    PRIVATE_DATA_READ_DENIED: 403,
    PRIVATE_DATA_WRITE_DENIED: 403,
};

/** Statuses of the network's own errors (`@zhelian/api`'s `ErrorCode`) that are not about one transaction. */
const NETWORK_STATUS: Partial<Record<ErrorCode, number>> = {
    [ErrorCode.UNKNOWN_IDENTITY]: 404,
    [ErrorCode.UNKNOWN_ORGANIZATION]: 404,
    [ErrorCode.DUPLICATE_IDENTITY]: 409,
    [ErrorCode.INVALID_IDENTITY_NAME]: 400,
    [ErrorCode.RESERVED_ATTRIBUTE]: 400,
    [ErrorCode.INVALID_CREATOR]: 403,
    [ErrorCode.ACCESS_DENIED]: 403,
    [ErrorCode.POLICY_SYNTAX]: 400,
    [ErrorCode.INVALID_POLICY]: 400,
    [ErrorCode.UNSATISFIABLE_POLICY]: 409,
    [ErrorCode.CHAINCODE_NOT_DEPLOYED]: 404,
    [ErrorCode.INVALID_CHAINCODE_PACKAGE]: 400,
    [ErrorCode.INVALID_CHAINCODE_DEFINITION]: 400,
    [ErrorCode.CHAINCODE_NOT_INSTALLED]: 409,
    [ErrorCode.CHAINCODE_ALREADY_INSTALLED]: 409,
    [ErrorCode.DEFINITION_NOT_APPROVED]: 409,
    [ErrorCode.INVALID_COLLECTIONS]: 400,
    [ErrorCode.CHAINCODE_START_FAILED]: 502,
    [ErrorCode.CHAINCODE_TIMEOUT]: 504,
    [ErrorCode.CHAINCODE_CRASHED]: 502,
    [ErrorCode.CHAINCODE_EXECUTION_FAILED]: 502,
    [ErrorCode.CHAINCODE_DUPLICATE_EXECUTION]: 502,
    [ErrorCode.CHAINCODE_CLOSED]: 503,
    [ErrorCode.SIMULATION_REFUSED]: 409,
    [ErrorCode.DATA_DIR_UNAVAILABLE]: 503,
    [ErrorCode.DATA_DIR_LOCKED]: 503,
    [ErrorCode.DATA_DIR_CORRUPT]: 503,
    [ErrorCode.LEDGER_DAMAGED]: 503,
    [ErrorCode.NO_LEDGER]: 503,
    [ErrorCode.BLOCK_NOT_FOUND]: 404,
    [ErrorCode.TAMPER_PENDING]: 409,
    [ErrorCode.NOTHING_TO_TAMPER]: 409,
    [ErrorCode.NO_TAMPER]: 409,
    [ErrorCode.NOT_SUPPORTED]: 501,
    [ErrorCode.INVALID_CONFIGURATION]: 400,
    [ErrorCode.CHANNEL_MISMATCH]: 503,
    [ErrorCode.INVALID_TOPOLOGY]: 503,
};

/** Validation codes that mean "a concurrent transaction changed what this one read": retried, then 409. */
export const CONFLICT_CODES: readonly number[] = [
    TxValidationCode.MVCC_READ_CONFLICT,
    TxValidationCode.PHANTOM_READ_CONFLICT,
];

/**
 * The endorsing peers answered, and their results differ (Fabric's "ProposalResponsePayloads do
 * not match", ABORTED, with no peer failing): under concurrent commits peers at different heights
 * read different states, which a new endorsement resolves, as an MVCC conflict does; a
 * non-deterministic chaincode does it every time.
 */
export function isEndorsementMismatch(err: unknown): boolean {
    return (
        err instanceof EndorseError &&
        err.grpcStatus === GrpcStatus.ABORTED &&
        err.details.length === 0 &&
        chaincodeErrorCode(err) === undefined
    );
}

/** The chaincode's sentence from the first message carrying `code`: `E_X: what happened`. */
function chaincodeMessage(err: Error, code: string): string {
    const details = err instanceof GatewayError ? err.details.map((detail) => detail.message) : [];
    for (const message of [...details, err.message]) {
        const at = message.indexOf(code);
        if (at >= 0) {
            return message.slice(at);
        }
    }
    return err.message;
}

function commitHttpError(err: CommitError): HttpError {
    const extras = {
        transactionId: err.transactionId,
        validationCode: err.validationCode,
        validationCodeName: err.validationCodeName,
        blockNumber: Number(err.blockNumber),
        networkCode: err.code,
    };
    if (CONFLICT_CODES.includes(err.validationCode)) {
        return new HttpError(
            409,
            err.validationCodeName,
            `${err.message}: a concurrent transaction changed what it read, and it still conflicted after the gateway's retries; submit it again`,
            extras,
        );
    }
    if (err.validationCode === TxValidationCode.ENDORSEMENT_POLICY_FAILURE) {
        return new HttpError(
            409,
            err.validationCodeName,
            `${err.message}: its endorsements do not satisfy the endorsement policy (the chaincode's, or a key-level policy on a key it wrote); endorse on organizations that satisfy it`,
            extras,
        );
    }
    return new HttpError(409, err.validationCodeName, err.message, extras);
}

/** The transaction an endorse or submit error names. */
function transactionOf(err: Error): { transactionId?: string } {
    const { transactionId } = err as { transactionId?: unknown };
    return typeof transactionId === 'string' ? { transactionId } : {};
}

/**
 * The HTTP answer for anything a backend or the chaincode threw. A chaincode refusal keeps its
 * `E_…` code; a network error keeps its `@zhelian/api` code; anything else is a 500 whose message
 * reveals nothing (the request log has it).
 */
export function httpErrorOf(err: unknown): HttpError {
    if (err instanceof HttpError) {
        return err;
    }
    const chaincodeCode = chaincodeErrorCode(err);
    if (chaincodeCode && err instanceof Error) {
        return new HttpError(chaincodeStatus(chaincodeCode), chaincodeCode, chaincodeMessage(err, chaincodeCode), {
            ...(err instanceof ZhelianError ? { networkCode: err.code } : {}),
            ...transactionOf(err),
            ...(err instanceof GatewayError ? { grpcStatus: err.grpcStatus, details: err.details } : {}),
        });
    }
    const refusal = privateDataRefusal(err);
    if (refusal && err instanceof Error) {
        return new HttpError(PRIVATE_DATA_STATUS[refusal], refusal, err.message, {
            ...(err instanceof ZhelianError ? { networkCode: err.code } : {}),
            ...transactionOf(err),
            ...(err instanceof GatewayError ? { grpcStatus: err.grpcStatus, details: err.details } : {}),
        });
    }
    if (err instanceof CommitError) {
        return commitHttpError(err);
    }
    if (isEndorsementMismatch(err)) {
        const { transactionId } = err as EndorseError;
        return new HttpError(
            409,
            'ENDORSEMENTS_DIFFER',
            `${(err as Error).message}; it was endorsed again after the gateway's retries and still differed: either concurrent transactions keep changing what it reads (submit it again), or the chaincode is not deterministic`,
            { transactionId, networkCode: ErrorCode.ENDORSE_FAILED, grpcStatus: GrpcStatus.ABORTED },
        );
    }
    if (err instanceof GatewayError) {
        const unavailable = err.grpcStatus === GrpcStatus.UNAVAILABLE;
        const status = NETWORK_STATUS[err.code] ?? (unavailable ? 503 : 502);
        return new HttpError(status, err.code, err.message, {
            ...transactionOf(err),
            grpcStatus: err.grpcStatus,
            details: err.details,
        });
    }
    if (err instanceof ZhelianError) {
        return new HttpError(NETWORK_STATUS[err.code] ?? 500, err.code, err.message);
    }
    return new HttpError(500, 'INTERNAL', 'the gateway failed to answer; its log has the details');
}
