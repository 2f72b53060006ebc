import cors from 'cors';
import express, { type Express, type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { adminRoutes } from './admin/routes';
import { RESERVED_SEGMENTS } from './chaincode/app-routes';
import { ChaincodeRoutes } from './chaincode/chaincode-routes';
import { genericChaincodeRoutes } from './chaincode/generic-routes';
import { eventRoutes } from './events/routes';
import { explorerRoutes } from './explorer/routes';
import { healthRoutes } from './health';
import { errorHandler, notFound } from './http/error-handler';
import { HttpError } from './http/http-error';
import { requestLog } from './http/request-log';
import { type AnyRoute, type RouteServices, RouteTable } from './http/route-table';
import { identityRoutes } from './identities/routes';
import type { InFlight } from './ledger/in-flight';
import { openApiDocument } from './openapi/document';
import { docsAssets, documentRoutes } from './openapi/routes';
import { publicRoutes } from './public/routes';
import { webUi } from './web/static';
import { WorkshopProgress, workshopRoutes } from './workshop/routes';
import type { GatewayServices } from './services';

export interface AppSettings {
    logger: Logger;
    loopbackOnly: boolean;
    bodyLimit: number;
    publicRateLimit: number;
    corsOrigins: string[];
    version: string;
    /** The web UI's build to serve at `/`; default the `@zhelian/web` package's, `false` for none. */
    webRoot?: string | false;
}

export interface GatewayApp {
    app: Express;
    /** The routes of the gateway's own tables. */
    routes: AnyRoute[];
    /** The routes generated from the chaincode's metadata. */
    chaincodeRoutes: ChaincodeRoutes;
    /** The OpenAPI document of both, as it is now. */
    document(): Promise<object>;
}

const TAGS = [
    { name: 'health', description: 'Whether the server and its network answer.' },
    { name: 'identities', description: 'Who one can act as; enrolment and tokens for workshop participants.' },
    { name: 'chaincode', description: 'Any transaction of any chaincode, and chaincode metadata.' },
    { name: 'explorer', description: 'Blocks, transactions, key history, chain verification.' },
    { name: 'events', description: 'Server-Sent Events: blocks and chaincode events, resumable.' },
    { name: 'public', description: 'Verification anyone may do, without an identity.' },
    {
        name: 'admin',
        description:
            'The chaincode lifecycle and ledger repair, for the instructor (the CLI goes through these while a server runs).',
    },
    { name: 'workshop', description: "The web UI's workshop lessons: each participant's finished steps." },
    { name: 'docs', description: 'This document and its page.' },
];

/**
 * Requests to a loopback server must name a loopback host: a web page whose DNS name was made to
 * point at 127.0.0.1 (DNS rebinding) would otherwise reach it as its own origin.
 */
const loopbackHostOnly: RequestHandler = (req, _res, next) => {
    const host = req.hostname;
    if (host === 'localhost' || host === '[::1]' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)) {
        next();
        return;
    }
    next(new HttpError(403, 'HOST_NOT_ALLOWED', `this server answers to localhost and 127.0.0.1 only, not ${host}`));
};

/** Builds the Express application: middleware, the route tables, generated routes, errors. */
export function createApp(services: GatewayServices, requests: InFlight, settings: AppSettings): GatewayApp {
    const limiter = (limit: number): RequestHandler =>
        rateLimit({
            windowMs: 60_000,
            limit,
            standardHeaders: 'draft-8',
            legacyHeaders: false,
            handler: (_req, _res, next) =>
                next(new HttpError(429, 'RATE_LIMITED', 'too many requests from this address; wait a minute')),
        });
    const limiters = {
        public: limiter(settings.publicRateLimit),
        upload: limiter(Math.max(1, Math.floor(settings.publicRateLimit / 4))),
    };
    const routeServices: RouteServices = {
        authorize: (req, access, options) => services.access.authorize(req, access, options),
        limiter: (kind) => limiters[kind],
        jsonBody: express.json({ limit: settings.bodyLimit, strict: false }),
    };
    const chaincodeRoutes = new ChaincodeRoutes(services, routeServices, settings.logger);

    const app = express();
    app.disable('x-powered-by');
    app.set('etag', false);
    app.use(requestLog(settings.logger));
    app.use((_req, res, next) => {
        const end = requests.begin();
        res.on('close', end);
        next();
    });
    // Without upgrade-insecure-requests: a classroom opens the UI over http:// at the server's address.
    app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
    if (settings.corsOrigins.length > 0) {
        app.use(cors({ origin: settings.corsOrigins }));
    }
    if (settings.loopbackOnly) {
        app.use(loopbackHostOnly);
    }
    app.use((_req, res, next) => {
        if (services.status.state === 'stopping') {
            res.set('Connection', 'close');
            next(new HttpError(503, 'SHUTTING_DOWN', 'the server is stopping', {}, { 'Retry-After': '5' }));
            return;
        }
        next();
    });

    let document: () => Promise<object> = async () => ({});
    const tables = [
        healthRoutes(services),
        documentRoutes(() => document()),
        identityRoutes(services),
        genericChaincodeRoutes(services),
        explorerRoutes(services),
        eventRoutes(services),
        publicRoutes(services),
        workshopRoutes(new WorkshopProgress(), services),
        adminRoutes(services),
    ];
    const routes = tables.flatMap((table) => table.routes);
    document = async () =>
        openApiDocument([...routes, ...chaincodeRoutes.routes], chaincodeRoutes.schemas, {
            title: '浙链 Zhelian API',
            version: settings.version,
            description:
                "The gateway of the Zhelian lab: the five applications' transactions (generated from the chaincode's contract metadata), any chaincode's transactions, the block explorer, event streams and public verification. Errors are {error: {code, message, field?}}; a chaincode refusal keeps its E_… code.",
            tags: [...TAGS, ...chaincodeRoutes.tags],
        });

    app.use('/api/docs/assets', docsAssets);
    app.use(new RouteTable().add(...routes).router(routeServices));
    app.use(chaincodeRoutes.handler);
    app.use('/api/:segment', (req, _res, next) => {
        const segment = String(req.params.segment);
        if (services.status.chaincode.state === 'waiting' && !RESERVED_SEGMENTS.has(segment)) {
            next(
                new HttpError(
                    503,
                    'CHAINCODE_NOT_READY',
                    `chaincode ${services.chaincode} is being deployed; its routes appear when it is (GET /api/health)`,
                    {},
                    { 'Retry-After': '1' },
                ),
            );
            return;
        }
        next();
    });
    app.use(webUi(settings.webRoot));
    app.use(notFound);
    app.use(errorHandler);
    return { app, routes, chaincodeRoutes, document: () => document() };
}
