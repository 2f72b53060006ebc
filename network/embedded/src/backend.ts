import type { BackendConfig, LedgerBackend } from '@zhelian/api';
import { EmbeddedLedger } from './embedded-ledger';

/**
 * The embedded ledger as `@zhelian/api`'s `openBackend` loads it (`ZHELIAN_NETWORK=embedded`,
 * the default): the data dir, topology and state database from the configuration.
 */
export async function openBackend(config: BackendConfig): Promise<LedgerBackend> {
    return EmbeddedLedger.open({
        ...(config.dataDir !== undefined ? { dataDir: config.dataDir } : {}),
        ...(config.topology !== undefined ? { topology: config.topology } : {}),
        ...(config.create !== undefined ? { create: config.create } : {}),
        ...(config.stateDatabase !== undefined ? { stateDatabase: config.stateDatabase } : {}),
    });
}
