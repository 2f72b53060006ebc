import {
    type ChaincodeEvent,
    type CloseableAsyncIterable,
    EndorseError,
    type ErrorDetail,
    ErrorCode,
    GatewayError,
    GrpcStatus,
    type Status,
    TxValidationCode,
} from '@zhelian/api';
import type { ChaincodeDefinition } from '../chaincode/definition';
import type { TransactionEnvelope } from '../ledger/block';
import type { CollectionDefinition } from '../ledger/collections';
import { transactionPayload } from '../ledger/fabric-transaction';
import type { PrivateWrites } from '../ledger/committer';
import type { Membership } from '../msp';
import { checkBroadcast } from './broadcast';
import type { Deliver } from './deliver';
import type { ChaincodeInterest } from './chaincode-interest';
import { planFromInterest } from './endorsement-plan';
import type { Endorser, PeerResult } from './endorser';
import { EndorserService } from './endorser-service';
import type { Orderer } from './orderer';
import { peerAddress, peerSigner } from './peer-signer';
import type { ChannelPolicies } from './policies';
import type { Proposal } from './proposal';
import type { SystemChaincode } from './system-chaincode';
import { TransientStore } from './transient-store';

type Endorsed = Extract<PeerResult, { ok: true }>;

/** The deployed chaincode the gateway plans endorsements for. */
export interface DeployedChaincodes {
    definition(name: string): ChaincodeDefinition | undefined;
    collections(name: string): ReadonlyMap<string, CollectionDefinition>;
    /**
     * Whether the organization's peer can run the chaincode: it is installed there and the
     * organization approved the committed definition (what a Fabric peer advertises to discovery).
     */
    runs(name: string, mspId: string): boolean;
    /** Starts the named organizations' peers' instances of a chaincode in the background. */
    prestart(name: string, mspIds: readonly string[]): void;
}

/**
 * An endorsed transaction before the client signs it: the envelope's content (what every
 * endorser agreed on) and the private values that travel beside the block, never in it.
 */
export interface PreparedTransaction {
    readonly txId: string;
    /** The chaincode's return value. */
    readonly result: Uint8Array;
    readonly envelope: Omit<TransactionEnvelope, 'signature'>;
    readonly privateWrites: PrivateWrites;
}

export interface GatewayServiceInit {
    channel: string;
    membership: Membership;
    endorser: Endorser;
    orderer: Orderer;
    policies: ChannelPolicies;
    chaincodes: DeployedChaincodes;
    deliver: Deliver;
    /** The peers' system chaincodes (`qscc`), answered on evaluate. */
    systemChaincodes?: ReadonlyMap<string, SystemChaincode>;
    /** The channel's height, which dates what the transient store holds. */
    height(): number;
}

/** A chaincode's answer to an evaluation: Fabric's `peer.Response`. */
export interface EvaluateResponse {
    status: number;
    message: string;
    payload: Uint8Array;
}

/**
 * The gateway service of the embedded peers, as Fabric's `internal/pkg/gateway` serves
 * Evaluate, Endorse, Submit, CommitStatus and ChaincodeEvents: it plans which organizations'
 * peers endorse, runs the proposal on them, checks that they agree, assembles the transaction
 * for the client to sign, and hands the signed envelope to the orderer.
 *
 * ```ts
 * const prepared = await service.endorse(proposal);
 * const status = await service.submit(prepared, await identity.sign(envelopeSigningBytes(prepared.envelope)));
 * ```
 */
export class GatewayService {
    readonly #init: GatewayServiceInit;
    readonly #transient = new TransientStore();
    /** Chaincode definitions (and first organizations) whose instances `#prestart` started. */
    readonly #prestarted = new Set<string>();
    /** Each peer's own Endorser service, for tools that send proposals to one peer. */
    readonly endorsers: EndorserService;

    constructor(init: GatewayServiceInit) {
        this.#init = init;
        this.endorsers = new EndorserService({
            channel: init.channel,
            membership: init.membership,
            endorser: init.endorser,
            systemChaincodes: init.systemChaincodes ?? new Map(),
        });
    }

    /** Refuses a channel this network does not have, as a peer's gateway answers NOT_FOUND. */
    checkChannel(channel: string): void {
        if (channel !== this.#init.channel) {
            throw new GatewayError(
                ErrorCode.GATEWAY_FAILED,
                GrpcStatus.NOT_FOUND,
                `channel ${channel} not found (this network has channel ${this.#init.channel})`,
            );
        }
    }

