import { ErrorCode, ZhelianError } from '@zhelian/api';
import type { ChaincodeResponse, KeyModification, KeyValue, RangePage, ShimRequestHandler } from '../chaincode/handler';
import type { CollectionDefinition } from './collections';
import { StateDatabase } from './couch/state-database';
import { sha256, sha256Hex } from './encoding';
import type { CollectionRwSet, KeyRead, KeyWrite, NamespaceRwSet, RangeQueryRecord, TxRwSet, Version } from './rwset';
import type { VersionedKeyValue } from './records';
import type { LedgerStore } from './store';

/** What a simulation needs to know beyond the ledger: who simulates, for whom, with which rules. */
export interface SimulationContext {
    store: LedgerStore;
    channelId: string;
    /** The org of the peer that simulates: it holds private data only of collections it belongs to. */
    peerMspId: string;
    /** The org of the client that submitted the proposal (memberOnlyRead/Write apply to it). */
    creatorMspId: string;
    collections(namespace: string): ReadonlyMap<string, CollectionDefinition>;
    /** The peers' state database: LevelDB when absent (rich queries are not supported). */
    stateDatabase?: StateDatabase;
    /** Run another chaincode on this peer within the same transaction (cross-chaincode invoke). */
    invokeChaincode(
        chaincodeName: string,
        args: Uint8Array[],
        simulator: TransactionSimulator,
    ): Promise<ChaincodeResponse>;
}

/** Raised inside a simulation; the chaincode receives the message as a rejected shim call. */
export class SimulationError extends ZhelianError {
    constructor(message: string) {
        super(ErrorCode.SIMULATION_REFUSED, message);
    }
}

const EMPTY = new Uint8Array(0);
const LEVELDB = StateDatabase.leveldb();

/**
 * Simulates one transaction on one peer, as Fabric's transaction simulator does: reads come
 * from committed state (never from the transaction's own writes), the last write of a key wins,
 * an empty value is a delete, and range queries are recorded so the committer can find phantoms.
 */
export class TransactionSimulator {
    readonly #context: SimulationContext;
    readonly #namespaces = new Map<string, NamespaceBuilder>();
    readonly #privateValueReads = new Set<string>();
    #paginatedQueryPerformed = false;
    #privateQueryPerformed = false;
    #writePerformed = false;

    /** Refuses to start on a damaged ledger: its world state may not be what the blocks say. */
    constructor(context: SimulationContext) {
        context.store.assertIntact();
        this.#context = context;
    }

    /** The shim handler for one chaincode's namespace. */
    handlerFor(namespace: string): ShimRequestHandler {
        return new NamespaceHandler(this, this.#context, this.#builder(namespace), namespace);
    }

    /** The simulation result, sorted by namespace and key so every peer produces the same bytes. */
    results(): TxRwSet {
        return [...this.#namespaces.values()]
            .sort((a, b) => compareUtf8(a.namespace, b.namespace))
            .map((builder) => builder.toRwSet())
            .filter(
                (rwset) =>
                    rwset.reads.length +
                        rwset.writes.length +
                        rwset.rangeQueries.length +
                        rwset.metadataWrites.length +
                        rwset.collections.length >
                    0,
            );
    }

    /**
     * Collections whose values (not just hashes) this simulation read: Fabric Gateway's
     * "chaincode interest" — only member peers can endorse such a transaction alike.
     */
    privateValueReads(): { namespace: string; collection: string }[] {
        return [...this.#privateValueReads].map((id) => {
            const [namespace, collection] = id.split('\u0000');
            return { namespace, collection };
        });
    }

    notePrivateValueRead(namespace: string, collection: string): void {
        this.#privateValueReads.add(`${namespace}\u0000${collection}`);
    }

    beforeWrite(): void {
        if (this.#paginatedQueryPerformed) {
            throw new SimulationError('txSimulator does not support write after paginated queries');
        }
        if (this.#privateQueryPerformed) {
            throw new SimulationError('txSimulator does not support write after private data range queries');
        }
        this.#writePerformed = true;
    }

    beforeReadOnlyQuery(kind: 'paginated' | 'private'): void {
        if (this.#writePerformed) {
            throw new SimulationError(
                `txSimulator does not support ${kind === 'paginated' ? 'paginated queries' : 'private data range queries'} in write transactions`,
            );
        }
        if (kind === 'paginated') {
            this.#paginatedQueryPerformed = true;
        } else {
            this.#privateQueryPerformed = true;
        }
    }

    #builder(namespace: string): NamespaceBuilder {
        let builder = this.#namespaces.get(namespace);
        if (!builder) {
            builder = new NamespaceBuilder(namespace);
            this.#namespaces.set(namespace, builder);
        }
        return builder;
    }
}

