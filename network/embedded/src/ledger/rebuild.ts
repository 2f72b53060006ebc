import { ErrorCode, type RebuildReport, ZhelianError } from '@zhelian/api';
import { type BlockToLive, hashId } from './block-updates';
import { verifyBlocks } from './chain-verifier';
import { describeKey, entryOf } from './keys';
import { replayChain } from './replay';
import { checkPrivateValues, differences, missingPrivateData, ProblemList } from './state-verifier';
import type { LedgerStore } from './store';

/**
 * Rebuilds what a ledger derives from its blocks, as Fabric's `peer node rebuild-dbs`: world
 * state, private data hashes, history, the transaction index and the private data expiry
 * schedule are replayed from every block stored (also blocks beyond the savepoint) and rewritten
 * where they differ, with the savepoint, in one atomic batch that also clears recorded damage.
 *
 * Blocks are never changed: when they do not verify (a changed byte, a missing block) the
 * rebuild is refused. Private values cannot be derived — blocks hold only their hashes — so, as
 * Fabric keeps its private data store through a rebuild, they are kept where they match a hash
 * the blocks committed and dropped where they do not (tampered, expired, purged).
 *
 * ```ts
 * const report = await rebuildLedger(store, blockToLive);
 * report.warnings.forEach((warning) => console.warn(warning));
 * ```
 */
export function rebuildLedger(store: LedgerStore, blockToLive: BlockToLive): Promise<RebuildReport> {
    return store.exclusive(async () => {
        const previousHeight = store.height;
        const clearedDamage = store.damage?.what;
        const last = await store.lastStoredBlock();
        const height = last === undefined ? 0 : last + 1;
        const { problems } = await verifyBlocks(store, height);
        if (problems.length > 0) {
            throw new ZhelianError(
                ErrorCode.LEDGER_DAMAGED,
                `cannot rebuild the ledger in ${store.location}: its blocks are damaged ` +
                    `(${problems.map((p) => `block ${p.blockNumber}: ${p.reason}`).join('; ')}). ` +
                    'Everything else is derived from the blocks: restore the data dir from a backup.',
            );
        }
        const derived = await replayChain(store, height, blockToLive);
        const rewrites: [string, Uint8Array | null][] = [];
        const repaired = new ProblemList();
        for await (const { part, dbKey, expected } of differences(store, derived)) {
            const { block, ...where } = describeKey(dbKey);
            rewrites.push([dbKey, expected ?? null]);
            repaired.add({
                part,
                ...where,
                ...(block === undefined ? {} : { blockNumber: block }),
                reason: expected ? 'rewritten from the blocks' : 'removed: the blocks do not leave it there',
            });
        }
        const held = new Map<string, string>();
        for await (const check of checkPrivateValues(store, derived)) {
            if (check.matches) {
                held.set(check.hashId, check.key);
            } else {
                rewrites.push([check.dbKey, null]);
                repaired.add({
                    part: 'private-value',
                    ...describeKey(check.dbKey),
                    reason: `dropped: ${check.reason}`,
                });
            }
        }
        // The expiry schedule names the private key wherever a member holds its value, so that it goes too.
        for (const entry of derived.pendingExpiry.values()) {
            const key = held.get(hashId(entry.namespace, entry.collection, entry.keyHash));
            rewrites.push(
                entryOf({ kind: 'expiry', entry: { ...entry, ...(key === undefined ? {} : { key }) }, remove: false }),
            );
        }
        await store.rewrite(rewrites, derived.savepoint);
        const missing = missingPrivateData(derived, new Set(held.keys()));
        const warnings: string[] = [];
        if (height < previousHeight) {
            warnings.push(
                `the savepoint named ${previousHeight} blocks but only ${height} are stored: blocks ${height}–${previousHeight - 1} ` +
                    'and their transactions are lost; only a backup has them',
            );
        }
        if (missing.length > 0) {
            warnings.push(
                `${missing.length} private values the blocks committed are held by no member peer here; only a backup has them`,
            );
        }
        return {
            height,
            previousHeight,
            repaired: repaired.listed,
            repairedCount: repaired.count,
            missingPrivateData: missing,
            ...(clearedDamage ? { clearedDamage } : {}),
            warnings,
        };
    });
}
