/** An async iterable that can be closed to stop receiving, as fabric-gateway's event streams. */
export interface CloseableAsyncIterable<T> extends AsyncIterable<T> {
    close(): void;
}

/** Where an event stream starts. */
export interface ChaincodeEventsOptions {
    /** First block to replay from; omitted means the next block to commit. */
    startBlock?: bigint;
}

/** The event a valid transaction emitted (Fabric delivers at most one per transaction). */
export interface ChaincodeEvent {
    blockNumber: bigint;
    transactionId: string;
    chaincodeName: string;
    eventName: string;
    payload: Uint8Array;
}
