import type { Logger } from 'pino';
import type { IdentityRef } from '@zhelian/api';

/** How a gateway serves; every field has a default. */
export interface GatewayOptions {
    /** The address to listen on; default `127.0.0.1`. */
    host?: string;
    /** Default 8080; 0 picks a free port. */
    port?: number;
    /**
     * Whether every request but the public ones needs a bearer token; default: when `host` is not a
     * loopback address (a classroom), so that nobody else on the network acts as anyone.
     */
    requireTokens?: boolean;
    /** The chaincode whose contracts get per-application and public routes; default `zhelian`. */
    chaincode?: string;
    /**
     * The caller deploys the chaincode after the start (`npm start` does, in the background): until
     * it calls `reloadChaincode`, the chaincode's routes answer 503 rather than 404.
     */
    chaincodePending?: boolean;
    /** The identity that signs public routes' queries; default the network's first client identity. */
    publicIdentity?: IdentityRef;
    /**
     * Where the server names itself for `npx zhelian` (`gateway.json`: URL, pid, the instructor
     * token; mode 0600) and keeps participant tokens (`gateway-tokens.json`): the embedded ledger's
     * data dir. Without it neither is written and tokens last as long as the server.
     */
    stateDir?: string;
    /** Where structured logs go; default pino at `info`, on stdout or to `logFile`. */
    logger?: Logger;
    /** A file for the request logs (JSON lines, appended; its directory is created). */
    logFile?: string;
    /** The level of the default logger: `info`, or `silent` for none. */
    logLevel?: 'silent' | 'error' | 'warn' | 'info' | 'debug';
    /** Largest JSON request body in bytes; default 256 KiB. */
    bodyLimit?: number;
    /** Largest uploaded file (evidence check) in bytes; default 32 MiB. */
    uploadLimit?: number;
    /** Requests per minute per client address on public routes; default 120 (uploads: a quarter). */
    publicRateLimit?: number;
    /** Origins allowed to call the API from a browser (CORS); default none. */
    corsOrigins?: string[];
    /** Resubmissions of a transaction that lost an MVCC or phantom-read race, or whose endorsements differed; default 3. */
    conflictRetries?: number;
    /** How long a shutdown waits for work in flight; default 30 s. */
    shutdownTimeoutMs?: number;
    /** Keep-alive comments on event streams; default every 15 s. */
    heartbeatMs?: number;
    /**
     * The web UI's build (`index.html` and `assets/`) served at `/`: default the `@zhelian/web`
     * package's `dist/` once built; `false` serves none (`/` then leads to the API docs).
     */
    webRoot?: string | false;
}

const LOOPBACK = new Set(['localhost', '::1', '[::1]']);

/** Whether an address is reachable from this machine only. */
export function isLoopback(host: string): boolean {
    return LOOPBACK.has(host) || /^127(\.\d{1,3}){3}$/.test(host);
}
