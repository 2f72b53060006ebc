/** A chaincode's answer: Fabric's `peer.Response` (a status of 400 or above is an error). */
export interface ChaincodeAnswer {
    status: number;
    message: string;
    payload: Uint8Array;
}

/**
 * A chaincode built into the peers, as Fabric's system chaincodes are (`qscc`): it answers
 * evaluations from the peer's own ledger and never takes part in a transaction.
 */
export interface SystemChaincode {
    /** Runs the function `args[0]` with the remaining arguments; the caller's proposal was checked already. */
    invoke(args: readonly Uint8Array[]): Promise<ChaincodeAnswer>;
}
