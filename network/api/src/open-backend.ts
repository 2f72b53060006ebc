import type { BackendKind, LedgerBackend } from './backend';
import { ErrorCode, ZhelianError } from './errors';

/** How to reach a network. Unset fields come from the environment, then from defaults. */
export interface BackendConfig {
    /** `embedded`, `fabric` or `remote`; default `ZHELIAN_NETWORK`, else `embedded`. */
    network?: BackendKind;
    /** Embedded: the data directory; default `ZHELIAN_DATA`, else `.zhelian`. */
    dataDir?: string;
    /** Embedded: a shipped topology name (`zhelian`, `test-network`) or a topology file. */
    topology?: string;
    /**
     * Embedded: the peers' state database, overriding the topology's: `leveldb` (Fabric's default)
     * or `couchdb` (rich queries). Chosen when the data dir is created; an existing one keeps its own.
     */
    stateDatabase?: 'leveldb' | 'couchdb';
    /**
     * Embedded: whether opening may set up a new ledger in a data dir that holds none (default
     * true). The CLI passes false for every command but those that set up a ledger.
     */
    create?: boolean;
    /**
     * Embedded: when another process holds the data dir and it is a running Zhelian server (`npm
     * start`), go through that server, as the `remote` backend, instead of failing on the lock
     * (default true). The server itself passes false.
     */
    viaServer?: boolean;
    /** Remote: the server's URL; default `ZHELIAN_URL`, else the server named in the data dir's `gateway.json`. */
    url?: string;
    /** Remote: a bearer token; default `ZHELIAN_TOKEN`, else the local token in the data dir's `gateway.json`. */
    token?: string;
    /**
     * Fabric: the connection description `npm run network:up` writes; default
     * `ZHELIAN_FABRIC_CONNECTION`, else `.fabric/connection.json`.
     */
    connection?: string;
    /**
     * Fabric: a directory for the identities this client enrolls, looked up before the network's
     * own wallet (default: the network's wallet). Test suites give each suite its own, as each
     * embedded suite has its own data dir.
     */
    wallet?: string;
}

/** What a backend package exports for {@link openBackend}. */
export interface BackendModule {
    openBackend(config: BackendConfig): Promise<LedgerBackend>;
}

/** The package that implements each backend; loaded only when chosen. */
const BACKEND_PACKAGES: Readonly<Record<BackendKind, string>> = {
    embedded: '@zhelian/embedded',
    fabric: '@zhelian/fabric',
    remote: '@zhelian/remote',
};

/** The backend the configuration (or `ZHELIAN_NETWORK`) names; `embedded` by default. */
export function backendKind(config: BackendConfig = {}): BackendKind {
    const kind = config.network ?? process.env.ZHELIAN_NETWORK ?? 'embedded';
    if (!Object.hasOwn(BACKEND_PACKAGES, kind)) {
        throw new ZhelianError(
            ErrorCode.INVALID_CONFIGURATION,
            `Unknown network "${kind}": ZHELIAN_NETWORK is one of ${Object.keys(BACKEND_PACKAGES).join(', ')}`,
        );
    }
    return kind as BackendKind;
}

/**
 * Opens the network that the configuration names. The one place that chooses a backend: the
 * backend's package is loaded here, by name, so nothing above the seam imports one.
 *
 * ```ts
 * const backend = await openBackend(); // ZHELIAN_NETWORK, else the embedded ledger in .zhelian/
 * ```
 */
export async function openBackend(config: BackendConfig = {}): Promise<LedgerBackend> {
    const kind = backendKind(config);
    const module = await loadBackend(kind);
    try {
        return await module.openBackend({ ...config, network: kind });
    } catch (err) {
        if (
            kind === 'embedded' &&
            config.viaServer !== false &&
            err instanceof ZhelianError &&
            err.code === ErrorCode.DATA_DIR_LOCKED
        ) {
            return openThroughServer(config, err);
        }
        throw err;
    }
}

async function loadBackend(kind: BackendKind): Promise<BackendModule> {
    const packageName = BACKEND_PACKAGES[kind];
    try {
        return (await import(packageName)) as BackendModule;
    } catch (err) {
        throw new ZhelianError(
            ErrorCode.NOT_SUPPORTED,
            `The ${kind} network is not available: its package ${packageName} cannot be loaded (${firstLine(err)})`,
            { cause: err },
        );
    }
}

/**
 * The data dir is locked. When the process holding it is a Zhelian server, the `remote` backend
 * finds it (the server names itself in the data dir) and goes through it; otherwise the lock stands.
 */
async function openThroughServer(config: BackendConfig, locked: ZhelianError): Promise<LedgerBackend> {
    try {
        return await (await loadBackend('remote')).openBackend({ ...config, network: 'remote' });
    } catch (err) {
        throw new ZhelianError(locked.code, `${locked.message}; no Zhelian server answers for it (${firstLine(err)})`, {
            cause: locked,
        });
    }
}

/** The first line of an error's message (a failed require lists its whole search stack after it). */
function firstLine(err: unknown): string {
    return String((err as Error)?.message ?? err).split('\n')[0];
}
