import { peer } from '@hyperledger/fabric-protos';
import type { KeyModification } from '../chaincode/handler';
import type { Block, TransactionEnvelope } from './block';
import type { CollectionDefinition } from './collections';
import { sha256Hex } from './encoding';
import type { ExpiryEntry, HashedValue, StateUpdate, VersionedValue } from './records';
import type { KeyWrite, NamespaceRwSet, Version } from './rwset';

/** Private writes by namespace and collection; they travel beside a transaction, never in its block. */
export type PrivateWrites = { namespace: string; collection: string; writes: KeyWrite[] }[];

/** A collection's `blockToLive`: 0 keeps its private data for ever. */
export type BlockToLive = (namespace: string, collection: string) => number;

/** `blockToLive` as the deployed chaincodes' collection definitions give it. */
export function blockToLiveOf(
    collections: (namespace: string) => ReadonlyMap<string, CollectionDefinition>,
): BlockToLive {
    return (namespace, collection) => collections(namespace).get(collection)?.blockToLive ?? 0;
}

/**
 * What one block changes, worked out in transaction order: the state as the block's next
 * transaction sees it, and the updates to write. The committer starts it from the keys the block
 * touches, fetched up front; a replay of the chain (verification, rebuild) from the whole state
 * it has derived so far. Both apply valid transactions and expire private data with this one
 * code, so what a replay derives is what the commits wrote.
 */
export class BlockUpdates {
    readonly updates: StateUpdate[] = [];
    readonly #blockNum: number;
    readonly #blockToLive: BlockToLive;
    readonly #state: Map<string, VersionedValue | null>;
    readonly #hashes: Map<string, HashedValue | null>;
    readonly #changed = new Map<string, { namespace: string; key: string; value: VersionedValue | null }>();
    readonly #privateWritten = new Set<string>();

    /** `state` and `hashes` (keyed by {@link stateId}, {@link hashId}) are read and updated in place. */
    constructor(init: {
        blockNum: number;
        blockToLive: BlockToLive;
        state: Map<string, VersionedValue | null>;
        hashes: Map<string, HashedValue | null>;
    }) {
        this.#blockNum = init.blockNum;
        this.#blockToLive = init.blockToLive;
        this.#state = init.state;
        this.#hashes = init.hashes;
    }

    /** A key's value as the block's next transaction sees it. */
    getState(namespace: string, key: string): VersionedValue | undefined {
        return this.#state.get(stateId(namespace, key)) ?? undefined;
    }

    getHash(namespace: string, collection: string, keyHash: string): HashedValue | undefined {
        return this.#hashes.get(hashId(namespace, collection, keyHash)) ?? undefined;
    }

    /** Public keys written by the block's valid transactions so far, with their new values. */
    changedStates(): Iterable<{ namespace: string; key: string; value: VersionedValue | null }> {
        return this.#changed.values();
    }

    /**
     * Records the changes of a valid transaction: a value update keeps the key's metadata, as in
     * Fabric; each private write is scheduled to expire after its collection's `blockToLive`.
     */
    apply(
        rwset: NamespaceRwSet[],
        privateWrites: PrivateWrites,
        version: Version,
        envelope: TransactionEnvelope,
    ): void {
        for (const ns of rwset) {
            const writes = new Map(ns.writes.map((w) => [w.key, w]));
            const metadataWrites = new Map(ns.metadataWrites.map((m) => [m.key, m.entries]));
            for (const key of new Set([...writes.keys(), ...metadataWrites.keys()])) {
                const write = writes.get(key);
                const existing = this.getState(ns.namespace, key);
                const value = write ? (write.isDelete ? null : write.value) : (existing?.value ?? null);
                const metadata = metadataWrites.get(key) ?? existing?.metadata ?? {};
                this.#setState(ns.namespace, key, value === null ? null : { value, version, metadata });
                if (write) {
                    const entry: KeyModification = {
                        txId: envelope.txId,
                        value: write.value,
                        isDelete: write.isDelete,
                        timestamp: envelope.timestamp,
                    };
                    this.updates.push({ kind: 'history', namespace: ns.namespace, key, version, entry });
                }
            }
            for (const { collection, hashedWrites } of ns.collections) {
                const keys = keysByHash(privateWrites, ns.namespace, collection);
                for (const write of hashedWrites) {
                    const value = write.isDelete ? null : { valueHash: write.valueHash, version, metadata: {} };
                    this.#setHash(ns.namespace, collection, write.keyHash, value);
                    this.#schedule(ns.namespace, collection, write.keyHash, keys.get(write.keyHash), write.isDelete);
                }
            }
        }
        for (const { namespace, collection, writes } of privateWrites) {
            for (const write of writes) {
                const value = write.isDelete ? null : { value: write.value, version, metadata: {} };
                this.#privateWritten.add(privateId(namespace, collection, write.key));
                this.updates.push({ kind: 'private', namespace, collection, key: write.key, value });
            }
        }
    }

