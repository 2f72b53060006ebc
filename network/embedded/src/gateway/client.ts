import type { ChaincodeDefinition } from '../chaincode/definition';
import type { Block, ProposalResponsePayload, TransactionEnvelope } from '../ledger/block';
import { envelopeSigningBytes } from '../ledger/block';
import { TxValidationCode, validationCodeName } from '../ledger/codes';
import type { CollectionDefinition } from '../ledger/collections';
import type { CommittedBlock } from '../ledger/committer';
import { decodeRecord, utf8 } from '../ledger/encoding';
import type { Identity, Membership } from '../msp';
import { serializeIdentity } from '../msp';
import type { Endorser, PeerResult, PeerSigner } from '../peer/endorser';
import { EventQueue } from '../peer/events';
import type { Orderer } from '../peer/orderer';
import type { ChannelPolicies } from '../peer/policies';
import type { Proposal } from '../peer/proposal';
import { createProposal } from '../peer/proposal';
import type {
    BlockEvent,
    ChaincodeEvent,
    CloseableAsyncIterable,
    Contract,
    EventsOptions,
    Gateway,
    Network,
    Proposal as ProposalApi,
    ProposalOptions,
    Status,
    SubmittedTransaction,
} from './api';
import { CommitError, EndorseError, GatewayError, GrpcStatus } from './errors';

/** The ledger parts a client connection uses. */
export interface GatewayServices {
    identity: Identity;
    channel: string;
    membership: Membership;
    endorser: Endorser;
    orderer: Orderer;
    policies: ChannelPolicies;
    definition(name: string): ChaincodeDefinition | undefined;
    collections(name: string): ReadonlyMap<string, CollectionDefinition>;
    onBlock(listener: (block: CommittedBlock) => void): () => void;
    blocksFrom(start: number): AsyncIterable<Block>;
}

export function connectGateway(services: GatewayServices): Gateway {
    return new GatewayImpl(services);
}

class GatewayImpl implements Gateway {
    readonly #services: GatewayServices;
    readonly #credentials: Uint8Array;

    constructor(services: GatewayServices) {
        this.#services = services;
        this.#credentials = services.identity.credentials;
    }

    getNetwork(channelName: string): Network {
        return new NetworkImpl(this.#services, channelName);
    }

    getIdentity(): { mspId: string; credentials: Uint8Array } {
        return { mspId: this.#services.identity.mspId, credentials: this.#credentials };
    }

    close(): void {
        // Nothing to release: the connection is in-process.
    }
}

class NetworkImpl implements Network {
    readonly #services: GatewayServices;
    readonly #name: string;

    constructor(services: GatewayServices, name: string) {
        this.#services = services;
        this.#name = name;
    }

    getName(): string {
        return this.#name;
    }

    getContract(chaincodeName: string, contractName?: string): Contract {
        return new ContractImpl(this.#services, this.#name, chaincodeName, contractName);
    }

    getChaincodeEvents(
        chaincodeName: string,
        options: EventsOptions = {},
    ): Promise<CloseableAsyncIterable<ChaincodeEvent>> {
        return this.#subscribe(options, (committed) =>
            committed.transactions.flatMap(({ code, event, txId }) =>
                code === TxValidationCode.VALID && event && event.chaincodeName === chaincodeName
                    ? [
                          {
                              blockNumber: BigInt(committed.block.header.number),
                              transactionId: txId,
                              chaincodeName,
                              eventName: event.eventName,
                              payload: event.payload,
                          },
                      ]
                    : [],
            ),
        );
    }

    getBlockEvents(options: EventsOptions = {}): Promise<CloseableAsyncIterable<BlockEvent>> {
        return this.#subscribe(options, (committed) => [
            {
                blockNumber: BigInt(committed.block.header.number),
                previousHash: committed.block.header.previousHash,
                dataHash: committed.block.header.dataHash,
                transactions: committed.transactions.map((tx) => ({
                    transactionId: tx.txId,
                    chaincodeName: tx.chaincodeName,
                    validationCode: tx.code,
                })),
            },
        ]);
    }

    /**
     * Events from committed blocks: replayed from `startBlock` when given, then live. Blocks that
     * commit during the replay are held back and delivered after it, so none is lost or repeated.
     */
    async #subscribe<T>(
        options: EventsOptions,
        eventsOf: (block: CommittedBlock) => T[],
    ): Promise<CloseableAsyncIterable<T>> {
        this.#checkChannel();
        let detach = (): void => undefined;
        const queue = new EventQueue<T>(() => detach());
        const deliver = (block: CommittedBlock): void => eventsOf(block).forEach((event) => queue.push(event));
        const backlog: CommittedBlock[] = [];
        let replaying = options.startBlock !== undefined;
        detach = this.#services.onBlock((block) => (replaying ? backlog.push(block) : deliver(block)));
        if (options.startBlock !== undefined) {
            let next = Number(options.startBlock);
            for await (const block of this.#services.blocksFrom(next)) {
                deliver(committedFromStored(block));
                next = block.header.number + 1;
            }
            backlog.filter((block) => block.block.header.number >= next).forEach(deliver);
            replaying = false;
        }
        return queue;
    }

    #checkChannel(): void {
        if (this.#name !== this.#services.channel) {
            throw new GatewayError(
                GrpcStatus.NOT_FOUND,
                `channel ${this.#name} not found (this network has channel ${this.#services.channel})`,
            );
        }
    }
}

