import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Access, Authorized } from '../auth/access';
import { badRequest, HttpError } from './http-error';
import type { JsonSchema, RequestSchema } from './schema';

export type Method = 'get' | 'post' | 'delete';

/** One documented response of a route. */
export interface ResponseDoc {
    description: string;
    schema?: JsonSchema;
    /** Default `application/json`. */
    contentType?: string;
}

/** What a handler works with: the validated request parts and who is calling. */
export interface RouteContext<P, Q, B> extends Authorized {
    req: Request;
    res: Response;
    params: P;
    query: Q;
    body: B;
}

/** A status other than 200, with its body. */
export class Reply {
    constructor(
        readonly status: number,
        readonly body: unknown,
    ) {}
}

/**
 * A route as one declaration: method and path, who may call it, the schemas of its path, query and
 * body, its responses, and its handler. The same declaration mounts the Express handler (which
 * validates with the schemas) and becomes the route's OpenAPI operation, so the API document is
 * exactly what the server does.
 */
export interface RouteDefinition<P = Record<string, never>, Q = Record<string, never>, B = undefined> {
    method: Method;
    /** Express syntax, `/api/explorer/blocks/:number`; in OpenAPI `/api/explorer/blocks/{number}`. */
    path: string;
    operationId: string;
    summary: string;
    description?: string;
    tags: string[];
    access: Access;
    params?: RequestSchema<P>;
    query?: RequestSchema<Q>;
    body?: RequestSchema<B>;
    /** A request body the handler reads itself (a streamed upload), for the document only. */
    rawBody?: { contentType: string; schema: JsonSchema; description: string };
    /** Event streams take the token in `access_token` too: a browser's EventSource cannot send headers. */
    tokenInQuery?: boolean;
    /** A rate limit on top of the server's own, for routes anyone may call. */
    limit?: 'public' | 'upload';
    responses: Record<string, ResponseDoc>;
    /** Answers with the value (200 JSON) or a {@link Reply}; `undefined` when it wrote the response itself. */
    handle(context: RouteContext<P, Q, B>): Promise<unknown>;
}

/** A route with its types erased, as tables keep them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteDefinition<any, any, any>;

/** Declares a route, keeping its handler's types tied to its schemas. */
export function route<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
    definition: RouteDefinition<P, Q, B>,
): AnyRoute {
    return definition as AnyRoute;
}

/** What mounting needs from the server: access checks and rate limiters. */
export interface RouteServices {
    authorize(req: Request, access: Access, options: { tokenInQuery?: boolean }): Promise<Authorized>;
    limiter(kind: 'public' | 'upload'): RequestHandler;
    /** Parses a JSON body within the server's size limit. */
    jsonBody: RequestHandler;
}

function parsePart<T>(schema: RequestSchema<T> | undefined, value: unknown, where: string): T {
    if (!schema) {
        return {} as T;
    }
    const parsed = schema.parse(value);
    if (!parsed.ok) {
        throw badRequest('BAD_REQUEST', `${where}: ${parsed.message}`, parsed.field || undefined);
    }
    return parsed.value;
}

/** Refuses a body that is not JSON before it is read: a form or text body would otherwise look empty. */
function requireJson(req: Request, _res: Response, next: NextFunction): void {
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (hasBody && !req.is('application/json')) {
        next(new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the request body as application/json'));
        return;
    }
    next();
}

function handlerOf(definition: AnyRoute, services: RouteServices): RequestHandler {
    return async (req, res, next) => {
        try {
            const authorized = await services.authorize(req, definition.access, {
                tokenInQuery: definition.tokenInQuery ?? false,
            });
            const params = parsePart(definition.params, req.params, 'path');
            const query = parsePart(definition.query, withoutToken(req.query, definition), 'query');
            const body = definition.body ? parsePart(definition.body, req.body ?? {}, 'body') : undefined;
            const answer = await definition.handle({ ...authorized, req, res, params, query, body });
            if (answer === undefined || res.headersSent) {
                return;
            }
            if (answer instanceof Reply) {
                res.status(answer.status).json(answer.body);
            } else {
                res.json(answer);
            }
        } catch (err) {
            next(err);
        }
    };
}

function withoutToken(query: Request['query'], definition: AnyRoute): unknown {
    if (!definition.tokenInQuery) {
        return query;
    }
    return Object.fromEntries(Object.entries(query).filter(([key]) => key !== 'access_token'));
}

/**
 * The routes of one part of the API, declared with {@link route}: mounted on a router, and listed
 * for the OpenAPI document.
 */
export class RouteTable {
    readonly routes: AnyRoute[] = [];

    add(...routes: AnyRoute[]): this {
        this.routes.push(...routes);
        return this;
    }

    /** A router serving every route of the table. */
    router(services: RouteServices): Router {
        const router = express.Router();
        for (const definition of this.routes) {
            const chain: RequestHandler[] = [];
            if (definition.limit) {
                chain.push(services.limiter(definition.limit));
            }
            if (definition.body) {
                chain.push(requireJson, services.jsonBody);
            }
            chain.push(handlerOf(definition, services));
            router[definition.method](definition.path, ...chain);
        }
        return router;
    }
}
