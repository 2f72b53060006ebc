import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpError } from './http-error';
import { httpErrorOf } from './ledger-errors';

/** body-parser's failures, by its `type`, as the gateway's errors. */
function bodyError(err: { type?: unknown; limit?: unknown }): HttpError | undefined {
    switch (err.type) {
        case 'entity.parse.failed':
            return new HttpError(400, 'MALFORMED_JSON', 'the request body is not valid JSON');
        case 'entity.too.large':
            return new HttpError(
                413,
                'BODY_TOO_LARGE',
                `the request body is larger than the limit of ${String(err.limit)} bytes`,
            );
        case 'encoding.unsupported':
        case 'charset.unsupported':
            return new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the request body as UTF-8 application/json');
        default:
            return undefined;
    }
}

/**
 * The last handler: every error becomes `{error: {code, message, …}}` with its status. A stack
 * trace never reaches a response; the request log keeps what went wrong.
 */
export const errorHandler: ErrorRequestHandler = (err, _req, res, next) => {
    if (res.headersSent) {
        next(err);
        return;
    }
    const error = bodyError(err as { type?: unknown }) ?? httpErrorOf(err);
    if (error.status >= 500) {
        // pino-http logs the error with the request.
        res.err = err as Error;
    }
    res.status(error.status).set(error.headers).json(error.toBody());
};

/** No route matched. */
export const notFound: RequestHandler = (req, _res, next) => {
    next(new HttpError(404, 'ROUTE_NOT_FOUND', `no route ${req.method} ${req.path}; GET /api/openapi.json lists them`));
};
