import {
    commitError,
    type Contract,
    type Proposal,
    type ProposalOptions,
    type SubmittedTransaction,
} from '@zhelian/api';
import { utf8 } from '../ledger/encoding';
import type { Identity } from '../msp';
import { serializeIdentity } from '../msp';
import type { GatewayService } from '../peer/gateway-service';
import { buildProposal } from '../peer/proposal';
import { ProposalImpl } from './proposal';

export class ContractImpl implements Contract {
    readonly #service: GatewayService;
    readonly #identity: Identity;
    readonly #channel: string;
    readonly #chaincodeName: string;
    readonly #contractName: string | undefined;

    constructor(
        service: GatewayService,
        identity: Identity,
        channel: string,
        chaincodeName: string,
        contractName: string | undefined,
    ) {
        this.#service = service;
        this.#identity = identity;
        this.#channel = channel;
        this.#chaincodeName = chaincodeName;
        this.#contractName = contractName;
    }

    getChaincodeName(): string {
        return this.#chaincodeName;
    }

    getContractName(): string | undefined {
        return this.#contractName;
    }

    evaluateTransaction(name: string, ...args: (string | Uint8Array)[]): Promise<Uint8Array> {
        return this.evaluate(name, { arguments: args });
    }

    submitTransaction(name: string, ...args: (string | Uint8Array)[]): Promise<Uint8Array> {
        return this.submit(name, { arguments: args });
    }

    async evaluate(transactionName: string, options: ProposalOptions = {}): Promise<Uint8Array> {
        return this.newProposal(transactionName, options).evaluate();
    }

    async submit(transactionName: string, options: ProposalOptions = {}): Promise<Uint8Array> {
        const submitted = await this.submitAsync(transactionName, options);
        const status = await submitted.getStatus();
        if (!status.successful) {
            throw commitError(status);
        }
        return submitted.getResult();
    }

    async submitAsync(transactionName: string, options: ProposalOptions = {}): Promise<SubmittedTransaction> {
        const transaction = await this.newProposal(transactionName, options).endorse();
        return transaction.submit();
    }

    newProposal(transactionName: string, options: ProposalOptions = {}): Proposal {
        this.#service.checkChannel(this.#channel);
        const fn = this.#contractName ? `${this.#contractName}:${transactionName}` : transactionName;
        const args = [fn, ...(options.arguments ?? [])].map((arg) => (typeof arg === 'string' ? utf8(arg) : arg));
        const transient = new Map(
            Object.entries(options.transientData ?? {}).map(([key, value]) => [
                key,
                typeof value === 'string' ? utf8(value) : value,
            ]),
        );
        const proposal = buildProposal({
            channelId: this.#channel,
            chaincodeName: this.#chaincodeName,
            args,
            transient,
            creator: serializeIdentity(this.#identity),
            timestamp: new Date(),
        });
        return new ProposalImpl(this.#service, this.#identity, proposal, options.endorsingOrganizations);
    }
}