    /** The chaincode's return value for a proposal evaluated as {@link evaluateResponse} does. */
    async evaluate(proposal: Proposal, endorsingOrganizations?: string[], gatewayOrg?: string): Promise<Uint8Array> {
        return (await this.evaluateResponse(proposal, endorsingOrganizations, gatewayOrg)).payload;
    }

    /**
     * Runs the proposal on one peer, as Fabric Gateway evaluates: among the peers that can run the
     * chaincode, the gateway's own organization's first (by default the client's), then the other
     * named organizations (or, with no names and no transient data, any organization). A peer whose
     * auth filter refuses the proposal, or that failed to run it, is passed over for the next; a
     * chaincode's error and a refused creator are final, with Fabric's gRPC status (UNKNOWN,
     * FAILED_PRECONDITION).
     */
    async evaluateResponse(
        proposal: Proposal,
        endorsingOrganizations?: string[],
        gatewayOrg: string = proposal.creatorMspId,
    ): Promise<EvaluateResponse> {
        if (this.#init.systemChaincodes?.has(proposal.chaincodeName)) {
            return this.#evaluateSystemChaincode(proposal, gatewayOrg);
        }
        const local = gatewayOrg;
        const transientProtected = !endorsingOrganizations?.length && proposal.transient.size > 0;
        const targets = (
            endorsingOrganizations?.length
                ? endorsingOrganizations
                : transientProtected
                  ? [local]
                  : this.#init.policies.orgs
        ).filter((org) => this.#init.chaincodes.runs(proposal.chaincodeName, org));
        if (targets.length === 0) {
            const none = `no peers available to evaluate chaincode ${proposal.chaincodeName} in channel ${proposal.channelId}`;
            throw new GatewayError(
                ErrorCode.GATEWAY_FAILED,
                GrpcStatus.FAILED_PRECONDITION,
                transientProtected
                    ? `no endorsers found in the gateway's organization; retry specifying target organization(s) to protect transient data: ${none}`
                    : none,
            );
        }
        const ordered = targets.includes(local) ? [local, ...targets.filter((org) => org !== local)] : targets;
        const details: ErrorDetail[] = [];
        // A peer that failed to run the proposal is passed over as one that filtered it out; the last one's status is the answer.
        let lastStatus: number = GrpcStatus.UNAVAILABLE;
        for (const org of ordered) {
            const [result] = await this.#execute(proposal, [org]);
            if (result.ok) {
                const { status, message, payload } = result.response;
                return { status, message, payload };
            }
            details.push({ address: peerAddress(org), mspId: org, message: result.message });
            if (result.chaincodeError || result.accessDenied) {
                throw new GatewayError(
                    ErrorCode.GATEWAY_FAILED,
                    result.chaincodeError ? GrpcStatus.UNKNOWN : GrpcStatus.FAILED_PRECONDITION,
                    `evaluate call to endorser returned error: ${result.message}`,
                    details,
                );
            }
            lastStatus = result.filtered ? GrpcStatus.UNAVAILABLE : GrpcStatus.ABORTED;
        }
        throw new GatewayError(
            ErrorCode.GATEWAY_FAILED,
            lastStatus,
            'failed to evaluate transaction, see attached details for more info',
            details,
        );
    }

    /**
     * Endorses as a Fabric Gateway does: the organizations the client names, else the gateway's
     * org (by default the client's) first and the remaining endorsers planned from its chaincode
     * interest (key-level policies included); every result must be byte-identical. Only peers that
     * can run the chaincode endorse: a named organization whose peer cannot is refused, and when the
     * gateway's own cannot, the first endorser is planned from the chaincode's policy alone. The
     * private values wait in the transient store for the transaction's submission.
     */
    async endorse(
        proposal: Proposal,
        endorsingOrganizations?: string[],
        gatewayOrg: string = proposal.creatorMspId,
    ): Promise<PreparedTransaction> {
        const definition = this.#init.chaincodes.definition(proposal.chaincodeName);
        if (!definition) {
            throw new EndorseError(
                proposal.txId,
                GrpcStatus.NOT_FOUND,
                `chaincode ${proposal.chaincodeName} is not deployed on channel ${proposal.channelId}`,
            );
        }
        let endorsed: Endorsed[];
        if (endorsingOrganizations?.length) {
            // The client takes responsibility for naming organizations that satisfy the policies.
            const missing = endorsingOrganizations.filter(
                (org) => !this.#init.chaincodes.runs(proposal.chaincodeName, org),
            );
            if (missing.length > 0) {
                throw new EndorseError(
                    proposal.txId,
                    GrpcStatus.UNAVAILABLE,
                    `failed to find any endorsing peers for org(s): ${missing.join(', ')}`,
                );
            }
            endorsed = agreedResults(proposal.txId, await this.#execute(proposal, endorsingOrganizations));
        } else {
            const firstOrg = this.#firstEndorser(proposal, gatewayOrg);
            this.#prestart(proposal, definition, firstOrg);
            const [first] = await this.#execute(proposal, [firstOrg]);
            // A refusal by the first peer is final: asking the others would only repeat it.
            const layout = first.ok ? this.#plan(proposal, first.interest, firstOrg) : [firstOrg];
            const others = await this.#execute(
                proposal,
                layout.filter((org) => org !== firstOrg),
            );
            const agreed = agreedResults(proposal.txId, [first, ...others]);
            // The first response is the one the others must match; its endorsement counts only if its org is in the layout.
            endorsed = layout.includes(firstOrg) ? agreed : agreed.slice(1);
        }
        const endorsements = endorsed.map((r) => r.endorsement);
        this.#transient.put(proposal.txId, endorsed[0].privateWrites, this.#init.height());
        return {
            txId: proposal.txId,
            result: endorsed[0].response.payload,
            envelope: {
                txId: proposal.txId,
                channelId: proposal.channelId,
                timestamp: proposal.timestamp,
                creator: proposal.creator,
                chaincodeName: proposal.chaincodeName,
                args: proposal.args,
                responsePayload: endorsed[0].payload,
                endorsements,
                payloadBytes: transactionPayload(proposal.proposalBytes, endorsed[0].payload, endorsements),
            },
            privateWrites: endorsed[0].privateWrites,
        };
    }

    /**
     * Orders the client-signed transaction. The promise resolves with the commit status once its
     * block commits (Fabric's Submit followed by CommitStatus).
     */
    submit(prepared: PreparedTransaction, signature: Uint8Array): Promise<Status> {
        this.#transient.take(prepared.txId);
        return this.#order({ ...prepared.envelope, signature }, prepared.privateWrites);
    }

    /**
     * Orders a signed Fabric `common.Envelope` as a client submits it, after the checks Fabric's
     * orderer makes when it receives one (see `broadcast.ts`); the private values come from the
     * transient store. Resolves with the commit status once the block commits; a refusal
     * (SubmitError, ABORTED) is thrown before anything is ordered.
     */
    async submitEnvelope(txId: string, envelopeBytes: Uint8Array): Promise<{ committed: Promise<Status> }> {
        const envelope = await checkBroadcast(txId, envelopeBytes, {
            channel: this.#init.channel,
            membership: this.#init.membership,
        });
        return { committed: this.#order(envelope, this.#transient.take(envelope.txId)) };
    }

    #order(envelope: TransactionEnvelope, privateWrites: PrivateWrites): Promise<Status> {
        return this.#init.orderer.order({ envelope, privateWrites }).then(({ block, transaction }) => ({
            blockNumber: BigInt(block.block.header.number),
            code: transaction.code,
            successful: transaction.code === TxValidationCode.VALID,
            transactionId: envelope.txId,
        }));
    }

    /** Events of one chaincode's valid transactions, replayed from `startBlock`, then live. */
    chaincodeEvents(
        channel: string,
        chaincodeName: string,
        startBlock?: bigint,
    ): Promise<CloseableAsyncIterable<ChaincodeEvent>> {
        this.checkChannel(channel);
        return this.#init.deliver.subscribe(startBlock === undefined ? undefined : Number(startBlock), (committed) =>
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

    /**
     * A system chaincode's answer from the gateway's own peer, after the checks a peer makes of
     * every proposal: the creator is a member of a channel organization, which is also the
     * channel's Readers policy (Fabric's default ACL for qscc).
     */
    async #evaluateSystemChaincode(proposal: Proposal, gatewayOrg: string): Promise<EvaluateResponse> {
        const answer = await this.endorsers.processProposal(proposal, gatewayOrg);
        const detail = (message: string): ErrorDetail[] => [
            { address: peerAddress(gatewayOrg), mspId: gatewayOrg, message },
        ];
        if ('refused' in answer && answer.filtered) {
            throw new GatewayError(
                ErrorCode.GATEWAY_FAILED,
                GrpcStatus.UNAVAILABLE,
                'failed to evaluate transaction, see attached details for more info',
                detail(answer.refused),
            );
        }
        const [status, message] =
            'refused' in answer
                ? [GrpcStatus.FAILED_PRECONDITION, answer.refused]
                : [GrpcStatus.UNKNOWN, `chaincode response ${answer.response.status}, ${answer.response.message}`];
        if ('refused' in answer || answer.response.status >= ERROR_THRESHOLD) {
            throw new GatewayError(
                ErrorCode.GATEWAY_FAILED,
                status,
                `evaluate call to endorser returned error: ${message}`,
                detail(message),
            );
        }
        return answer.response;
    }

    /**
     * On a chaincode definition's first endorsement from an organization: while the first peer
     * runs the proposal, starts the instances of the peers the chaincode's own policy would add,
     * which otherwise load one after another — the first peer's, then the rest once its interest
     * names them. Only where an instance starts changes; the plan is still made from the interest.
     */
    #prestart(proposal: Proposal, definition: ChaincodeDefinition, firstOrg: string): void {
        const key = `${definition.name} ${definition.sequence} ${firstOrg}`;
        if (this.#prestarted.has(key)) {
            return;
        }
        this.#prestarted.add(key);
        const namespaceOnly: ChaincodeInterest = {
            chaincodes: [
                {
                    name: definition.name,
                    collectionNames: [],
                    noPrivateReads: true,
                    keyPolicies: [],
                    disregardNamespacePolicy: false,
                },
            ],
        };
        let layout: string[] = [];
        try {
            layout = this.#plan(proposal, namespaceOnly, firstOrg);
        } catch {
            // No layout satisfies the policy: the plan after the first endorsement says so.
        }
        this.#init.chaincodes.prestart(proposal.chaincodeName, [firstOrg, ...layout]);
    }

    /**
     * The peer Fabric Gateway endorses on first: its own organization's, when that peer can run the
     * chaincode; else, with no transient data to protect, one that discovery offers for the
     * chaincode's policy alone.
     */
    #firstEndorser(proposal: Proposal, gatewayOrg: string): string {
        if (
            this.#init.policies.orgs.includes(gatewayOrg) &&
            this.#init.chaincodes.runs(proposal.chaincodeName, gatewayOrg)
        ) {
            return gatewayOrg;
        }
        if (proposal.transient.size > 0) {
            throw new EndorseError(
                proposal.txId,
                GrpcStatus.FAILED_PRECONDITION,
                "no endorsers found in the gateway's organization; retry specifying endorsing organization(s) to protect transient data",
            );
        }
        return this.#plan(proposal, { chaincodes: [] }, '')[0];
    }

    /** The layout Fabric Gateway would plan from the first endorsement's chaincode interest. */
    #plan(proposal: Proposal, interest: ChaincodeInterest, firstOrg: string): string[] {
        const { policies, chaincodes } = this.#init;
        try {
            return planFromInterest(interest, proposal.chaincodeName, firstOrg, proposal.transient.size > 0, {
                orgs: policies.orgs,
                chaincodePolicy: (namespace) => chaincodes.definition(namespace)?.policy,
                collection: (namespace, name) => chaincodes.collections(namespace).get(name),
                satisfied: (policy, orgs) => policies.satisfiedBy(policy, orgs),
                runs: (namespace, org) => chaincodes.runs(namespace, org),
            });
        } catch (err) {
            throw new EndorseError(proposal.txId, GrpcStatus.FAILED_PRECONDITION, (err as Error).message);
        }
    }

    #execute(proposal: Proposal, orgs: string[]): Promise<PeerResult[]> {
        return Promise.all(
            orgs.map((org) => this.#init.endorser.execute(proposal, peerSigner(this.#init.membership, org))),
        );
    }
}

