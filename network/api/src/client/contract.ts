import type { Proposal, ProposalOptions } from './proposal';
import type { SubmittedTransaction } from './submitted-transaction';

/**
 * One chaincode (optionally one contract of it) on one channel. A strict subset of
 * `@hyperledger/fabric-gateway`'s `Contract`: `submit` waits for the block and throws
 * `CommitError` when the transaction is invalid; `evaluate` runs on one peer and orders nothing.
 *
 * ```ts
 * const einvoice = network.getContract('zhelian', 'einvoice');
 * const receipt = await einvoice.evaluateTransaction('verifyReceipt', '33010125', '1', '7c3a91');
 * await einvoice.submit('recordPatientDetails', {
 *     arguments: ['33010125', '1'],
 *     transientData: { patient: JSON.stringify({ name: '王晓明' }) },
 *     endorsingOrganizations: ['RegulatorMSP', 'MemberMSP'],
 * });
 * ```
 */
export interface Contract {
    getChaincodeName(): string;
    getContractName(): string | undefined;
    evaluateTransaction(name: string, ...args: (string | Uint8Array)[]): Promise<Uint8Array>;
    submitTransaction(name: string, ...args: (string | Uint8Array)[]): Promise<Uint8Array>;
    evaluate(transactionName: string, options?: ProposalOptions): Promise<Uint8Array>;
    submit(transactionName: string, options?: ProposalOptions): Promise<Uint8Array>;
    /** Endorses and orders, then returns at once; `getStatus()` waits for the block. */
    submitAsync(transactionName: string, options?: ProposalOptions): Promise<SubmittedTransaction>;
    /** The step-by-step flow a learner can watch: build a proposal, endorse it, submit it. */
    newProposal(transactionName: string, options?: ProposalOptions): Proposal;
}
