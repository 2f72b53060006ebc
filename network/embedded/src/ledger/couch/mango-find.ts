import { compareIds, compareJson } from './collation';
import type { FindRequest } from './find-request';
import type { IndexDefinition } from './index-definition';
import { type ChosenIndex, chooseIndex } from './index-planner';
import {
    getField,
    type JsonObject,
    type JsonValue,
    marshalJson,
    parseFieldPath,
    project,
    readJsonObject,
} from './json-value';
import { QueryError } from './query-error';
import { matches } from './selector-match';

/** A stored key and value, with whatever the caller keeps beside it (e.g. its version). */
export interface StoredValue {
    key: string;
    value: Uint8Array;
}

/** A row of the index the query runs on: a document, its key in the index, whether it matches. */
interface IndexRow<T> {
    entry: T;
    key: JsonValue;
    document: JsonObject | undefined;
    matched: boolean;
}

/** One `_find` call's answer: the documents as Fabric returns them, and CouchDB's bookmark after them. */
export interface FindPage<T> {
    rows: { entry: T; value: Uint8Array }[];
    bookmark: string;
}

/**
 * CouchDB's `_find` over one database (a chaincode's state, or a collection's), on a snapshot
 * of it: the planner's index, its rows in index order (JSON index: the indexed fields' values,
 * then the document id; `_all_docs`: the id), the selector applied to each. `find` then pages
 * through them as CouchDB does with `bookmark`, `skip` and `limit`.
 *
 * Every query scans the whole database, as a database without indexes would: an index here
 * decides which documents a query sees and in which order, and whether a sort is allowed, not
 * how fast it runs.
 */
export class MangoFind<T extends StoredValue> {
    readonly #request: FindRequest;
    readonly #rows: IndexRow<T>[];

    private constructor(request: FindRequest, rows: IndexRow<T>[]) {
        this.#request = request;
        this.#rows = rows;
    }

    /** Plans the query (refusing what CouchDB refuses) before any document is read. */
    static plan(request: FindRequest, indexes: readonly IndexDefinition[]): ChosenIndex {
        return chooseIndex(request, indexes);
    }

    static run<T extends StoredValue>(request: FindRequest, index: ChosenIndex, entries: readonly T[]): MangoFind<T> {
        const columns = index === 'all_docs' ? undefined : index.fields.map(parseFieldPath);
        const rows: IndexRow<T>[] = [];
        for (const entry of entries) {
            const fields = readJsonObject(entry.value);
            // Matching sees `_id` as CouchDB's documents have it; a value that is not a JSON object has nothing else.
            const document: JsonObject = new Map([...(fields ?? []), ['_id', entry.key]]);
            let key: JsonValue = entry.key;
            if (columns && index !== 'all_docs') {
                const values = columns.map((path) => getField(document, path));
                if (values.some((value) => value === undefined)) {
                    continue; // a JSON index holds only documents that have every indexed field
                }
                if (index.partialFilter && !matches(index.partialFilter, document)) {
                    continue;
                }
                key = values as JsonValue[];
            }
            rows.push({ entry, key, document: fields, matched: matches(request.selector, document) });
        }
        rows.sort((a, b) => compareJson(a.key, b.key) || compareIds(a.entry.key, b.entry.key));
        if (request.sort?.direction === 'desc') {
            rows.reverse();
        }
        return new MangoFind(request, rows);
    }

    /**
     * One `_find` request with `limit` and the bookmark of the previous page: the rows after the
     * bookmark's position (CouchDB starts at that position and skips one row), then `skip`
     * matching rows, then up to `limit`. The bookmark returned names the last row taken or
     * skipped; with none, it is the one given (`nil` when none was given).
     */
    find(bookmark: string, limit: number): FindPage<T> {
        let position = 0;
        if (bookmark !== '') {
            const after = decodeBookmark(bookmark);
            const descending = this.#request.sort?.direction === 'desc';
            position = this.#rows.findIndex((row) => {
                const order = compareJson(row.key, after.key) || compareIds(row.entry.key, after.id);
                return descending ? order <= 0 : order >= 0;
            });
            position = position === -1 ? this.#rows.length : position + 1;
        }
        let skip = this.#request.skip;
        let last: IndexRow<T> | undefined;
        const rows: FindPage<T>['rows'] = [];
        for (const row of this.#rows.slice(position)) {
            if (rows.length === limit) {
                break;
            }
            if (!row.matched) {
                continue;
            }
            last = row;
            if (skip > 0) {
                skip--;
                continue;
            }
            rows.push({ entry: row.entry, value: this.#returned(row) });
        }
        return { rows, bookmark: last ? encodeBookmark(last.key, last.entry.key) : bookmark || 'nil' };
    }

    /**
     * What Fabric hands the chaincode: a JSON document's fields (projected by `fields`, to which
     * Fabric adds `_id` and `~version` before taking them out) marshalled as Go does; any other
     * value as it was written — or `{}` when `fields` projected it, as its attachment is not fetched.
     */
    #returned(row: IndexRow<T>): Uint8Array {
        const { fields } = this.#request;
        if (!row.document) {
            return fields ? Buffer.from('{}') : row.entry.value;
        }
        const document = fields ? project(row.document, fields) : row.document;
        return Buffer.from(marshalJson(document), 'utf8');
    }
}

/** An opaque bookmark naming a position in an index: the row's key and document id. */
function encodeBookmark(key: JsonValue, id: string): string {
    return Buffer.from(
        marshalJson(
            new Map<string, JsonValue>([
                ['i', id],
                ['k', key],
            ]),
        ),
        'utf8',
    ).toString('base64url');
}

function decodeBookmark(bookmark: string): { key: JsonValue; id: string } {
    const decoded = /^[A-Za-z0-9_-]+$/.test(bookmark) ? readJsonObject(Buffer.from(bookmark, 'base64url')) : undefined;
    const id = decoded?.get('i');
    const key = decoded?.get('k');
    if (typeof id !== 'string' || key === undefined) {
        throw QueryError.couch('invalid_bookmark', `Invalid bookmark value: ${JSON.stringify(bookmark)}`);
    }
    return { key, id };
}