/** Every peer endorsed, and all computed the same result; otherwise the reason, per peer. */
function agreedResults(txId: string, results: PeerResult[]): Endorsed[] {
    const failures = results.filter((r): r is Extract<PeerResult, { ok: false }> => !r.ok);
    if (failures.length > 0) {
        // Refused as Fabric refuses it, with no chaincode code: the stable code says why.
        const denied = failures.every((f) => f.message.startsWith('access denied'));
        throw new EndorseError(
            txId,
            GrpcStatus.ABORTED,
            'failed to endorse transaction, see attached details for more info',
            failures.map((f) => ({ address: peerAddress(f.mspId), mspId: f.mspId, message: f.message })),
            denied ? ErrorCode.ACCESS_DENIED : ErrorCode.ENDORSE_FAILED,
        );
    }
    const endorsed = results as Endorsed[];
    const first = Buffer.from(endorsed[0].payload);
    if (endorsed.some((r) => !first.equals(r.payload))) {
        throw new EndorseError(
            txId,
            GrpcStatus.ABORTED,
            `ProposalResponsePayloads do not match for transaction ${txId}: the endorsing peers computed different results (is the chaincode deterministic?)`,
        );
    }
    return endorsed;
}

/** Fabric's threshold: a chaincode status of 400 or above is an error. */
const ERROR_THRESHOLD = 400;
