import type { LedgerStore } from '../store';
import { parseFindRequest } from './find-request';
import { IndexCatalog } from './index-catalog';
import type { IndexDefinition } from './index-definition';
import { marshalJson, readJsonObject } from './json-value';
import { MangoFind, type StoredValue } from './mango-find';
import { QueryError } from './query-error';
import { QueryScanner } from './query-scanner';

/** Fabric's `ledger.state.stateDatabase`: LevelDB (the default) or CouchDB. */
export type StateDatabaseKind = 'leveldb' | 'couchdb';

/** Fabric's default `ledger.state.couchDBConfig.internalQueryLimit`: documents per CouchDB request. */
export const DEFAULT_INTERNAL_QUERY_LIMIT = 1000;

/**
 * The peers' state database as simulation sees it. The world state itself stays where the
 * committer writes it (so it remains derived from the blocks and verifiable); what the state
 * database decides is how values read back, which keys and values a write may carry, and whether
 * and how rich queries run.
 *
 * ```ts
 * const couch = await StateDatabase.couchdb(store);
 * couch.checkWrite('asset1', Buffer.from('{"_id":"x"}')); // throws: field [_id] is not valid …
 * const query = couch.query('Org1MSP', 'basic', '', '{"selector":{"owner":"tom"}}');
 * ```
 */
export class StateDatabase {
    readonly kind: StateDatabaseKind;
    readonly internalQueryLimit: number;
    readonly #catalog: IndexCatalog | undefined;

    private constructor(kind: StateDatabaseKind, internalQueryLimit: number, catalog?: IndexCatalog) {
        this.kind = kind;
        this.internalQueryLimit = internalQueryLimit;
        this.#catalog = catalog;
    }

    static leveldb(): StateDatabase {
        return new StateDatabase('leveldb', DEFAULT_INTERNAL_QUERY_LIMIT);
    }

    /** A CouchDB state database; its indexes are kept in the store's metadata. */
    static async couchdb(
        store: LedgerStore,
        internalQueryLimit = DEFAULT_INTERNAL_QUERY_LIMIT,
    ): Promise<StateDatabase> {
        return new StateDatabase('couchdb', internalQueryLimit, await IndexCatalog.open(store));
    }

    /**
     * Creates a chaincode package's CouchDB indexes on an organization's peer (LevelDB has none).
     * `log` hears the index files that CouchDB would refuse.
     */
    async deployIndexes(
        mspId: string,
        namespace: string,
        collections: readonly string[],
        packageDir: string,
        log: (line: string) => void,
    ): Promise<void> {
        await this.#catalog?.deploy(mspId, namespace, collections, packageDir, log);
    }

    indexes(mspId: string, namespace: string, collection: string): readonly IndexDefinition[] {
        return this.#catalog?.indexes(mspId, namespace, collection) ?? [];
    }

    /**
     * Fabric's `ValidateKeyValue`, applied when a transaction writes: CouchDB refuses keys that
     * start with `_` (CouchDB's own documents) and JSON object values with a top-level field that
     * starts with `_` or is `~version` (CouchDB's and Fabric's bookkeeping in the document).
     */
    checkWrite(key: string, value: Uint8Array): void {
        this.checkKey(key);
        if (this.kind === 'couchdb' && value.length > 0) {
            const reserved = [...(readJsonObject(value)?.keys() ?? [])].find(
                (field) => field === '~version' || field.startsWith('_'),
            );
            if (reserved !== undefined) {
                throw new QueryError(`field [${reserved}] is not valid for the CouchDB state database`);
            }
        }
    }

    /** Keys CouchDB cannot hold are refused when read too (Fabric validates the key before it asks CouchDB). */
    checkKey(key: string): void {
        if (this.kind !== 'couchdb') {
            return;
        }
        if (key.startsWith('_')) {
            throw new QueryError(`invalid key [${key}], cannot begin with "_"`);
        }
        if (key === '') {
            throw new QueryError('invalid key. Empty string is not supported as a key by couchdb');
        }
    }

    /**
     * A stored value as the state database gives it back: from CouchDB, a JSON object comes back
     * re-marshalled by Go (keys sorted, no spaces; numbers as CouchDB keeps them); anything else,
     * and everything from LevelDB, byte for byte.
     */
    readValue(value: Uint8Array): Uint8Array {
        if (this.kind !== 'couchdb' || value.length === 0) {
            return value;
        }
        const document = readJsonObject(value);
        return document ? Buffer.from(marshalJson(document), 'utf8') : value;
    }

    /**
     * Starts a rich query on a chaincode's state or a collection, as the peer an organization runs
     * would: checked and planned first (refusals come before any result), then a scanner over
     * the documents `entries` yields. `pageSize` 0 reads until the results end.
     */
    async query<T extends StoredValue>(
        mspId: string,
        namespace: string,
        collection: string,
        query: string,
        entries: () => AsyncIterable<T>,
        paging: { pageSize: number; bookmark: string } = { pageSize: 0, bookmark: '' },
    ): Promise<QueryScanner<T>> {
        if (this.kind !== 'couchdb') {
            throw new QueryError(
                paging.pageSize > 0
                    ? 'ExecuteQueryWithMetadata not supported for leveldb'
                    : 'ExecuteQuery not supported for leveldb',
            );
        }
        const request = parseFindRequest(query);
        const index = MangoFind.plan(request, this.indexes(mspId, namespace, collection));
        const stored: T[] = [];
        for await (const entry of entries()) {
            stored.push(entry);
        }
        return new QueryScanner(
            MangoFind.run(request, index, stored),
            this.internalQueryLimit,
            paging.pageSize,
            paging.bookmark,
        );
    }
}
