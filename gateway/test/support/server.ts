import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { type LedgerBackend, openBackend } from '@zhelian/api';
import { type GatewayOptions, type RunningGateway, startGateway } from '../../src';

/** The zhelian chaincode package, deployed as is (its built `dist/`). */
export const CHAINCODE_DIR = path.join(__dirname, '..', '..', '..', 'chaincode');

/** A small test chaincode: balances and a transfer that reads both (MVCC conflicts on demand). */
export const BALANCES_DIR = path.join(__dirname, '..', 'fixtures', 'balances');

/** A gateway over a fresh network, for tests that speak HTTP to it. */
export interface TestServer {
    url: string;
    gateway: RunningGateway;
    backend: LedgerBackend;
    dataDir: string;
    /**
     * The zhelian chaincode's name: `zhelian` on a new ledger; on a network other suites share (a
     * Fabric network), the suite's own deployment of it, so its keys and events start empty.
     */
    chaincode: string;
    /** Calls the API; `as` names the identity (X-Zhelian-Identity), `token` a bearer token. */
    call(method: string, route: string, options?: CallOptions): Promise<ApiAnswer>;
    /** Closes the gateway and the backend; `keepData` leaves the data dir for a reopen. */
    close(options?: { keepData?: boolean }): Promise<void>;
}

export interface CallOptions {
    as?: string;
    token?: string;
    body?: unknown;
    /** A raw body with its content type (instead of `body` as JSON). */
    raw?: { contentType: string; data: string | Uint8Array | FormData };
    headers?: Record<string, string>;
}

export interface ApiAnswer {
    status: number;
    headers: Headers;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    body: any;
}

/**
 * Opens the configured backend (`ZHELIAN_NETWORK`, embedded by default) in a temporary data dir,
 * deploys the zhelian chaincode through the backend's lifecycle where it has one (a network that
 * cannot deploy must have it deployed; on a network that holds it already, under a name of the
 * suite's own, as the scenario suites do), and starts a gateway on a free loopback port. The same
 * tests run against another backend by configuration.
 */
export async function startTestServer(
    options: GatewayOptions = {},
    setup: { chaincodes?: { name: string; packageDir: string }[]; stateDatabase?: 'leveldb' | 'couchdb' } = {},
): Promise<TestServer> {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-gateway-'));
    const backend = await openBackend({
        dataDir,
        topology: 'zhelian',
        viaServer: false,
        ...(setup.stateDatabase ? { stateDatabase: setup.stateDatabase } : {}),
    });
    try {
        const taken = backend.describe().chaincodes.some((deployed) => deployed.name === 'zhelian');
        const chaincode = taken && backend.lifecycle ? `zhelian_${randomBytes(4).toString('hex')}` : 'zhelian';
        if (backend.lifecycle) {
            await backend.lifecycle.deploy({
                packageDir: CHAINCODE_DIR,
                name: chaincode,
                collections: path.join(CHAINCODE_DIR, 'collections_config.json'),
            });
            for (const chaincode of setup.chaincodes ?? []) {
                await backend.lifecycle.deploy(chaincode);
            }
        }
        const gateway = await startGateway(backend, {
            port: 0,
            stateDir: dataDir,
            logger: pino({ level: process.env.ZHELIAN_TEST_LOG ?? 'silent' }),
            chaincode,
            ...options,
        });
        await gateway.chaincodeReady;
        return {
            url: gateway.url,
            gateway,
            backend,
            dataDir,
            chaincode: options.chaincode ?? chaincode,
            call: (method, route, callOptions) => call(gateway.url, method, route, callOptions),
            async close(closeOptions = {}) {
                await gateway.close();
                await backend.close();
                if (!closeOptions.keepData) {
                    await rm(dataDir, { recursive: true, force: true });
                }
            },
        };
    } catch (err) {
        await backend.close();
        await rm(dataDir, { recursive: true, force: true });
        throw err;
    }
}

export async function call(base: string, method: string, route: string, options: CallOptions = {}): Promise<ApiAnswer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.as) {
        headers['X-Zhelian-Identity'] = options.as;
    }
    if (options.token) {
        headers.Authorization = `Bearer ${options.token}`;
    }
    let body: string | Uint8Array | FormData | undefined;
    if (options.raw) {
        body = options.raw.data;
        if (!(body instanceof FormData)) {
            headers['Content-Type'] = options.raw.contentType;
        }
    } else if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(`${base}${route}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
        parsed = JSON.parse(text);
    } catch {
        // Not JSON: keep the text.
    }
    return { status: response.status, headers: response.headers, body: parsed };
}
