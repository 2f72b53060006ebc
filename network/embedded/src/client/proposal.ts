import type { Proposal, Transaction } from '@zhelian/api';
import type { Identity } from '../msp';
import type { GatewayService } from '../peer/gateway-service';
import type { Proposal as SignedProposal } from '../peer/proposal';
import { TransactionImpl } from './transaction';

export class ProposalImpl implements Proposal {
    readonly #service: GatewayService;
    readonly #identity: Identity;
    readonly #proposal: SignedProposal;
    readonly #endorsingOrganizations: string[] | undefined;

    constructor(
        service: GatewayService,
        identity: Identity,
        proposal: SignedProposal,
        endorsingOrganizations: string[] | undefined,
    ) {
        this.#service = service;
        this.#identity = identity;
        this.#proposal = proposal;
        this.#endorsingOrganizations = endorsingOrganizations;
    }

    getTransactionId(): string {
        return this.#proposal.txId;
    }

    evaluate(): Promise<Uint8Array> {
        return this.#service.evaluate(this.#proposal, this.#endorsingOrganizations);
    }

    async endorse(): Promise<Transaction> {
        const prepared = await this.#service.endorse(this.#proposal, this.#endorsingOrganizations);
        return new TransactionImpl(this.#service, this.#identity, prepared);
    }
}
