import { ledger } from '@hyperledger/fabric-protos';
import { sha256 } from './encoding';
import type {
    CollectionRwSet,
    HashedRead,
    HashedWrite,
    KeyRead,
    KeyWrite,
    MetadataWrite,
    NamespaceRwSet,
    RangeQueryRecord,
    TxRwSet,
    Version,
} from './rwset';

const { rwset } = ledger;
const { kvrwset } = rwset;

/**
 * A read-write set as Fabric's `rwset.TxReadWriteSet` protobuf: per namespace a `KVRWSet` (reads
 * with versions, range queries with their raw reads, writes, metadata writes) and per collection a
 * `HashedRWSet` of key and value hashes, with `pvt_rwset_hash` over the private `KVRWSet` the
 * collection's members keep. Private values never enter these bytes.
 *
 * ```ts
 * const bytes = encodeTxRwSet(simulator.results());
 * decodeTxRwSet(bytes); // the same read-write set, private values removed
 * ```
 */
export function encodeTxRwSet(txRwSet: TxRwSet): Uint8Array {
    const message = new rwset.TxReadWriteSet();
    message.setDataModel(rwset.TxReadWriteSet.DataModel.KV);
    message.setNsRwsetList(txRwSet.map(encodeNamespace));
    return message.serializeBinary();
}

/** The read-write set an `rwset.TxReadWriteSet` holds; collections come with no private values. */
export function decodeTxRwSet(bytes: Uint8Array): TxRwSet {
    return rwset.TxReadWriteSet.deserializeBinary(bytes)
        .getNsRwsetList()
        .map((ns): NamespaceRwSet => {
            const kv = kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8());
            return {
                namespace: ns.getNamespace(),
                reads: kv.getReadsList().map(decodeRead),
                rangeQueries: kv.getRangeQueriesInfoList().map((query): RangeQueryRecord => ({
                    startKey: query.getStartKey(),
                    endKey: query.getEndKey(),
                    exhausted: query.getItrExhausted(),
                    reads: query.getRawReads()?.getKvReadsList().map(decodeRead) ?? [],
                })),
                writes: kv.getWritesList().map(decodeWrite),
                metadataWrites: kv.getMetadataWritesList().map((write): MetadataWrite => ({
                    key: write.getKey(),
                    entries: decodeEntries(write.getEntriesList()),
                })),
                collections: ns.getCollectionHashedRwsetList().map(decodeCollection),
            };
        });
}

/**
 * The private part of a transaction's writes as Fabric's `rwset.TxPvtReadWriteSet`: what the
 * Deliver service hands a member organization beside the block (`DeliverWithPrivateData`).
 */
export function encodeTxPvtRwSet(
    writes: readonly { namespace: string; collection: string; writes: KeyWrite[] }[],
): ledger.rwset.TxPvtReadWriteSet {
    const message = new rwset.TxPvtReadWriteSet();
    message.setDataModel(rwset.TxReadWriteSet.DataModel.KV);
    const namespaces = [...new Set(writes.map((w) => w.namespace))];
    message.setNsPvtRwsetList(
        namespaces.map((namespace) => {
            const ns = new rwset.NsPvtReadWriteSet();
            ns.setNamespace(namespace);
            ns.setCollectionPvtRwsetList(
                writes
                    .filter((w) => w.namespace === namespace)
                    .map((w) => {
                        const collection = new rwset.CollectionPvtReadWriteSet();
                        collection.setCollectionName(w.collection);
                        collection.setRwset(privateKvRwSet(w.writes));
                        return collection;
                    }),
            );
            return ns;
        }),
    );
    return message;
}

function encodeNamespace(ns: NamespaceRwSet): ledger.rwset.NsReadWriteSet {
    const kv = new kvrwset.KVRWSet();
    kv.setReadsList(ns.reads.map(encodeRead));
    kv.setRangeQueriesInfoList(
        ns.rangeQueries.map((query) => {
            const info = new kvrwset.RangeQueryInfo();
            info.setStartKey(query.startKey);
            info.setEndKey(query.endKey);
            info.setItrExhausted(query.exhausted);
            const reads = new kvrwset.QueryReads();
            reads.setKvReadsList(query.reads.map(encodeRead));
            info.setRawReads(reads);
            return info;
        }),
    );
    kv.setWritesList(ns.writes.map(encodeWrite));
    kv.setMetadataWritesList(
        ns.metadataWrites.map((write) => {
            const message = new kvrwset.KVMetadataWrite();
            message.setKey(write.key);
            message.setEntriesList(encodeEntries(write.entries));
            return message;
        }),
    );
    const message = new rwset.NsReadWriteSet();
    message.setNamespace(ns.namespace);
    message.setRwset(kv.serializeBinary());
    message.setCollectionHashedRwsetList(ns.collections.map(encodeCollection));
    return message;
}

