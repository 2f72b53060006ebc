import type { SubmittedTransaction, Transaction } from '@zhelian/api';
import { envelopeSigningBytes } from '../ledger/block';
import type { Identity } from '../msp';
import type { GatewayService, PreparedTransaction } from '../peer/gateway-service';
import { SubmittedTransactionImpl } from './submitted-transaction';

export class TransactionImpl implements Transaction {
    readonly #service: GatewayService;
    readonly #identity: Identity;
    readonly #prepared: PreparedTransaction;

    constructor(service: GatewayService, identity: Identity, prepared: PreparedTransaction) {
        this.#service = service;
        this.#identity = identity;
        this.#prepared = prepared;
    }

    getTransactionId(): string {
        return this.#prepared.txId;
    }

    getResult(): Uint8Array {
        return this.#prepared.result;
    }

    /** Signs the envelope with the client's key and hands it to the orderer. */
    async submit(): Promise<SubmittedTransaction> {
        const signature = await this.#identity.sign(envelopeSigningBytes(this.#prepared.envelope));
        const status = this.#service.submit(this.#prepared, signature);
        return new SubmittedTransactionImpl(this.#prepared.txId, this.#prepared.result, status);
    }
}
