/**
 * The client API of the embedded ledger. It has the shape of `@hyperledger/fabric-gateway`
 * (Gateway → Network → Contract → evaluate / submit / submitAsync, chaincode events) so that
 * code written against it runs unchanged against a real Fabric network.
 *
 * ```ts
 * const gateway = ledger.connect(ledger.identity('MemberMSP', 'zheyi_hospital'));
 * const contract = gateway.getNetwork('zhelian').getContract('zhelian', 'einvoice');
 * const receipt = await contract.submitTransaction('issueReceipt', '33010125', '0000001', …);
 * ```
 */
export interface Gateway {
    getNetwork(channelName: string): Network;
    /** The MSP ID and certificate this gateway signs with. */
    getIdentity(): { mspId: string; credentials: Uint8Array };
    close(): void;
}

export interface Network {
    getName(): string;
    getContract(chaincodeName: string, contractName?: string): Contract;
    /** Events of valid transactions of one chaincode, from `startBlock` (default: the next block). */
    getChaincodeEvents(chaincodeName: string, options?: EventsOptions): Promise<CloseableAsyncIterable<ChaincodeEvent>>;
    /**
     * Every committed block, valid and invalid transactions alike, from `startBlock` (default:
     * the next block). fabric-gateway yields `common.Block` protobufs here; this is the summary
     * an explorer needs.
     */
    getBlockEvents(options?: EventsOptions): Promise<CloseableAsyncIterable<BlockEvent>>;
}

export interface BlockEvent {
    blockNumber: bigint;
    previousHash: string;
    dataHash: string;
    transactions: { transactionId: string; chaincodeName: string; validationCode: number }[];
}

export interface EventsOptions {
    startBlock?: bigint | number;
}

export interface CloseableAsyncIterable<T> extends AsyncIterable<T> {
    close(): void;
}

export interface ChaincodeEvent {
    blockNumber: bigint;
    transactionId: string;
    chaincodeName: string;
    eventName: string;
    payload: Uint8Array;
}

export interface ProposalOptions {
    arguments?: (string | Uint8Array)[];
    transientData?: Record<string, string | Uint8Array>;
    /** Endorse only on these organizations' peers (MSP IDs) instead of the ones the policy needs. */
    endorsingOrganizations?: string[];
}

export interface Contract {
    getChaincodeName(): string;
    getContractName(): string | undefined;
    evaluateTransaction(name: string, ...args: (string | Uint8Array)[]): Promise<Uint8Array>;
    submitTransaction(name: string, ...args: (string | Uint8Array)[]): Promise<Uint8Array>;
    evaluate(name: string, options?: ProposalOptions): Promise<Uint8Array>;
    submit(name: string, options?: ProposalOptions): Promise<Uint8Array>;
    submitAsync(name: string, options?: ProposalOptions): Promise<SubmittedTransaction>;
    /** The step-by-step flow: build a proposal, endorse it, then submit it for ordering. */
    newProposal(name: string, options?: ProposalOptions): Proposal;
}

/** A signed proposal, not yet sent to any peer. */
export interface Proposal {
    getTransactionId(): string;
    evaluate(): Promise<Uint8Array>;
    /** Runs the proposal on the endorsing peers; all must agree. */
    endorse(): Promise<Transaction>;
}

/** An endorsed transaction, ready to be sent to the orderer. */
export interface Transaction {
    getTransactionId(): string;
    /** The chaincode's return value as the endorsers computed it. */
    getResult(): Uint8Array;
    submit(): Promise<SubmittedTransaction>;
}

export interface SubmittedTransaction {
    getTransactionId(): string;
    getResult(): Uint8Array;
    getStatus(): Promise<Status>;
}

export interface Status {
    blockNumber: bigint;
    code: number;
    successful: boolean;
    transactionId: string;
}
