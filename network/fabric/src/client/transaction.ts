import type * as fabricGateway from '@hyperledger/fabric-gateway';
import type { Proposal, Status, SubmittedTransaction, Transaction } from '@zhelian/api';
import { translated } from './errors';

/** A fabric-gateway proposal, raising Zhelian's errors. */
export class ProposalImpl implements Proposal {
    readonly #proposal: fabricGateway.Proposal;

    constructor(proposal: fabricGateway.Proposal) {
        this.#proposal = proposal;
    }

    getTransactionId(): string {
        return this.#proposal.getTransactionId();
    }

    evaluate(): Promise<Uint8Array> {
        return translated(() => this.#proposal.evaluate());
    }

    async endorse(): Promise<Transaction> {
        return new TransactionImpl(await translated(() => this.#proposal.endorse()));
    }
}

/** An endorsed fabric-gateway transaction, raising Zhelian's errors. */
export class TransactionImpl implements Transaction {
    readonly #transaction: fabricGateway.Transaction;

    constructor(transaction: fabricGateway.Transaction) {
        this.#transaction = transaction;
    }

    getTransactionId(): string {
        return this.#transaction.getTransactionId();
    }

    getResult(): Uint8Array {
        return this.#transaction.getResult();
    }

    async submit(): Promise<SubmittedTransaction> {
        return new SubmittedTransactionImpl(await translated(() => this.#transaction.submit()));
    }
}

/** A transaction the orderer accepted; its status comes from the peer's commit, as fabric-gateway's. */
export class SubmittedTransactionImpl implements SubmittedTransaction {
    readonly #submitted: fabricGateway.SubmittedTransaction;

    constructor(submitted: fabricGateway.SubmittedTransaction) {
        this.#submitted = submitted;
    }

    getTransactionId(): string {
        return this.#submitted.getTransactionId();
    }

    getResult(): Uint8Array {
        return this.#submitted.getResult();
    }

    async getStatus(): Promise<Status> {
        const { blockNumber, code, successful, transactionId } = await translated(() => this.#submitted.getStatus());
        return { blockNumber, code, successful, transactionId };
    }
}
