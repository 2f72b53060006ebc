import type { BackendKind, LedgerBackend } from './backend';
import { ErrorCode, ZhelianError } from './errors';

/** How to reach a network. Unset fields come from the environment, then from defaults. */
export interface BackendConfig {
    /** `embedded` or `fabric`; default `ZHELIAN_NETWORK`, else `embedded`. */
    network?: BackendKind;
    /** Embedded: the data directory; default `ZHELIAN_DATA`, else `.zhelian`. */
    dataDir?: string;
    /** Embedded: a shipped topology name (`zhelian`, `test-network`) or a topology file. */
    topology?: string;
    /**
     * Embedded: whether opening may set up a new ledger in a data dir that holds none (default
     * true). The CLI passes false for every command but those that set up a ledger.
     */
    create?: boolean;
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
    const packageName = BACKEND_PACKAGES[kind];
    let module: BackendModule;
    try {
        module = (await import(packageName)) as BackendModule;
    } catch (err) {
        throw new ZhelianError(
            ErrorCode.NOT_SUPPORTED,
            `The ${kind} network is not available: its package ${packageName} cannot be loaded (${firstLine(err)})`,
            { cause: err },
        );
    }
    return module.openBackend({ ...config, network: kind });
}

/** The first line of an error's message (a failed require lists its whole search stack after it). */
function firstLine(err: unknown): string {
    return String((err as Error)?.message ?? err).split('\n')[0];
}
