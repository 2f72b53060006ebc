import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';

/** The URL as logged: an `access_token` in the query (event streams) never reaches a log. */
function loggedUrl(url: string): string {
    return url.replace(/([?&]access_token=)[^&]*/g, '$1[redacted]');
}

/**
 * One structured log line per request (pino): method, URL, status, time, and the identity it asked
 * to act as. Headers are not logged, so neither is a bearer token.
 */
export function requestLog(logger: Logger): RequestHandler {
    return pinoHttp({
        logger,
        serializers: {
            req: (req: IncomingMessage & { id?: unknown }) => ({
                id: req.id,
                method: req.method,
                url: loggedUrl(req.url ?? ''),
                remoteAddress: req.socket?.remoteAddress,
            }),
            res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
        },
        customProps: (req) => {
            const identity = req.headers['x-zhelian-identity'];
            return identity === undefined ? {} : { identity };
        },
        customLogLevel: (_req, res, err) =>
            err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    }) as unknown as RequestHandler;
}