class CollectionBuilder {
    readonly hashedReads = new Map<string, Version | null>();
    readonly hashedWrites = new Map<string, { isDelete: boolean; valueHash: string; isPurge?: true }>();
    readonly privateWrites = new Map<string, KeyWrite>();

    constructor(readonly collection: string) {}

    toRwSet(): CollectionRwSet {
        return {
            collection: this.collection,
            hashedReads: sortedEntries(this.hashedReads).map(([keyHash, version]) => ({ keyHash, version })),
            hashedWrites: sortedEntries(this.hashedWrites).map(([keyHash, write]) => ({ keyHash, ...write })),
            privateWrites: sortedEntries(this.privateWrites).map(([, write]) => write),
        };
    }
}

class NamespaceBuilder {
    readonly reads = new Map<string, Version | null>();
    readonly writes = new Map<string, KeyWrite>();
    readonly metadataWrites = new Map<string, Record<string, Uint8Array>>();
    readonly rangeQueries: RangeQueryRecord[] = [];
    readonly collections = new Map<string, CollectionBuilder>();

    constructor(readonly namespace: string) {}

    recordRead(key: string, version: Version | null): void {
        if (!this.reads.has(key)) {
            this.reads.set(key, version);
        }
    }

    collection(name: string): CollectionBuilder {
        let builder = this.collections.get(name);
        if (!builder) {
            builder = new CollectionBuilder(name);
            this.collections.set(name, builder);
        }
        return builder;
    }

    toRwSet(): NamespaceRwSet {
        return {
            namespace: this.namespace,
            reads: sortedEntries(this.reads).map(([key, version]): KeyRead => ({ key, version })),
            rangeQueries: this.rangeQueries,
            writes: sortedEntries(this.writes).map(([, write]) => write),
            metadataWrites: sortedEntries(this.metadataWrites).map(([key, entries]) => ({ key, entries })),
            collections: sortedEntries(this.collections).map(([, builder]) => builder.toRwSet()),
        };
    }
}

class NamespaceHandler implements ShimRequestHandler {
    readonly #simulator: TransactionSimulator;
    readonly #context: SimulationContext;
    readonly #builder: NamespaceBuilder;
    readonly #namespace: string;

    constructor(
        simulator: TransactionSimulator,
        context: SimulationContext,
        builder: NamespaceBuilder,
        namespace: string,
    ) {
        this.#simulator = simulator;
        this.#context = context;
        this.#builder = builder;
        this.#namespace = namespace;
    }

