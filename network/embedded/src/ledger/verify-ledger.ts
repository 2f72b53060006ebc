import { type ChainVerification, ErrorCode, type StateVerification, ZhelianError } from '@zhelian/api';
import type { BlockToLive } from './block-updates';
import { verifyChain } from './chain-verifier';
import { replayChain } from './replay';
import { verifyState } from './state-verifier';
import type { LedgerStore } from './store';

/**
 * Verifies a ledger as far as its blocks can prove it: every block's hashes and links, then the
 * world state, private data hashes and values, history, transaction index and expiry schedule
 * against a replay of the blocks. What fails is recorded as damage — the ledger then refuses to
 * endorse and commit — and `remedy` says what to do. No block commits while it runs.
 *
 * ```ts
 * const verification = await verifyLedger(store, blockToLive);
 * if (!verification.ok) console.error(verification.remedy);
 * ```
 */
export function verifyLedger(store: LedgerStore, blockToLive: BlockToLive): Promise<ChainVerification> {
    return store.exclusive(async () => {
        const chain = await verifyChain(store);
        let state: StateVerification | undefined;
        if (chain.ok) {
            try {
                state = await verifyState(store, await replayChain(store, store.height, blockToLive));
            } catch (err) {
                // LevelDB corruption met on the way is recorded as the store's damage, reported below.
                if (!(err instanceof ZhelianError && err.code === ErrorCode.DATA_DIR_CORRUPT)) {
                    throw err;
                }
            }
        }
        if (!chain.ok) {
            await store.recordDamage({
                kind: 'inconsistent',
                what: `blocks ${chain.problems.map((p) => p.blockNumber).join(', ')} do not match their hashes`,
            });
        } else if (state && state.problemCount > 0) {
            const [first] = state.problems;
            const where = [first.namespace, first.collection, first.key ?? first.keyHash ?? first.txId]
                .filter((part) => part !== undefined)
                .join('/');
            await store.recordDamage({
                kind: 'inconsistent',
                what: `${state.problemCount} entries derived from the blocks do not match them (first: ${first.part} ${where}: ${first.reason})`,
            });
        }
        const damage = store.damage?.what;
        const ok = chain.ok && state !== undefined && state.problemCount === 0 && damage === undefined;
        const remedy = remedyFor(chain, state, damage);
        return {
            ...chain,
            ok,
            ...(state ? { state } : {}),
            ...(damage ? { damage } : {}),
            ...(remedy ? { remedy } : {}),
        };
    });
}

function remedyFor(chain: ChainVerification, state: StateVerification | undefined, damage: string | undefined): string {
    const advice: string[] = [];
    if (!chain.ok) {
        advice.push(
            `Blocks ${chain.problems.map((p) => p.blockNumber).join(', ')} are damaged. Everything else is derived from the blocks, ` +
                'so they cannot be rebuilt here: restore the data dir from a backup.',
        );
    } else if (damage !== undefined) {
        advice.push(
            'Run `npx zhelian rebuild`: it re-derives world state, private data hashes, history, the transaction index ' +
                'and the expiry schedule from the blocks, drops private values that match no committed hash, and clears ' +
                'the damage so the ledger commits again. If blocks acknowledged before were lost, only a backup has them.',
        );
    }
    if (state && state.missingPrivateData.length > 0) {
        advice.push(
            `${state.missingPrivateData.length} private values the blocks committed are held by no member peer here; ` +
                'the blocks hold only their hashes, so only a backup can bring them back.',
        );
    }
    return advice.join(' ');
}
