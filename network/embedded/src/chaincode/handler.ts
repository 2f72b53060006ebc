/**
 * What a peer answers when a running chaincode asks for ledger access during one execution.
 *
 * The chaincode host decodes the shim's messages (GET_STATE, PUT_STATE, GET_STATE_BY_RANGE, …)
 * and calls these methods; the transaction simulator implements them. One handler serves one
 * execution of one chaincode (its namespace) for one transaction.
 *
 * `collection` is `''` for the public world state, otherwise a private data collection name.
 * A missing key reads as an empty array, as in Fabric.
 */
export interface ShimRequestHandler {
    getState(collection: string, key: string): Promise<Uint8Array>;
    getPrivateDataHash(collection: string, key: string): Promise<Uint8Array>;
    putState(collection: string, key: string, value: Uint8Array): Promise<void>;
    deleteState(collection: string, key: string): Promise<void>;
    purgePrivateData(collection: string, key: string): Promise<void>;
    getStateMetadata(collection: string, key: string): Promise<Map<string, Uint8Array>>;
    putStateMetadata(collection: string, key: string, name: string, value: Uint8Array): Promise<void>;
    /** Keys in [startKey, endKey) in UTF-8 byte order; `''` as endKey means no upper bound. */
    getStateByRange(collection: string, startKey: string, endKey: string): AsyncIterable<KeyValue>;
    /** One page of a range query; the returned bookmark starts the next page (`''` when done). */
    getStateByRangePage(startKey: string, endKey: string, pageSize: number, bookmark: string): Promise<RangePage>;
    /** Rich (CouchDB) queries: LevelDB state answers that they are not supported. */
    getQueryResult(collection: string, query: string): AsyncIterable<KeyValue>;
    /**
     * One page of a rich query on the public state: at most `limit` results (the page size, capped
     * by totalQueryLimit) and the bookmark that continues it.
     */
    getQueryResultPage(query: string, pageSize: number, bookmark: string, limit: number): Promise<RangePage>;
    getHistoryForKey(key: string): AsyncIterable<KeyModification>;
    invokeChaincode(chaincodeName: string, channelId: string, args: Uint8Array[]): Promise<ChaincodeResponse>;
}

export interface KeyValue {
    key: string;
    value: Uint8Array;
}

export interface RangePage {
    records: KeyValue[];
    bookmark: string;
    fetchedCount: number;
}

export interface KeyModification {
    txId: string;
    value: Uint8Array;
    isDelete: boolean;
    timestamp: { seconds: number; nanos: number };
}

/** The input of one chaincode execution, as a peer sends it in a TRANSACTION (or INIT) message. */
export interface ChaincodeInvocation {
    channelId: string;
    txId: string;
    /** A serialized `protos.SignedProposal`; the shim reads creator, transient data and timestamp from it. */
    signedProposal: Uint8Array;
    /** `ChaincodeInput.args`: the function name first, then its arguments. */
    args: Uint8Array[];
    isInit?: boolean;
}

/** A chaincode's answer: Fabric's `protos.Response` plus the chaincode event it set, if any. */
export interface ChaincodeResponse {
    status: number;
    message: string;
    payload: Uint8Array;
    event?: ChaincodeEvent;
}

export interface ChaincodeEvent {
    chaincodeName: string;
    txId: string;
    eventName: string;
    payload: Uint8Array;
}
