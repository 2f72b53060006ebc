import type { ErrorDetail } from '@zhelian/api';

/** What the gateway adds to an error's code and sentence, where it applies. */
export interface ErrorExtras {
    /** The request field at fault: `args.claimFen`, `code` (a query or path parameter), `file`. */
    field?: string;
    /** The transaction the network refused or judged invalid. */
    transactionId?: string;
    /** Fabric's `TxValidationCode` of a transaction that was ordered and judged invalid. */
    validationCode?: number;
    validationCodeName?: string;
    /** The block that holds a transaction judged invalid. */
    blockNumber?: number;
    /** The gRPC status a Fabric gateway gave a failed request. */
    grpcStatus?: number;
    /** The stable `@zhelian/api` code of a network error (`ENDORSE_FAILED`, `COMMIT_FAILED`, …). */
    networkCode?: string;
    /** What each peer said. */
    details?: readonly ErrorDetail[];
}

/** Every error response: `{ "error": { "code", "message", "field"?, … } }`; never a stack trace. */
export interface ErrorBody {
    error: { code: string; message: string } & ErrorExtras;
}

/**
 * An answer the gateway gives instead of a result: an HTTP status, a stable code (a chaincode's
 * `E_…` code where the chaincode refused), a sentence for people, and what else applies.
 *
 * ```ts
 * throw new HttpError(404, 'BLOCK_NOT_FOUND', `block ${n} is not on the ledger: its height is ${height}`);
 * ```
 */
export class HttpError extends Error {
    readonly status: number;
    readonly code: string;
    readonly extras: ErrorExtras;
    /** Response headers that go with it, e.g. `Retry-After`. */
    readonly headers: Readonly<Record<string, string>>;

    constructor(
        status: number,
        code: string,
        message: string,
        extras: ErrorExtras = {},
        headers: Record<string, string> = {},
    ) {
        super(message);
        this.name = 'HttpError';
        this.status = status;
        this.code = code;
        this.extras = extras;
        this.headers = headers;
    }

    toBody(): ErrorBody {
        return { error: { code: this.code, message: this.message, ...this.extras } };
    }
}

export function badRequest(code: string, message: string, field?: string): HttpError {
    return new HttpError(400, code, message, field === undefined ? {} : { field });
}
