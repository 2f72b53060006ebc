import {
    CommitError,
    EndorseError,
    type ErrorCode,
    ErrorCode as ErrorCodes,
    type ErrorDetail,
    GatewayError,
    GrpcStatus,
    type IdentityRef,
    SubmitError,
    ZhelianError,
} from '@zhelian/api';

/** The error body every gateway answer carries on failure. */
export interface ErrorBody {
    error?: {
        code?: string;
        message?: string;
        field?: string;
        transactionId?: string;
        validationCode?: number;
        blockNumber?: number;
        grpcStatus?: number;
        networkCode?: string;
        details?: ErrorDetail[];
    };
}

const KNOWN_CODES = new Set<string>(Object.values(ErrorCodes));

/**
 * The `@zhelian/api` error a gateway's error answer stands for, so that callers of the remote
 * backend branch on the same types and codes as on a local one: a commit failure is a
 * `CommitError` with its validation code, a chaincode refusal an `EndorseError` whose message keeps
 * the `E_…` code, a network error its `ZhelianError` code.
 */
export function errorFromAnswer(status: number, body: ErrorBody): Error {
    const error = body.error ?? {};
    const message = error.message ?? `the server answered ${status}`;
    if (error.validationCode !== undefined && error.transactionId !== undefined) {
        return new CommitError({
            transactionId: error.transactionId,
            code: error.validationCode,
            blockNumber: BigInt(error.blockNumber ?? 0),
            successful: false,
        });
    }
    const grpcStatus = error.grpcStatus ?? (status === 503 ? GrpcStatus.UNAVAILABLE : GrpcStatus.ABORTED);
    // With the peers' details, the message is fabric-gateway's: what failed, then what each peer said.
    const details = error.details ?? [];
    if (error.networkCode === ErrorCodes.ENDORSE_FAILED) {
        const summary = details.length > 0 ? `failed to endorse transaction ${error.transactionId}` : message;
        return new EndorseError(error.transactionId ?? '', grpcStatus, summary, details);
    }
    if (error.networkCode === ErrorCodes.SUBMIT_FAILED) {
        const summary = details.length > 0 ? `failed to submit transaction ${error.transactionId}` : message;
        return new SubmitError(error.transactionId ?? '', grpcStatus, summary, details);
    }
    const code = error.networkCode ?? error.code ?? '';
    if (KNOWN_CODES.has(code)) {
        return new ZhelianError(code as ErrorCode, message);
    }
    return new GatewayError(ErrorCodes.GATEWAY_FAILED, grpcStatus, `${error.code ?? status}: ${message}`);
}

export interface RequestOptions {
    /** The identity to act as (`X-Zhelian-Identity`). */
    as?: IdentityRef;
    body?: unknown;
    query?: Record<string, string | number | undefined>;
    signal?: AbortSignal;
}

/**
 * HTTP to one gateway: its URL, the bearer token, JSON in and out, and errors as `@zhelian/api`
 * errors.
 */
export class ServerClient {
    readonly url: string;
    readonly #token: string | undefined;

    constructor(url: string, token: string | undefined) {
        this.url = url.replace(/\/+$/, '');
        this.#token = token;
    }

    headers(as?: IdentityRef): Record<string, string> {
        return {
            ...(this.#token ? { Authorization: `Bearer ${this.#token}` } : {}),
            ...(as ? { 'X-Zhelian-Identity': `${as.mspId}:${as.name}` } : {}),
        };
    }

    urlOf(route: string, query: RequestOptions['query'] = {}): string {
        const url = new URL(`${this.url}${route}`);
        for (const [key, value] of Object.entries(query)) {
            if (value !== undefined) {
                url.searchParams.set(key, String(value));
            }
        }
        return url.toString();
    }

    /** The parsed answer of a successful request; an error answer is thrown as the `@zhelian/api` error. */
    async request<T>(method: string, route: string, options: RequestOptions = {}): Promise<T> {
        const { status, body } = await this.#send(method, route, options);
        if (status >= 400) {
            throw errorFromAnswer(status, (body ?? {}) as ErrorBody);
        }
        return body as T;
    }

    /** Like {@link request} for a GET, but `undefined` when the server answers 404 with `notFoundCode`. */
    async find<T>(route: string, notFoundCode: string, options: RequestOptions = {}): Promise<T | undefined> {
        const { status, body } = await this.#send('GET', route, options);
        if (status === 404 && (body as ErrorBody | undefined)?.error?.code === notFoundCode) {
            return undefined;
        }
        if (status >= 400) {
            throw errorFromAnswer(status, (body ?? {}) as ErrorBody);
        }
        return body as T;
    }

    async #send(method: string, route: string, options: RequestOptions): Promise<{ status: number; body: unknown }> {
        let response: Response;
        try {
            response = await fetch(this.urlOf(route, options.query), {
                method,
                headers: {
                    ...this.headers(options.as),
                    ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
                },
                ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
                ...(options.signal ? { signal: options.signal } : {}),
            });
        } catch (err) {
            throw new GatewayError(
                ErrorCodes.GATEWAY_FAILED,
                GrpcStatus.UNAVAILABLE,
                `the Zhelian server at ${this.url} does not answer (${(err as Error).message})`,
                [],
                { cause: err },
            );
        }
        const text = await response.text();
        try {
            return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
        } catch {
            return { status: response.status, body: { error: { message: text.slice(0, 200) } } };
        }
    }
}
