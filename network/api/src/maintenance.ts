import type { ChainVerification, MissingPrivateData, StateProblem } from './explorer';

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

    /**
     * For teaching tamper detection: changes one stored byte of block `blockNumber` — a digit (or
     * else a letter) of a value a transaction in it writes, inside the transaction's bytes, so that
     * the block's data hash no longer matches and `verifyChain` names that block. Nothing else is
     * told: the ledger goes on committing until a verification finds the change and records it as
     * damage, as a peer whose block file was edited would. The original bytes are kept in the
     * ledger, so that {@link undoTamper} restores them exactly, also after a restart. One tampering
     * at a time; refused (`TAMPER_PENDING`, `BLOCK_NOT_FOUND`, `NOTHING_TO_TAMPER`,
     * `LEDGER_DAMAGED`) with nothing changed.
     */
    tamperBlock(blockNumber: number): Promise<TamperReport>;

    /**
     * Puts back the byte {@link tamperBlock} changed, clears the damage a verification recorded
     * since, and verifies the ledger again (it endorses and commits again when that passes).
     * Refused with `NO_TAMPER` when nothing is tampered with.
     */
    undoTamper(): Promise<UndoTamperReport>;

    /** The tampering not yet undone, if any. */
    pendingTamper(): Promise<TamperReport | undefined>;
}

/** Which stored byte {@link LedgerMaintenance.tamperBlock} changed, and how. */
export interface TamperReport {
    blockNumber: number;
    /** The transaction whose bytes were changed: its index in the block and its id. */
    txIndex: number;
    txId: string;
    /** The write set entry whose value holds the byte: chaincode namespace and key. */
    namespace: string;
    key: string;
    /** Where the byte is: from the start of the value, of the transaction's bytes, and of the stored block record. */
    offsetInValue: number;
    offsetInTransaction: number;
    offsetInBlock: number;
    /** The byte before and after, 0–255, and as the character it is (values are mostly JSON). */
    oldByte: number;
    newByte: number;
    oldChar: string;
    newChar: string;
    /** When it was changed, ISO-8601. */
    tamperedAt: string;
}

/** What {@link LedgerMaintenance.undoTamper} restored, and the verification that followed. */
export interface UndoTamperReport {
    restored: TamperReport;
    /** Whether a damage record was cleared (a verification had found the change). */
    clearedDamage?: string;
    /** The whole ledger verified after the byte was put back. */
    verification: ChainVerification;
}
