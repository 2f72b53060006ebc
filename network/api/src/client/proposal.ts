import type { Transaction } from './transaction';

/** What a transaction proposal carries besides its name. */
export interface ProposalOptions {
    arguments?: (string | Uint8Array)[];
    /** Private input: reaches the chaincode but never the block (Fabric's transient map). */
    transientData?: Record<string, string | Uint8Array>;
    /** Endorse on these organizations' peers (MSP IDs) instead of the ones the gateway plans. */
    endorsingOrganizations?: string[];
}

/**
 * A signed proposal, not yet sent to any peer. A subset of fabric-gateway's `Proposal`.
 *
 * ```ts
 * const proposal = contract.newProposal('lockReceipt', { arguments: ['33010125', '1', '31250'] });
 * console.log(proposal.getTransactionId());
 * const transaction = await proposal.endorse();
 * const status = await (await transaction.submit()).getStatus();
 * ```
 */
export interface Proposal {
    getTransactionId(): string;
    /** Runs the proposal on one peer and returns its result; nothing is ordered. */
    evaluate(): Promise<Uint8Array>;
    /** Runs the proposal on the endorsing peers; all must agree. */
    endorse(): Promise<Transaction>;
}