    get #db(): StateDatabase {
        return this.#context.stateDatabase ?? LEVELDB;
    }

    async getState(collection: string, key: string): Promise<Uint8Array> {
        this.#db.checkKey(key);
        if (collection === '') {
            const current = await this.#context.store.getState(this.#namespace, key);
            this.#builder.recordRead(key, current?.version ?? null);
            return current ? this.#db.readValue(current.value) : EMPTY;
        }
        const definition = this.#collection(collection, 'read');
        const keyHash = sha256Hex(key);
        const hashed = await this.#context.store.getPrivateHash(this.#namespace, collection, keyHash);
        // A peer outside the collection never received the value: it holds the channel's hash only.
        const current = definition.memberOrgs.includes(this.#context.peerMspId)
            ? await this.#context.store.getPrivate(this.#namespace, collection, key)
            : undefined;
        // Fabric's query executor answers only with the value of the version the channel holds the hash of.
        if (!sameVersion(hashed?.version, current?.version)) {
            throw new SimulationError(
                'private data matching public hash version is not available. ' +
                    `Public hash version = ${heightText(hashed?.version)}, Private data version = ${heightText(current?.version)}`,
            );
        }
        const reads = this.#builder.collection(collection).hashedReads;
        if (!reads.has(keyHash)) {
            reads.set(keyHash, hashed?.version ?? null);
        }
        this.#simulator.notePrivateValueRead(this.#namespace, collection);
        return current ? this.#db.readValue(current.value) : EMPTY;
    }

    async getPrivateDataHash(collection: string, key: string): Promise<Uint8Array> {
        this.#collection(collection);
        const keyHash = sha256Hex(key);
        const hashed = await this.#context.store.getPrivateHash(this.#namespace, collection, keyHash);
        const reads = this.#builder.collection(collection).hashedReads;
        if (!reads.has(keyHash)) {
            reads.set(keyHash, hashed?.version ?? null);
        }
        return hashed ? new Uint8Array(Buffer.from(hashed.valueHash, 'hex')) : EMPTY;
    }

    async putState(collection: string, key: string, value: Uint8Array): Promise<void> {
        this.#write(collection, key, value);
    }

    async deleteState(collection: string, key: string): Promise<void> {
        this.#write(collection, key, EMPTY);
    }

    /**
     * Fabric's purge: a delete whose hashed write is marked `isPurge`. Fabric also drops the key's
     * past versions from its private data store; this ledger keeps only current values, so the
     * delete is the whole of it here.
     */
    async purgePrivateData(collection: string, key: string): Promise<void> {
        if (collection === '') {
            throw new SimulationError('only applicable for private data');
        }
        this.#write(collection, key, EMPTY, true);
    }

    async getStateMetadata(collection: string, key: string): Promise<Map<string, Uint8Array>> {
        if (collection !== '') {
            this.#collection(collection, 'read');
            const hashed = await this.#context.store.getPrivateHash(this.#namespace, collection, sha256Hex(key));
            return new Map(Object.entries(hashed?.metadata ?? {}));
        }
        this.#db.checkKey(key);
        const current = await this.#context.store.getState(this.#namespace, key);
        this.#builder.recordRead(key, current?.version ?? null);
        return new Map(Object.entries(current?.metadata ?? {}));
    }

    async putStateMetadata(collection: string, key: string, name: string, value: Uint8Array): Promise<void> {
        if (collection !== '') {
            throw new SimulationError(
                'key-level endorsement policies on private data are not supported by the embedded ledger',
            );
        }
        this.#simulator.beforeWrite();
        this.#db.checkWrite(key, EMPTY);
        const pending = this.#builder.metadataWrites.get(key);
        const base = pending ?? (await this.#context.store.getState(this.#namespace, key))?.metadata ?? {};
        this.#builder.metadataWrites.set(key, { ...base, [name]: value });
    }

    getStateByRange(collection: string, startKey: string, endKey: string): AsyncIterable<KeyValue> {
        if (collection !== '') {
            this.#collection(collection, 'read');
            this.#simulator.beforeReadOnlyQuery('private');
            this.#simulator.notePrivateValueRead(this.#namespace, collection);
            const peerIsMember = this.#collection(collection).memberOrgs.includes(this.#context.peerMspId);
            const store = this.#context.store;
            const namespace = this.#namespace;
            const db = this.#db;
            return (async function* () {
                if (!peerIsMember) {
                    return;
                }
                for await (const record of store.rangePrivate(namespace, collection, startKey, endKey)) {
                    yield { key: record.key, value: db.readValue(record.value) };
                }
            })();
        }
        const record: RangeQueryRecord = { startKey, endKey, exhausted: false, reads: [] };
        this.#builder.rangeQueries.push(record);
        const range = this.#context.store.rangeState(this.#namespace, startKey, endKey);
        const db = this.#db;
        return (async function* () {
            for await (const entry of range) {
                record.reads.push({ key: entry.key, version: entry.version });
                yield { key: entry.key, value: db.readValue(entry.value) };
            }
            record.exhausted = true;
        })();
    }

    async getStateByRangePage(
        startKey: string,
        endKey: string,
        pageSize: number,
        bookmark: string,
    ): Promise<RangePage> {
        this.#simulator.beforeReadOnlyQuery('paginated');
        const from = bookmark !== '' && compareUtf8(bookmark, startKey) > 0 ? bookmark : startKey;
        const records: KeyValue[] = [];
        let next = '';
        for await (const entry of this.#context.store.rangeState(this.#namespace, from, endKey)) {
            if (records.length === pageSize) {
                next = entry.key;
                break;
            }
            records.push({ key: entry.key, value: this.#db.readValue(entry.value) });
        }
        return { records, bookmark: next, fetchedCount: records.length };
    }

    /**
     * A rich query, as Fabric's CouchDB state database runs it (`ExecuteQuery`,
     * `ExecuteQueryOnPrivateData`); LevelDB answers that it is not supported. Each public result
     * is recorded as a read of its version, so MVCC catches a change to it before commit, but the
     * query is not re-run at commit: a document that starts to match meanwhile is no phantom, as
     * Fabric documents. A private query is read-only, as a private range query.
     */
    getQueryResult(collection: string, query: string): AsyncIterable<KeyValue> {
        const { store, peerMspId } = this.#context;
        const namespace = this.#namespace;
        const db = this.#db;
        if (collection !== '') {
            this.#collection(collection, 'read');
            this.#simulator.beforeReadOnlyQuery('private');
            this.#simulator.notePrivateValueRead(namespace, collection);
            const peerIsMember = this.#collection(collection).memberOrgs.includes(peerMspId);
            return (async function* () {
                // A peer outside the collection has an empty private database for it.
                const entries = () =>
                    peerIsMember ? store.rangePrivate(namespace, collection, '', '') : empty<VersionedKeyValue>();
                const scanner = await db.query(peerMspId, namespace, collection, query, entries);
                for (let row = scanner.next(); row; row = scanner.next()) {
                    yield { key: row.entry.key, value: row.value };
                }
            })();
        }
        const builder = this.#builder;
        return (async function* () {
            const scanner = await db.query(peerMspId, namespace, '', query, () => store.rangeState(namespace, '', ''));
            for (let row = scanner.next(); row; row = scanner.next()) {
                builder.recordRead(row.entry.key, row.entry.version);
                yield { key: row.entry.key, value: row.value };
            }
        })();
    }

    /**
     * One page of a rich query on the public state (Fabric's `ExecuteQueryWithPagination`):
     * read-only, at most `limit` results (the page size, capped by totalQueryLimit), and the
     * CouchDB bookmark that continues it.
     */
    async getQueryResultPage(query: string, pageSize: number, bookmark: string, limit: number): Promise<RangePage> {
        this.#simulator.beforeReadOnlyQuery('paginated');
        const { store, peerMspId } = this.#context;
        const scanner = await this.#db.query(
            peerMspId,
            this.#namespace,
            '',
            query,
            () => store.rangeState(this.#namespace, '', ''),
            { pageSize, bookmark },
        );
        const records: KeyValue[] = [];
        for (let row = records.length < limit ? scanner.next() : undefined; row;) {
            this.#builder.recordRead(row.entry.key, row.entry.version);
            records.push({ key: row.entry.key, value: row.value });
            row = records.length < limit ? scanner.next() : undefined;
        }
        return { records, bookmark: scanner.bookmark, fetchedCount: records.length };
    }

    getHistoryForKey(key: string): AsyncIterable<KeyModification> {
        return this.#context.store.history(this.#namespace, key);
    }

    async invokeChaincode(chaincodeName: string, channelId: string, args: Uint8Array[]): Promise<ChaincodeResponse> {
        if (channelId !== '' && channelId !== this.#context.channelId) {
            throw new SimulationError(
                `channel ${channelId} is not known to this peer (only ${this.#context.channelId})`,
            );
        }
        return this.#context.invokeChaincode(chaincodeName, args, this.#simulator);
    }

    #write(collection: string, key: string, value: Uint8Array, purge = false): void {
        if (key === '') {
            throw new SimulationError('key must not be an empty string');
        }
        this.#simulator.beforeWrite();
        this.#db.checkWrite(key, value);
        const write: KeyWrite = { key, isDelete: value.length === 0, value };
        if (collection === '') {
            this.#builder.writes.set(key, write);
            return;
        }
        this.#collection(collection, 'write');
        const builder = this.#builder.collection(collection);
        builder.hashedWrites.set(sha256Hex(key), {
            isDelete: write.isDelete,
            valueHash: write.isDelete ? '' : Buffer.from(sha256(value)).toString('hex'),
            ...(purge ? { isPurge: true as const } : {}),
        });
        builder.privateWrites.set(key, write);
    }

    #collection(name: string, access?: 'read' | 'write'): CollectionDefinition {
        const definition = this.#context.collections(this.#namespace).get(name);
        if (!definition) {
            throw new SimulationError(
                `collection ${name} is not defined in the collection config of chaincode ${this.#namespace}`,
            );
        }
        const creatorIsMember = definition.memberOrgs.includes(this.#context.creatorMspId);
        if (access === 'read' && definition.memberOnlyRead && !creatorIsMember) {
            throw new SimulationError(
                `tx creator does not have read access permission on privatedata in chaincodeName:${this.#namespace} collectionName: ${name}`,
            );
        }
        if (access === 'write' && definition.memberOnlyWrite && !creatorIsMember) {
            throw new SimulationError(
                `tx creator does not have write access permission on privatedata in chaincodeName:${this.#namespace} collectionName: ${name}`,
            );
        }
        return definition;
    }
}

/** Compare as UTF-8 bytes, the order LevelDB keeps keys in (differs from JS string order above U+FFFF). */
export function compareUtf8(a: string, b: string): number {
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

async function* empty<T>(): AsyncIterable<T> {}

/** Both absent, or the same block and transaction (Fabric's `version.AreSame`). */
function sameVersion(a: Version | undefined, b: Version | undefined): boolean {
    return a === undefined || b === undefined ? a === b : a.blockNum === b.blockNum && a.txNum === b.txNum;
}

/** A version as Fabric's `version.Height` prints it. */
function heightText(version: Version | undefined): string {
    return version ? `{BlockNum: ${version.blockNum}, TxNum: ${version.txNum}}` : '<nil>';
}

function sortedEntries<V>(map: Map<string, V>): [string, V][] {
    return [...map.entries()].sort(([a], [b]) => compareUtf8(a, b));
}