/** Rebuilds the committer's verdicts from a stored block, for event replay. */
function committedFromStored(block: Block): CommittedBlock {
    return {
        block,
        headerHash: '',
        transactions: block.data.map((bytes, txNum) => {
            const envelope = decodeRecord<TransactionEnvelope>(bytes);
            const payload = decodeRecord<ProposalResponsePayload>(envelope.responsePayload);
            return {
                txId: envelope.txId,
                txNum,
                code: block.metadata.validationCodes[txNum],
                chaincodeName: envelope.chaincodeName,
                ...(payload.event
                    ? {
                          event: {
                              chaincodeName: envelope.chaincodeName,
                              txId: envelope.txId,
                              eventName: payload.event.eventName,
                              payload: payload.event.payload,
                          },
                      }
                    : {}),
            };
        }),
    };
}

class ContractImpl implements Contract {
    readonly #services: GatewayServices;
    readonly #channel: string;
    readonly #chaincodeName: string;
    readonly #contractName: string | undefined;

    constructor(services: GatewayServices, channel: string, chaincodeName: string, contractName: string | undefined) {
        this.#services = services;
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

    async evaluate(name: string, options: ProposalOptions = {}): Promise<Uint8Array> {
        return this.newProposal(name, options).evaluate();
    }

    async submit(name: string, options: ProposalOptions = {}): Promise<Uint8Array> {
        const submitted = await this.submitAsync(name, options);
        const status = await submitted.getStatus();
        if (!status.successful) {
            throw new CommitError(
                status.transactionId,
                status.code,
                validationCodeName(status.code),
                status.blockNumber,
            );
        }
        return submitted.getResult();
    }

    async submitAsync(name: string, options: ProposalOptions = {}): Promise<SubmittedTransaction> {
        const transaction = await this.newProposal(name, options).endorse();
        return transaction.submit();
    }

    newProposal(name: string, options: ProposalOptions = {}): ProposalApi {
        const proposal = this.#propose(name, options);
        return {
            getTransactionId: () => proposal.txId,
            evaluate: () => this.#evaluate(proposal, options),
            endorse: async () => {
                const results = (await this.#endorse(proposal, options)) as Extract<PeerResult, { ok: true }>[];
                return {
                    getTransactionId: () => proposal.txId,
                    getResult: () => results[0].response.payload,
                    submit: async () => this.#submit(proposal, results),
                };
            },
        };
    }

    async #evaluate(proposal: Proposal, options: ProposalOptions): Promise<Uint8Array> {
        const org = options.endorsingOrganizations?.[0] ?? this.#services.identity.mspId;
        const [result] = await this.#execute(proposal, [org]);
        if (!result.ok) {
            throw new GatewayError(
                GrpcStatus.ABORTED,
                `evaluate call to endorser returned error for transaction ${proposal.txId}`,
                [{ address: `peer0.${org}`, mspId: org, message: result.message }],
            );
        }
        return result.response.payload;
    }

    /** Signs the envelope and hands it to the orderer; the status resolves when its block commits. */
    #submit(proposal: Proposal, results: Extract<PeerResult, { ok: true }>[]): SubmittedTransaction {
        const unsigned: Omit<TransactionEnvelope, 'signature'> = {
            txId: proposal.txId,
            channelId: proposal.channelId,
            timestamp: proposal.timestamp,
            creator: proposal.creator,
            chaincodeName: proposal.chaincodeName,
            args: proposal.args,
            responsePayload: results[0].payload,
            endorsements: results.map((r) => r.endorsement),
        };
        const envelope: TransactionEnvelope = {
            ...unsigned,
            signature: this.#services.identity.sign(envelopeSigningBytes(unsigned)),
        };
        const committed = this.#services.orderer.order({ envelope, privateWrites: results[0].privateWrites });
        // Reported through getStatus(); keep an unobserved rejection from crashing the process.
        committed.catch(() => undefined);
        return {
            getTransactionId: () => proposal.txId,
            getResult: () => results[0].response.payload,
            getStatus: async (): Promise<Status> => {
                const { block, transaction } = await committed;
                return {
                    blockNumber: BigInt(block.block.header.number),
                    code: transaction.code,
                    successful: transaction.code === TxValidationCode.VALID,
                    transactionId: proposal.txId,
                };
            },
        };
    }