function encodeCollection(collection: CollectionRwSet): ledger.rwset.CollectionHashedReadWriteSet {
    const hashed = new kvrwset.HashedRWSet();
    hashed.setHashedReadsList(
        collection.hashedReads.map((read) => {
            const message = new kvrwset.KVReadHash();
            message.setKeyHash(fromHex(read.keyHash));
            if (read.version) {
                message.setVersion(encodeVersion(read.version));
            }
            return message;
        }),
    );
    hashed.setHashedWritesList(
        collection.hashedWrites.map((write) => {
            const message = new kvrwset.KVWriteHash();
            message.setKeyHash(fromHex(write.keyHash));
            message.setIsDelete(write.isDelete);
            message.setValueHash(fromHex(write.valueHash));
            message.setIsPurge(write.isPurge === true);
            return message;
        }),
    );
    const message = new rwset.CollectionHashedReadWriteSet();
    message.setCollectionName(collection.collection);
    message.setHashedRwset(hashed.serializeBinary());
    if (collection.privateWrites.length > 0) {
        message.setPvtRwsetHash(sha256(privateKvRwSet(collection.privateWrites)));
    }
    return message;
}

function decodeCollection(message: ledger.rwset.CollectionHashedReadWriteSet): CollectionRwSet {
    const hashed = kvrwset.HashedRWSet.deserializeBinary(message.getHashedRwset_asU8());
    return {
        collection: message.getCollectionName(),
        hashedReads: hashed.getHashedReadsList().map((read): HashedRead => ({
            keyHash: toHex(read.getKeyHash_asU8()),
            version: decodeVersion(read.getVersion()),
        })),
        hashedWrites: hashed.getHashedWritesList().map((write): HashedWrite => ({
            keyHash: toHex(write.getKeyHash_asU8()),
            isDelete: write.getIsDelete(),
            valueHash: toHex(write.getValueHash_asU8()),
            ...(write.getIsPurge() ? { isPurge: true as const } : {}),
        })),
        privateWrites: [],
    };
}

/** A collection's private writes as the `KVRWSet` its members keep; `pvt_rwset_hash` is its SHA-256. */
function privateKvRwSet(writes: KeyWrite[]): Uint8Array {
    const kv = new kvrwset.KVRWSet();
    kv.setWritesList(writes.map(encodeWrite));
    return kv.serializeBinary();
}

function encodeRead(read: KeyRead): ledger.rwset.kvrwset.KVRead {
    const message = new kvrwset.KVRead();
    message.setKey(read.key);
    if (read.version) {
        message.setVersion(encodeVersion(read.version));
    }
    return message;
}

function decodeRead(message: ledger.rwset.kvrwset.KVRead): KeyRead {
    return { key: message.getKey(), version: decodeVersion(message.getVersion()) };
}

function encodeWrite(write: KeyWrite): ledger.rwset.kvrwset.KVWrite {
    const message = new kvrwset.KVWrite();
    message.setKey(write.key);
    message.setIsDelete(write.isDelete);
    message.setValue(write.value);
    return message;
}

function decodeWrite(message: ledger.rwset.kvrwset.KVWrite): KeyWrite {
    return { key: message.getKey(), isDelete: message.getIsDelete(), value: message.getValue_asU8() };
}

function encodeVersion(version: Version): ledger.rwset.kvrwset.Version {
    const message = new kvrwset.Version();
    message.setBlockNum(version.blockNum);
    message.setTxNum(version.txNum);
    return message;
}

/** Fabric writes no version for a key that did not exist when it was read. */
function decodeVersion(message: ledger.rwset.kvrwset.Version | undefined): Version | null {
    return message ? { blockNum: message.getBlockNum(), txNum: message.getTxNum() } : null;
}

/** Metadata entries by name, as Fabric sorts them. */
function encodeEntries(entries: Record<string, Uint8Array>): ledger.rwset.kvrwset.KVMetadataEntry[] {
    return Object.keys(entries)
        .sort()
        .map((name) => {
            const entry = new kvrwset.KVMetadataEntry();
            entry.setName(name);
            entry.setValue(entries[name]);
            return entry;
        });
}

function decodeEntries(entries: ledger.rwset.kvrwset.KVMetadataEntry[]): Record<string, Uint8Array> {
    return Object.fromEntries(entries.map((entry) => [entry.getName(), entry.getValue_asU8()]));
}

function fromHex(hex: string): Uint8Array {
    return new Uint8Array(Buffer.from(hex, 'hex'));
}

function toHex(bytes: Uint8Array): string {
    return Buffer.from(bytes).toString('hex');
}
