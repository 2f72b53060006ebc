import type * as fabricGateway from '@hyperledger/fabric-gateway';
import type { Proposal, Status, SubmittedTransaction, Transaction } from '@zhelian/api';
import { translated } from './errors';

/** Called with each commit status's block: resolves when every organization's peer has committed it. */
export type CommitSettled = (blockNumber: bigint) => Promise<void>;

/** A fabric-gateway proposal, raising Zhelian's errors. */
export class ProposalImpl implements Proposal {
    readonly #proposal: fabricGateway.Proposal;
    readonly #settled: CommitSettled;

    constructor(proposal: fabricGateway.Proposal, settled: CommitSettled) {
        this.#proposal = proposal;
        this.#settled = settled;
    }

    getTransactionId(): string {
        return this.#proposal.getTransactionId();
    }

    evaluate(): Promise<Uint8Array> {
        return translated(() => this.#proposal.evaluate());
    }

    async endorse(): Promise<Transaction> {
        return new TransactionImpl(await translated(() => this.#proposal.endorse()), this.#settled);
    }
}

/** An endorsed fabric-gateway transaction, raising Zhelian's errors. */
class TransactionImpl implements Transaction {
    readonly #transaction: fabricGateway.Transaction;
    readonly #settled: CommitSettled;

    constructor(transaction: fabricGateway.Transaction, settled: CommitSettled) {
        this.#transaction = transaction;
        this.#settled = settled;
    }

    getTransactionId(): string {
        return this.#transaction.getTransactionId();
    }

    getResult(): Uint8Array {
        return this.#transaction.getResult();
    }

    async submit(): Promise<SubmittedTransaction> {
        return new SubmittedTransactionImpl(await translated(() => this.#transaction.submit()), this.#settled);
    }
}

/**
 * A transaction the orderer accepted. Its status comes from the client's own peer, as
 * fabric-gateway's; `getStatus` also waits until every organization's peer has the block.
 */
export class SubmittedTransactionImpl implements SubmittedTransaction {
    readonly #submitted: fabricGateway.SubmittedTransaction;
    readonly #settled: CommitSettled;

    constructor(submitted: fabricGateway.SubmittedTransaction, settled: CommitSettled) {
        this.#submitted = submitted;
        this.#settled = settled;
    }

    getTransactionId(): string {
        return this.#submitted.getTransactionId();
    }

    getResult(): Uint8Array {
        return this.#submitted.getResult();
    }

    async getStatus(): Promise<Status> {
        const { blockNumber, code, successful, transactionId } = await translated(() => this.#submitted.getStatus());
        await this.#settled(blockNumber);
        return { blockNumber, code, successful, transactionId };
    }
}
