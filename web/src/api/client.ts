import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { session } from '../state/session';

/** The gateway's error body: a stable code (the chaincode's `E_…` when it refused) and a sentence. */
export type ApiErrorBody = components['schemas']['Error']['error'];

type IssueOutcome = paths['/api/einvoice/issueReceipt']['post']['responses'][200]['content']['application/json'];

/** What every submitted transaction answers once its block commits (the same shape for each route). */
export type TransactionOutcome = Omit<IssueOutcome, 'result' | 'event'> & {
    result: unknown;
    event: { name: string; payload: unknown } | null;
};

/** A request the gateway refused (or could not be made): the status and the gateway's error. */
export class ApiFailure extends Error {
    constructor(
        readonly status: number,
        readonly body: ApiErrorBody,
    ) {
        super(`${body.code}: ${body.message}`);
    }

    /** A chaincode refusal: its code is the contract's `E_…`. */
    get isRefusal(): boolean {
        return this.body.code.startsWith('E_');
    }
}

/** Who the request is: a bearer token where the server wants one, and the identity acting. */
export function authHeaders(actAs = true): Record<string, string> {
    const headers: Record<string, string> = {};
    if (session.token) {
        headers.Authorization = `Bearer ${session.token}`;
    }
    if (actAs && session.identity) {
        headers['X-Zhelian-Identity'] = session.identity;
    }
    return headers;
}

const identityMiddleware: Middleware = {
    onRequest({ request }) {
        for (const [name, value] of Object.entries(authHeaders())) {
            request.headers.set(name, value);
        }
        return request;
    },
};

/** The typed client of the gateway's fixed routes (same origin: the gateway serves this UI). */
export const api = createClient<paths>({ baseUrl: '' });
api.use(identityMiddleware);

/** The body of an answer, or an {@link ApiFailure} with the gateway's error. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
    const { data, error, response } = await call;
    if (data === undefined || !response.ok) {
        throw failureOf(response.status, error);
    }
    return data;
}

function failureOf(status: number, error: unknown): ApiFailure {
    const body = (error as { error?: ApiErrorBody } | undefined)?.error;
    return new ApiFailure(status, body ?? { code: `HTTP_${status}`, message: String(error ?? status) });
}

/**
 * Calls a route the gateway generated from the chaincode's metadata: `POST /api/<contract>/<fn>`
 * for a submit (answers with the committed transaction), `GET` with the arguments in the query for
 * an evaluation (answers `{result}`).
 */
export async function callTransaction(
    contract: string,
    fn: string,
    submit: boolean,
    args: Record<string, unknown>,
    transient?: Record<string, unknown>,
): Promise<TransactionOutcome | { result: unknown }> {
    const path = `/api/${encodeURIComponent(contract)}/${encodeURIComponent(fn)}`;
    const headers = authHeaders();
    let response: Response;
    if (submit) {
        const body = { ...(Object.keys(args).length > 0 ? { args } : {}), ...(transient ? { transient } : {}) };
        response = await fetch(path, {
            method: 'POST',
            headers: { ...headers, 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
        });
    } else {
        const query = new URLSearchParams(Object.entries(args).map(([key, value]) => [key, String(value)]));
        response = await fetch(`${path}${query.size > 0 ? `?${query}` : ''}`, { headers });
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
        throw failureOf(response.status, body);
    }
    return body as TransactionOutcome | { result: unknown };
}

/** Whether an answer is a committed transaction (rather than an evaluation). */
export function isOutcome(answer: unknown): answer is TransactionOutcome {
    return typeof answer === 'object' && answer !== null && 'txId' in answer && 'blockNumber' in answer;
}

/**
 * Any transaction through the gateway's generic route, `POST /api/chaincode/{chaincode}/{fn}`:
 * positional arguments, and optionally the organizations whose peers endorse (or evaluate).
 */
export async function callGeneric(
    chaincode: string,
    fn: string,
    args: unknown[],
    options: { submit: boolean; transient?: Record<string, unknown>; endorsingOrganizations?: string[] },
): Promise<TransactionOutcome | { result: unknown }> {
    const { data, error, response } = await api.POST('/api/chaincode/{chaincode}/{fn}', {
        params: { path: { chaincode, fn } },
        body: {
            args: args as (string | number)[],
            submit: options.submit,
            ...(options.transient ? { transient: options.transient as Record<string, string> } : {}),
            ...(options.endorsingOrganizations ? { endorsingOrganizations: options.endorsingOrganizations } : {}),
        },
    });
    if (data === undefined || !response.ok) {
        throw failureOf(response.status, error);
    }
    return data as TransactionOutcome | { result: unknown };
}
