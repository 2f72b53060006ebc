import type { MissingPrivateData, StateProblem } from './explorer';

/** What a rebuild did: the height it rebuilt to, what it rewrote, what it could not bring back. */
export interface RebuildReport {
    /** Blocks the world state was re-derived from: the ledger's height now. */
    height: number;
    /** The height the savepoint named before the rebuild. */
    previousHeight: number;
    /**
     * Entries that did not match the blocks and were rewritten or removed (at most 100 listed),
     * private values that matched no committed hash and were dropped among them.
     */
    repaired: StateProblem[];
    /** How many entries were repaired in all. */
    repairedCount: number;
    /** Private values the blocks committed that no member peer holds: only a backup has them. */
    missingPrivateData: MissingPrivateData[];
    /** The damage the ledger had recorded, cleared by this rebuild. */
    clearedDamage?: string;
    /** What a person must know, e.g. blocks lost at the chain's tail. */
    warnings: string[];
}

/**
 * Repairing a ledger whose files the backend keeps itself: a capability of the embedded ledger
 * (a Fabric peer's equivalent is `peer node rebuild-dbs`, run by its operator).
 *
 * ```ts
 * if (backend.maintenance) {
 *     const report = await backend.maintenance.rebuild();
 *     console.log(`rebuilt to height ${report.height}, ${report.repairedCount} entries repaired`);
 * }
 * ```
 */
export interface LedgerMaintenance {
    /**
     * Re-derives world state, private data hashes, history, the transaction index and the
     * private data expiry schedule from the blocks, as Fabric's `peer node rebuild-dbs` does
     * (which drops them, to be rebuilt from the block store). Blocks are never changed; private
     * values cannot come from blocks, which hold only their hashes, so they are kept where they
     * match a committed hash and dropped where they do not. Refused when the blocks themselves
     * are damaged: restore a backup then.
     */
    rebuild(): Promise<RebuildReport>;
}
