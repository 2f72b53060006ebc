import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import type { IdentityRef, LedgerBackend } from '@zhelian/api';
import { createApp, type GatewayApp } from './app';
import { AccessControl } from './auth/access';
import { IdentityDirectory } from './auth/identity-directory';
import { TokenStore } from './auth/tokens';
import { EventStreams } from './events/event-streams';
import { CommittedEvents } from './ledger/committed-events';
import { Connections } from './ledger/connections';
import { InFlight } from './ledger/in-flight';
import { TransactionRunner } from './ledger/transactions';
import { type GatewayOptions, isLoopback } from './options';
import { removeServerFile, writeServerFile } from './server-file';
import type { GatewayServices } from './services';
import { ParticipantActivity } from './workshop/activity';
import { ServerStatus } from './status';

/**
 * A gateway serving one backend over HTTP.
 *
 * ```ts
 * const backend = await openBackend({ viaServer: false });
 * const gateway = await startGateway(backend, { port: 8080 });
 * console.log(`open ${gateway.url}/api/docs`);
 * process.once('SIGINT', async () => {
 *     await gateway.close(); // stops accepting, finishes what is in flight
 *     await backend.close();
 * });
 * ```
 */
export interface RunningGateway {
    /** `http://127.0.0.1:8080`. */
    readonly url: string;
    /** Printed at start; `npx zhelian` reads it from `gateway.json`. */
    readonly instructorToken: string;
    /** Whether every non-public request needs a token. */
    readonly requireTokens: boolean;
    readonly status: ServerStatus;
    /** The application, its route tables and its OpenAPI document, to inspect. */
    readonly app: GatewayApp;
    /** Settles when the routes of a chaincode deployed before the start exist. */
    readonly chaincodeReady: Promise<void>;
    /** Reads the chaincode's metadata again and regenerates its routes (after a deploy or an upgrade). */
    reloadChaincode(): Promise<void>;
    /** Runs ledger work outside a request (demo seeding) so that a shutdown waits for it. */
    track<T>(work: () => Promise<T>): Promise<T>;
    readonly closing: boolean;
    /**
     * Stops accepting requests, ends event streams, waits for requests and ledger work in flight
     * (up to the shutdown timeout), and closes the client connections. The backend stays open:
     * whoever opened it closes it.
     */
    close(): Promise<void>;
}

const VERSION = '0.1.0';

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
            server.off('error', reject);
            resolve(server.address() as AddressInfo);
        });
    });
}

function urlOf(address: AddressInfo): string {
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
}

/** Waits for `promise`, at most `ms`; tells which happened. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
    const timeout = new AbortController();
    const finished = await Promise.race([
        promise.then(() => true),
        sleep(ms, false, { signal: timeout.signal }).catch(() => false),
    ]);
    timeout.abort();
    return finished;
}

/** Starts a gateway over an open backend and listens. */
export async function startGateway(backend: LedgerBackend, options: GatewayOptions = {}): Promise<RunningGateway> {
    const host = options.host ?? '127.0.0.1';
    const requireTokens = options.requireTokens ?? !isLoopback(host);
    const level = options.logLevel ?? 'info';
    const logger =
        options.logger ??
        (options.logFile
            ? pino({ level }, pino.destination({ dest: options.logFile, mkdir: true, sync: false }))
            : pino({ level }));
    const chaincode = options.chaincode ?? 'zhelian';
    const tokens = await TokenStore.open(
        options.stateDir ? path.join(options.stateDir, 'gateway-tokens.json') : undefined,
    );
    const identities = new IdentityDirectory(backend);
    const ledgerWork = new InFlight();
    const requests = new InFlight();
    const status = new ServerStatus(chaincode);
    let publicIdentity: IdentityRef | undefined = options.publicIdentity;
    const committedEvents = new CommittedEvents(backend.explorer);
    await committedEvents.start();

    const services: GatewayServices = {
        backend,
        connections: new Connections(backend),
        runner: new TransactionRunner(committedEvents, ledgerWork, { conflictRetries: options.conflictRetries ?? 3 }),
        identities,
        tokens,
        access: new AccessControl(tokens, identities, requireTokens),
        streams: new EventStreams(options.heartbeatMs),
        status,
        activity: new ParticipantActivity(),
        chaincode,
        uploadLimit: options.uploadLimit ?? 32 * 1024 * 1024,
        async publicIdentity() {
            publicIdentity ??= (await identities.list()).find((identity) => identity.role === 'client');
            if (!publicIdentity) {
                throw new Error('the network has no client identity to answer public requests with');
            }
            return publicIdentity;
        },
        reloadChaincode: () => ledgerWork.run(() => app.chaincodeRoutes.reload()),
    };
    const app = createApp(services, requests, {
        logger,
        loopbackOnly: !requireTokens && isLoopback(host),
        bodyLimit: options.bodyLimit ?? 256 * 1024,
        publicRateLimit: options.publicRateLimit ?? 120,
        corsOrigins: options.corsOrigins ?? [],
        version: VERSION,
        ...(options.webRoot !== undefined ? { webRoot: options.webRoot } : {}),
    });

    const server = createServer(app.app);
    let url: string;
    try {
        url = urlOf(await listen(server, options.port ?? 8080, host));
    } catch (err) {
        committedEvents.close();
        throw err;
    }
    if (options.stateDir) {
        await writeServerFile(options.stateDir, {
            url,
            pid: process.pid,
            token: tokens.instructorToken,
            startedAt: status.startedAt,
        });
    }
    logger.info({ url, requireTokens, network: backend.kind }, 'gateway listening');

    // Loading the routes evaluates the chaincode: ledger work, which a shutdown waits for before the
    // backend closes (it may start a chaincode instance in the data dir).
    const chaincodeReady = ledgerWork.run(() =>
        app.chaincodeRoutes.reload({ onlyIfDeployed: options.chaincodePending ?? false }),
    );
    let closing: Promise<void> | undefined;
    const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 30_000;

    const close = async (): Promise<void> => {
        status.state = 'stopping';
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        services.streams.closeAll();
        server.closeIdleConnections();
        const drained = Promise.all([requests.drained(), ledgerWork.drained()]);
        if (!(await within(drained, shutdownTimeoutMs))) {
            logger.warn(
                { requests: requests.count, ledgerWork: ledgerWork.count },
                'shutdown timeout: closing with work in flight',
            );
        }
        server.closeIdleConnections();
        if (!(await within(stopped, 2_000))) {
            server.closeAllConnections();
            await stopped;
        }
        committedEvents.close();
        await services.connections.close();
        if (options.stateDir) {
            await removeServerFile(options.stateDir);
        }
        logger.info('gateway stopped');
        logger.flush();
    };

    return {
        url,
        instructorToken: tokens.instructorToken,
        requireTokens,
        status,
        app,
        chaincodeReady,
        reloadChaincode: () => ledgerWork.run(() => app.chaincodeRoutes.reload()),
        track: (work) => {
            if (status.state === 'stopping') {
                return Promise.reject(new Error('the gateway is stopping'));
            }
            return ledgerWork.run(work);
        },
        get closing() {
            return status.state === 'stopping';
        },
        close() {
            closing ??= close();
            return closing;
        },
    };
}
