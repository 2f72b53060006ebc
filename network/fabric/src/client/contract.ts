import type * as fabricGateway from '@hyperledger/fabric-gateway';
import type { Contract, Proposal, ProposalOptions, SubmittedTransaction } from '@zhelian/api';
import { throwIfUnsuccessful, translated } from './errors';
import { type CommitSettled, ProposalImpl, SubmittedTransactionImpl } from './transaction';

/**
 * A fabric-gateway `Contract` behind Zhelian's: the same calls, Zhelian's errors. `submit` waits
 * for the commit status itself so that a failed commit reports its block, as on every backend.
 */
export class ContractImpl implements Contract {
    readonly #contract: fabricGateway.Contract;
    readonly #settled: CommitSettled;

    constructor(contract: fabricGateway.Contract, settled: CommitSettled) {
        this.#contract = contract;
        this.#settled = settled;
    }

    getChaincodeName(): string {
        return this.#contract.getChaincodeName();
    }

    getContractName(): string | undefined {
        return this.#contract.getContractName();
    }

    evaluateTransaction(name: string, ...args: (string | Uint8Array)[]): Promise<Uint8Array> {
        return this.evaluate(name, { arguments: args });
    }

    submitTransaction(name: string, ...args: (string | Uint8Array)[]): Promise<Uint8Array> {
        return this.submit(name, { arguments: args });
    }

    evaluate(transactionName: string, options: ProposalOptions = {}): Promise<Uint8Array> {
        return translated(() => this.#contract.evaluate(transactionName, options));
    }

    async submit(transactionName: string, options: ProposalOptions = {}): Promise<Uint8Array> {
        const submitted = await this.submitAsync(transactionName, options);
        throwIfUnsuccessful(await submitted.getStatus());
        return submitted.getResult();
    }

    async submitAsync(transactionName: string, options: ProposalOptions = {}): Promise<SubmittedTransaction> {
        return new SubmittedTransactionImpl(
            await translated(() => this.#contract.submitAsync(transactionName, options)),
            this.#settled,
        );
    }

    newProposal(transactionName: string, options: ProposalOptions = {}): Proposal {
        return new ProposalImpl(this.#contract.newProposal(transactionName, options), this.#settled);
    }
}
