/**
 * Read-write sets as a Fabric peer records them during simulation and checks them at commit.
 * Values travel as Uint8Array; versions are the (block, transaction) height of the last write.
 */
export interface Version {
    blockNum: number;
    txNum: number;
}

export interface KeyRead {
    key: string;
    /** `null` when the key did not exist at simulation time. */
    version: Version | null;
}

export interface KeyWrite {
    key: string;
    isDelete: boolean;
    value: Uint8Array;
}

export interface MetadataWrite {
    key: string;
    /** Complete metadata after the write (Fabric replaces all entries of a key at once). */
    entries: Record<string, Uint8Array>;
}

/** A range query as simulated, re-run at commit to find phantoms. */
export interface RangeQueryRecord {
    startKey: string;
    endKey: string;
    /** False when the chaincode stopped iterating early: validation then stops at the last key read. */
    exhausted: boolean;
    reads: KeyRead[];
}

export interface HashedRead {
    keyHash: string;
    version: Version | null;
}

export interface HashedWrite {
    keyHash: string;
    isDelete: boolean;
    /** Hex SHA-256 of the value; empty for deletes. */
    valueHash: string;
    /** Set by `purgePrivateData` (Fabric's `KVWriteHash.is_purge`): a delete that also purges past versions. */
    isPurge?: true;
}

/** What a collection contributes: hashes go on the channel, values only to member peers. */
export interface CollectionRwSet {
    collection: string;
    hashedReads: HashedRead[];
    hashedWrites: HashedWrite[];
    /** The private values; stripped from the block and kept in the private store. */
    privateWrites: KeyWrite[];
}

export interface NamespaceRwSet {
    namespace: string;
    reads: KeyRead[];
    rangeQueries: RangeQueryRecord[];
    writes: KeyWrite[];
    metadataWrites: MetadataWrite[];
    collections: CollectionRwSet[];
}

export type TxRwSet = NamespaceRwSet[];

export function versionEquals(a: Version | null, b: Version | null): boolean {
    if (a === null || b === null) {
        return a === b;
    }
    return a.blockNum === b.blockNum && a.txNum === b.txNum;
}
