import type { SubmittedTransaction } from './submitted-transaction';

/** An endorsed transaction, ready for the orderer. A subset of fabric-gateway's `Transaction`. */
export interface Transaction {
    getTransactionId(): string;
    /** The chaincode's return value as the endorsers computed it. */
    getResult(): Uint8Array;
    /** Sends the transaction to the orderer; the returned handle waits for its block. */
    submit(): Promise<SubmittedTransaction>;
}