    /**
     * Endorses as a Fabric Gateway does: the client's org first; if the result writes private
     * data, the remaining endorsers come from the collection's members; all results must match.
     */
    async #endorse(proposal: Proposal, options: ProposalOptions): Promise<PeerResult[]> {
        const definition = this.#services.definition(this.#chaincodeName);
        if (!definition) {
            throw new EndorseError(
                proposal.txId,
                GrpcStatus.NOT_FOUND,
                `chaincode ${this.#chaincodeName} is not deployed on channel ${this.#channel}`,
            );
        }
        const clientOrg = this.#services.identity.mspId;
        let results: PeerResult[];
        if (options.endorsingOrganizations) {
            results = await this.#execute(proposal, options.endorsingOrganizations);
        } else {
            const firstOrg = this.#services.policies.planEndorsers([definition.policy], clientOrg)[0];
            const [first] = await this.#execute(proposal, [firstOrg]);
            // A refusal by the first peer is final: asking the others would only repeat it.
            const plan = first.ok ? this.#planFromResult(first, definition.policy, firstOrg) : [firstOrg];
            results = [
                first,
                ...(await this.#execute(
                    proposal,
                    plan.filter((org) => org !== firstOrg),
                )),
            ];
        }
        const failures = results.filter((r): r is Extract<PeerResult, { ok: false }> => !r.ok);
        if (failures.length > 0) {
            throw new EndorseError(
                proposal.txId,
                GrpcStatus.ABORTED,
                `failed to endorse transaction ${proposal.txId}, see attached details for more info`,
                failures.map((f) => ({ address: `peer0.${f.mspId}`, mspId: f.mspId, message: f.message })),
            );
        }
        const payloads = results.map((r) => Buffer.from((r as Extract<PeerResult, { ok: true }>).payload));
        if (payloads.some((p) => !p.equals(payloads[0]))) {
            throw new EndorseError(
                proposal.txId,
                GrpcStatus.ABORTED,
                `ProposalResponsePayloads do not match for transaction ${proposal.txId}: the endorsing peers computed different results (is the chaincode deterministic?)`,
            );
        }
        return results;
    }

    /**
     * What Fabric Gateway learns from the first endorsement (its "chaincode interest"): which
     * policies the written keys need, and that peers outside a touched collection cannot
     * simulate it alike. Key-level policies are not discovered, as in Fabric: name the
     * endorsing organizations for those.
     */
    #planFromResult(first: Extract<PeerResult, { ok: true }>, chaincodePolicy: string, firstOrg: string): string[] {
        const policies = new Set<string>();
        let candidates: string[] | undefined;
        const valueReads = new Set(first.privateValueReads.map((r) => `${r.namespace}\u0000${r.collection}`));
        for (const ns of first.rwset) {
            const policy = this.#services.definition(ns.namespace)?.policy ?? chaincodePolicy;
            if (ns.writes.length > 0 || ns.metadataWrites.length > 0) {
                policies.add(policy);
            }
            for (const touched of ns.collections) {
                const collection = this.#services.collections(ns.namespace).get(touched.collection);
                if (!collection) {
                    continue;
                }
                // Reading only a hash (getPrivateDataHash) needs no membership; values and writes do.
                if (touched.hashedWrites.length > 0 || valueReads.has(`${ns.namespace}\u0000${touched.collection}`)) {
                    candidates = (candidates ?? collection.memberOrgs).filter((org) =>
                        collection.memberOrgs.includes(org),
                    );
                }
                if (touched.hashedWrites.length > 0) {
                    policies.add(collection.endorsementPolicy ?? policy);
                }
            }
        }
        if (policies.size === 0) {
            policies.add(chaincodePolicy);
        }
        return this.#services.policies.planEndorsers([...policies], firstOrg, candidates);
    }

    #execute(proposal: Proposal, orgs: string[]): Promise<PeerResult[]> {
        return Promise.all(orgs.map((org) => this.#services.endorser.execute(proposal, this.#peer(org))));
    }

    #peer(mspId: string): PeerSigner {
        const peer = this.#services.membership.peer(mspId);
        return { mspId, serialized: serializeIdentity(peer), sign: (message) => peer.sign(message) };
    }

    #propose(name: string, options: ProposalOptions): Proposal {
        if (this.#channel !== this.#services.channel) {
            throw new GatewayError(
                GrpcStatus.NOT_FOUND,
                `channel ${this.#channel} not found (this network has channel ${this.#services.channel})`,
            );
        }
        const fn = this.#contractName ? `${this.#contractName}:${name}` : name;
        const args = [fn, ...(options.arguments ?? [])].map((arg) => (typeof arg === 'string' ? utf8(arg) : arg));
        const transient = new Map(
            Object.entries(options.transientData ?? {}).map(([key, value]) => [
                key,
                typeof value === 'string' ? utf8(value) : value,
            ]),
        );
        const identity = this.#services.identity;
        return createProposal(
            {
                channelId: this.#channel,
                chaincodeName: this.#chaincodeName,
                args,
                transient,
                creator: serializeIdentity(identity),
                timestamp: new Date(),
            },
            (message) => identity.sign(message),
        );
    }
}
