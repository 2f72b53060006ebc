/** How the committing peer judged a transaction. Same fields as fabric-gateway's `Status`. */
export interface Status {
    blockNumber: bigint;
    /** Fabric's `TxValidationCode`: 0 is VALID. */
    code: number;
    successful: boolean;
    transactionId: string;
}

/** A transaction handed to the orderer. A subset of fabric-gateway's `SubmittedTransaction`. */
export interface SubmittedTransaction {
    getTransactionId(): string;
    getResult(): Uint8Array;
    /** Waits until the transaction's block commits. */
    getStatus(): Promise<Status>;
}