    /**
     * Purges the private data that expires with this block, as Fabric's purge manager does on
     * the commit of block N + blockToLive + 1: the hash on the channel and the value held by
     * member peers go, unless a later write replaced them (their version is then another block's),
     * and the block's own writes always stay. `privateVersion` is the committed private value's
     * version before this block.
     */
    expire(entries: ExpiryEntry[], privateVersion: (entry: ExpiryEntry) => Version | undefined): void {
        for (const entry of entries) {
            const { namespace, collection, keyHash, key, committingBlock } = entry;
            if (this.getHash(namespace, collection, keyHash)?.version.blockNum === committingBlock) {
                this.#setHash(namespace, collection, keyHash, null);
            }
            if (
                key !== undefined &&
                !this.#privateWritten.has(privateId(namespace, collection, key)) &&
                privateVersion(entry)?.blockNum === committingBlock
            ) {
                this.updates.push({ kind: 'private', namespace, collection, key, value: null });
            }
            this.updates.push({ kind: 'expiry', entry, remove: true });
        }
    }

    #setState(namespace: string, key: string, value: VersionedValue | null): void {
        this.#state.set(stateId(namespace, key), value);
        this.#changed.set(stateId(namespace, key), { namespace, key, value });
        this.updates.push({ kind: 'state', namespace, key, value });
    }

    #setHash(namespace: string, collection: string, keyHash: string, value: HashedValue | null): void {
        this.#hashes.set(hashId(namespace, collection, keyHash), value);
        this.updates.push({ kind: 'hash', namespace, collection, keyHash, value });
    }

    /** Fabric's expiry schedule: data committed in block N expires with block N + blockToLive + 1. */
    #schedule(
        namespace: string,
        collection: string,
        keyHash: string,
        key: string | undefined,
        isDelete: boolean,
    ): void {
        const blockToLive = this.#blockToLive(namespace, collection);
        if (blockToLive <= 0) {
            return;
        }
        const entry: ExpiryEntry = {
            expiringBlock: this.#blockNum + blockToLive + 1,
            namespace,
            collection,
            keyHash,
            committingBlock: this.#blockNum,
            ...(key === undefined ? {} : { key }),
        };
        // A delete later in the block takes back the schedule of an earlier write.
        this.updates.push({ kind: 'expiry', entry, remove: isDelete });
    }
}

/** The transaction index entries of a block: where each transaction sits and its validation code. */
export function transactionIndex(block: Block, txIds: string[]): StateUpdate[] {
    return txIds.flatMap((txId, txNum): StateUpdate[] => {
        const code = block.metadata.validationCodes[txNum];
        // A duplicate keeps the index entry of the transaction that came first.
        return code === peer.TxValidationCode.DUPLICATE_TXID
            ? []
            : [{ kind: 'tx', txId, location: { blockNum: block.header.number, txNum, code } }];
    });
}

function keysByHash(privateWrites: PrivateWrites, namespace: string, collection: string): Map<string, string> {
    const keys = new Map<string, string>();
    for (const group of privateWrites) {
        if (group.namespace === namespace && group.collection === collection) {
            group.writes.forEach((write) => keys.set(sha256Hex(write.key), write.key));
        }
    }
    return keys;
}

export function stateId(namespace: string, key: string): string {
    return `${namespace}\u0000${key}`;
}

export function hashId(namespace: string, collection: string, keyHash: string): string {
    return `${namespace}\u0000${collection}\u0000${keyHash}`;
}

function privateId(namespace: string, collection: string, key: string): string {
    return `${namespace}\u0000${collection}\u0000${key}`;
}
