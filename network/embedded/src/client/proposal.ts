import type { Proposal, Transaction } from '@zhelian/api';
import type { Identity } from '../msp';
import type { GatewayService } from '../peer/gateway-service';
import { signProposal, type Proposal as SignedProposal, type UnsignedProposal } from '../peer/proposal';
import { TransactionImpl } from './transaction';

export class ProposalImpl implements Proposal {
    readonly #service: GatewayService;
    readonly #identity: Identity;
    readonly #proposal: UnsignedProposal;
    readonly #endorsingOrganizations: string[] | undefined;
    #signed: Promise<SignedProposal> | undefined;

    constructor(
        service: GatewayService,
        identity: Identity,
        proposal: UnsignedProposal,
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

    async evaluate(): Promise<Uint8Array> {
        return this.#service.evaluate(await this.#sign(), this.#endorsingOrganizations);
    }

    async endorse(): Promise<Transaction> {
        const prepared = await this.#service.endorse(await this.#sign(), this.#endorsingOrganizations);
        return new TransactionImpl(this.#service, this.#identity, prepared);
    }

    /** Signed when first sent, as fabric-gateway signs a proposal; once, however often it is sent. */
    #sign(): Promise<SignedProposal> {
        this.#signed ??= this.#identity
            .sign(this.#proposal.proposalBytes)
            .then((signature) => signProposal(this.#proposal, signature));
        return this.#signed;
    }
}
