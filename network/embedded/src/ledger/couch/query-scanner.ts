import type { FindPage, MangoFind, StoredValue } from './mango-find';

/**
 * Fabric's scanner over a CouchDB query (statecouchdb's `queryScanner`): it asks CouchDB for
 * `internalQueryLimit` documents at a time, each request continuing from the previous one's
 * bookmark, and for a page (`pageSize` > 0) never more than the page still needs. Fabric
 * overrides any `limit` in the chaincode's query this way.
 */
export class QueryScanner<T extends StoredValue> {
    readonly #find: MangoFind<T>;
    readonly #internalQueryLimit: number;
    readonly #pageSize: number;
    #bookmark: string;
    #results: FindPage<T>['rows'] = [];
    #cursor = -1;
    #returned = 0;

    /** `pageSize` 0: no paging, the chaincode iterates until the results end (or totalQueryLimit). */
    constructor(find: MangoFind<T>, internalQueryLimit: number, pageSize: number, bookmark: string) {
        this.#find = find;
        this.#internalQueryLimit = internalQueryLimit;
        this.#pageSize = pageSize;
        this.#bookmark = bookmark;
        this.#query();
        this.#cursor = -1;
    }

    /** The bookmark of the last CouchDB request: where the next page starts. */
    get bookmark(): string {
        return this.#bookmark;
    }

    next(): { entry: T; value: Uint8Array } | undefined {
        if (this.#results.length === 0) {
            return undefined;
        }
        this.#cursor++;
        if (this.#cursor >= this.#internalQueryLimit) {
            this.#query();
            if (this.#results.length === 0) {
                return undefined;
            }
        }
        const result = this.#results[this.#cursor];
        if (result) {
            this.#returned++;
        }
        return result;
    }

    #query(): void {
        let limit = this.#internalQueryLimit;
        if (this.#pageSize > 0 && this.#pageSize - this.#returned < limit) {
            limit = this.#pageSize - this.#returned;
        }
        const page = this.#find.find(this.#bookmark, limit);
        this.#results = page.rows;
        this.#bookmark = page.bookmark;
        this.#cursor = 0;
    }
}
