import { ErrorCode, ZhelianError } from '@zhelian/api';
import { verifyTail } from './chain-verifier';
import { corruptionFoundOnOpen, openFailure } from './damage';
import { LedgerStore, type StoreOptions } from './store';

/**
 * Opens a ledger's store and checks it as a peer checks its ledger on start: LevelDB's lock and
 * its own integrity checks (corrupt told apart from locked), corruption LevelDB stepped over
 * while recovering its log, and the chain's tail against the savepoint. A damaged store still
 * opens — so that it can be verified, explored and rebuilt — but records its damage and refuses
 * to endorse and commit (see {@link LedgerStore.assertIntact}).
 *
 * ```ts
 * const store = await openLedgerStore('.zhelian/ledger', { sync: true });
 * if (store.damage) console.warn(store.damage.what);
 * ```
 */
export async function openLedgerStore(location: string, options: StoreOptions = {}): Promise<LedgerStore> {
    let store: LedgerStore;
    try {
        store = await LedgerStore.open(location, options);
    } catch (err) {
        throw openFailure(location, err);
    }
    try {
        const corruption = await corruptionFoundOnOpen(location);
        if (corruption) {
            await store.recordDamage(corruption);
        }
        const tail = await verifyTail(store);
        if (tail.length > 0) {
            await store.recordDamage({
                kind: 'inconsistent',
                what: `the chain's tail does not match the savepoint: ${tail.map((p) => p.reason).join('; ')}`,
            });
        }
    } catch (err) {
        // Corruption met while checking is already recorded; anything else means no ledger to open.
        if (!(err instanceof ZhelianError && err.code === ErrorCode.DATA_DIR_CORRUPT)) {
            await store.close();
            throw err;
        }
    }
    return store;
}
