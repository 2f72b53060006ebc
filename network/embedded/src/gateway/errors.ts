/**
 * Errors of the client API, shaped like `@hyperledger/fabric-gateway`'s so callers can branch on
 * the class: the transaction could not be endorsed, not be ordered, or committed as invalid.
 */

/** What one peer said when it refused or failed an endorsement. */
export interface ErrorDetail {
    address: string;
    mspId: string;
    message: string;
}

/** gRPC-style status codes that fabric-gateway reports. */
export const GrpcStatus = {
    ABORTED: 10,
    INVALID_ARGUMENT: 3,
    NOT_FOUND: 5,
    UNAVAILABLE: 14,
    FAILED_PRECONDITION: 9,
} as const;

export class GatewayError extends Error {
    readonly code: number;
    readonly details: ErrorDetail[];

    constructor(code: number, message: string, details: ErrorDetail[] = []) {
        super(
            details.length > 0 ? `${message}: ${details.map((d) => `${d.mspId}: ${d.message}`).join('; ')}` : message,
        );
        this.name = new.target.name;
        this.code = code;
        this.details = details;
    }
}

/** The proposal was not endorsed: a chaincode refused it, or endorsers disagreed. */
export class EndorseError extends GatewayError {
    readonly transactionId: string;

    constructor(transactionId: string, code: number, message: string, details: ErrorDetail[] = []) {
        super(code, message, details);
        this.transactionId = transactionId;
    }
}

/** The endorsed transaction could not be handed to the orderer. */
export class SubmitError extends GatewayError {
    readonly transactionId: string;

    constructor(transactionId: string, code: number, message: string) {
        super(code, message);
        this.transactionId = transactionId;
    }
}

/** The transaction was ordered into a block but the committer judged it invalid. */
export class CommitError extends Error {
    readonly transactionId: string;
    /** Fabric's TxValidationCode. */
    readonly code: number;
    readonly blockNumber: bigint;

    constructor(transactionId: string, code: number, codeName: string, blockNumber: bigint) {
        super(
            `Transaction ${transactionId} failed to commit with status code ${code} (${codeName}) in block ${blockNumber}`,
        );
        this.name = 'CommitError';
        this.transactionId = transactionId;
        this.code = code;
        this.blockNumber = blockNumber;
    }
}
