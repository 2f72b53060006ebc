import path from 'node:path';
import { LedgerStore } from '../../src/ledger/store';

/**
 * Opens the LevelDB store of a closed ledger's data dir directly, as someone with access to the
 * disk could, for tests that inspect or tamper with what is stored. Close the ledger first: a
 * data dir is used by one process at a time.
 */
export async function withStore<T>(dataDir: string, work: (store: LedgerStore) => Promise<T>): Promise<T> {
    const store = await LedgerStore.open(path.join(dataDir, 'ledger'));
    try {
        return await work(store);
    } finally {
        await store.close();
    }
}
