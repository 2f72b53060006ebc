import { ledger, peer } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import type { KeyModification, KeyValue } from './handler';

/**
 * The peer's side of one open query iterator (range, rich query or history) within one
 * execution. Results go to the shim in batches of `batchSize`; like a Fabric peer it reads one
 * result ahead, so `has_more` is true only when another result really exists (the shim cannot
 * cope with an empty follow-up batch), and it stops after `totalLimit` results
 * (`ledger.state.totalQueryLimit`).
 */
export class QueryIterator<T> {
    readonly id: string;
    readonly #source: AsyncIterator<T>;
    readonly #encode: (item: T) => Uint8Array;
    readonly #batchSize: number;
    readonly #totalLimit: number;
    #lookahead: T | undefined;
    #counted = 0;
    #closed = false;

    constructor(
        id: string,
        source: AsyncIterable<T>,
        encode: (item: T) => Uint8Array,
        batchSize: number,
        totalLimit: number,
    ) {
        this.id = id;
        this.#source = source[Symbol.asyncIterator]();
        this.#encode = encode;
        this.#batchSize = batchSize;
        this.#totalLimit = totalLimit;
    }

    get closed(): boolean {
        return this.#closed;
    }

    /** The next batch as a `QueryResponse`; the iterator closes itself after the last one. */
    async nextResponse(): Promise<peer.QueryResponse> {
        const batch: T[] = [];
        if (this.#lookahead !== undefined) {
            batch.push(this.#lookahead);
            this.#lookahead = undefined;
        }
        let hasMore = false;
        while (!this.#closed && this.#counted < this.#totalLimit) {
            const next = await this.#source.next();
            if (next.done) {
                break;
            }
            this.#counted++;
            if (batch.length === this.#batchSize) {
                this.#lookahead = next.value;
                hasMore = true;
                break;
            }
            batch.push(next.value);
        }
        if (!hasMore) {
            await this.close();
        }
        return queryResponse(this.id, batch.map(this.#encode), hasMore);
    }

    async close(): Promise<void> {
        if (this.#closed) {
            return;
        }
        this.#closed = true;
        this.#lookahead = undefined;
        await this.#source.return?.();
    }
}

export function queryResponse(
    id: string,
    results: Uint8Array[],
    hasMore: boolean,
    metadata?: peer.QueryResponseMetadata,
): peer.QueryResponse {
    const response = new peer.QueryResponse();
    response.setId(id);
    response.setHasMore(hasMore);
    response.setResultsList(
        results.map((bytes) => {
            const result = new peer.QueryResultBytes();
            result.setResultbytes(bytes);
            return result;
        }),
    );
    if (metadata) {
        response.setMetadata(metadata.serializeBinary());
    }
    return response;
}

export function encodeKeyValue(namespace: string): (kv: KeyValue) => Uint8Array {
    return (kv) => {
        const pb = new ledger.queryresult.KV();
        pb.setNamespace(namespace);
        pb.setKey(kv.key);
        pb.setValue(kv.value);
        return pb.serializeBinary();
    };
}

export function encodeKeyModification(modification: KeyModification): Uint8Array {
    const pb = new ledger.queryresult.KeyModification();
    pb.setTxId(modification.txId);
    pb.setValue(modification.value);
    pb.setIsDelete(modification.isDelete);
    const timestamp = new Timestamp();
    timestamp.setSeconds(modification.timestamp.seconds);
    timestamp.setNanos(modification.timestamp.nanos);
    pb.setTimestamp(timestamp);
    return pb.serializeBinary();
}
