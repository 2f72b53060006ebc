import type { PrivateWrites } from '../ledger/committer';

/** Fabric's `peer.gossip.pvtData.transientstoreMaxBlockRetention`: endorsed private data older than this is dropped. */
const MAX_BLOCK_RETENTION = 1000;
/** A bound on what endorsed-but-never-submitted transactions can hold. */
const MAX_ENTRIES = 10_000;

/**
 * The peers' transient store, as Fabric's: the private values an endorsement produced wait here,
 * by transaction id, until the transaction is submitted and commits — they never travel in the
 * envelope, which holds only their hashes. Entries of transactions that were never submitted are
 * dropped after {@link MAX_BLOCK_RETENTION} blocks, as Fabric purges them.
 *
 * ```ts
 * transient.put(txId, privateWrites, store.height);
 * const writes = transient.take(txId); // at submit: what the committer stores for member peers
 * ```
 */
export class TransientStore {
    readonly #entries = new Map<string, { writes: PrivateWrites; height: number }>();

    put(txId: string, writes: PrivateWrites, height: number): void {
        if (writes.length === 0) {
            return;
        }
        this.#entries.delete(txId);
        this.#entries.set(txId, { writes, height });
        for (const [id, entry] of this.#entries) {
            if (this.#entries.size <= MAX_ENTRIES && entry.height + MAX_BLOCK_RETENTION >= height) {
                break;
            }
            this.#entries.delete(id);
        }
    }

    /** The private writes endorsed for a transaction (none when it wrote none or they were purged); removes them. */
    take(txId: string): PrivateWrites {
        const entry = this.#entries.get(txId);
        this.#entries.delete(txId);
        return entry?.writes ?? [];
    }
}
