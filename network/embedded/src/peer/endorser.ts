import type { ChaincodeResponse } from '../chaincode/handler';
import type { ChaincodeHost } from '../chaincode/host';
import type { Endorsement } from '../ledger/block';
import type { CollectionDefinition } from '../ledger/collections';
import type { PrivateWrites } from '../ledger/committer';
import type { StateDatabase } from '../ledger/couch/state-database';
import { encodeResponsePayload, proposalHash } from '../ledger/fabric-transaction';
import type { TxRwSet } from '../ledger/rwset';
import { TransactionSimulator } from '../ledger/simulator';
import type { LedgerStore } from '../ledger/store';
import { buildChaincodeInterest, type ChaincodeInterest } from './chaincode-interest';
import type { Proposal } from './proposal';
import { checkTimeWindow } from './time-window';

/** What an endorser needs to know about deployed chaincode. */
export interface RunningChaincodes {
    /** The running host of a deployed chaincode (started on first use). */
    host(name: string): Promise<ChaincodeHost>;
    collections(name: string): ReadonlyMap<string, CollectionDefinition>;
}

/** A peer's signing identity. */
export interface PeerSigner {
    /** The peer's address, e.g. `peer0.Org1MSP`: it names the peer's own instance of each chaincode. */
    id: string;
    mspId: string;
    serialized: Uint8Array;
    sign(message: Uint8Array): Promise<Uint8Array>;
}

/** One peer's verdict on a proposal. */
export type PeerResult =
    | {
          ok: true;
          mspId: string;
          response: ChaincodeResponse;
          payload: Uint8Array;
          endorsement: Endorsement;
          privateWrites: PrivateWrites;
          rwset: TxRwSet;
          /** What the transaction needs of its endorsers, as Fabric's endorser returns it. */
          interest: ChaincodeInterest;
      }
    | {
          ok: false;
          mspId: string;
          message: string;
          /**
           * Refused by the peer's auth filter before it processed the proposal (Fabric answers
           * with no proposal response at all): a gateway tries another peer.
           */
          filtered?: true;
          /** Refused by the peer's checks of the proposal and its creator (Fabric's `preProcess`). */
          accessDenied?: true;
          /** The chaincode answered with an error status (400 or above), not the peer. */
          chaincodeError?: true;
      };

/** Fabric's threshold: a chaincode status of 400 or above is an error. */
const ERROR_THRESHOLD = 400;

/**
 * Executes a proposal on one organization's simulated peer and signs the result, as Fabric's
 * endorser does: the auth filter's time window first, then the creator's signature; simulate
 * against committed state on the peer's own instance of the chaincode, never commit, sign
 * response ‖ identity, and return the chaincode interest beside the signed response.
 */
export class Endorser {
    readonly #store: LedgerStore;
    readonly #chaincodes: RunningChaincodes;
    readonly #verifyCreator: (creator: Uint8Array, message: Uint8Array, signature: Uint8Array) => Promise<boolean>;
    readonly #timeWindowMs: number;
    readonly #stateDatabase: StateDatabase | undefined;
    /**
     * Each proposal's signature check, made once for every peer it is sent to: the simulated peers
     * share one process, so one check serves all.
     */
    readonly #verified = new WeakMap<Proposal, Promise<boolean>>();

    /**
     * `timeWindowMs` is Fabric's `peer.authentication.timewindow`, the same for every peer here;
     * `stateDatabase` the peers' state database (LevelDB when absent).
     */
    constructor(
        store: LedgerStore,
        chaincodes: RunningChaincodes,
        verifyCreator: (creator: Uint8Array, message: Uint8Array, signature: Uint8Array) => Promise<boolean>,
        timeWindowMs: number,
        stateDatabase?: StateDatabase,
    ) {
        this.#store = store;
        this.#chaincodes = chaincodes;
        this.#verifyCreator = verifyCreator;
        this.#timeWindowMs = timeWindowMs;
        this.#stateDatabase = stateDatabase;
    }

    /**
     * What a peer checks before it processes a proposal: its auth filter's time window, then the
     * creator's signature. Undefined when the proposal may proceed, else the peer's refusal.
     */
    async admit(proposal: Proposal, mspId: string): Promise<Extract<PeerResult, { ok: false }> | undefined> {
        const outsideWindow = checkTimeWindow(proposal.timestamp, this.#timeWindowMs, new Date());
        if (outsideWindow) {
            return { ok: false, mspId, message: outsideWindow, filtered: true };
        }
        if (!(await this.#signedByCreator(proposal))) {
            return {
                ok: false,
                mspId,
                message: `access denied: the proposal of transaction ${proposal.txId} is not signed by a valid member of ${proposal.creatorMspId}`,
                accessDenied: true,
            };
        }
        return undefined;
    }

    async execute(proposal: Proposal, peer: PeerSigner): Promise<PeerResult> {
        const refused = await this.admit(proposal, peer.mspId);
        if (refused) {
            return refused;
        }
        const chaincodes = this.#chaincodes;
        const chaincodePeer = { id: peer.id, mspId: peer.mspId };
        const simulator = new TransactionSimulator({
            store: this.#store,
            channelId: proposal.channelId,
            peerMspId: peer.mspId,
            creatorMspId: proposal.creatorMspId,
            collections: (namespace) => chaincodes.collections(namespace),
            ...(this.#stateDatabase ? { stateDatabase: this.#stateDatabase } : {}),
            invokeChaincode: async (name, args, sim) => {
                const host = await chaincodes.host(name);
                return host.execute(
                    chaincodePeer,
                    {
                        channelId: proposal.channelId,
                        txId: proposal.txId,
                        signedProposal: proposal.signedProposal,
                        args,
                    },
                    sim.handlerFor(name),
                );
            },
        });
        let response: ChaincodeResponse;
        try {
            const host = await chaincodes.host(proposal.chaincodeName);
            response = await host.execute(
                chaincodePeer,
                {
                    channelId: proposal.channelId,
                    txId: proposal.txId,
                    signedProposal: proposal.signedProposal,
                    args: proposal.args,
                },
                simulator.handlerFor(proposal.chaincodeName),
            );
        } catch (err) {
            return { ok: false, mspId: peer.mspId, message: (err as Error).message };
        }
        if (response.status >= ERROR_THRESHOLD) {
            return {
                ok: false,
                mspId: peer.mspId,
                message: `chaincode response ${response.status}, ${response.message}`,
                chaincodeError: true,
            };
        }
        const rwset = simulator.results();
        const interest = await buildChaincodeInterest(
            rwset,
            simulator.privateValueReads(),
            async (namespace, key) => (await this.#store.getState(namespace, key))?.metadata,
        );
        // Fabric's ProposalResponsePayload: private values enter it as their hash only.
        const payloadBytes = encodeResponsePayload({
            proposalHash: proposalHash(proposal.proposalBytes),
            chaincodeName: proposal.chaincodeName,
            txId: proposal.txId,
            response: { status: response.status, message: response.message, payload: response.payload },
            event: response.event ? { eventName: response.event.eventName, payload: response.event.payload } : null,
            rwset,
        });
        const signature = await peer.sign(Buffer.concat([payloadBytes, peer.serialized]));
        return {
            ok: true,
            mspId: peer.mspId,
            response,
            payload: payloadBytes,
            endorsement: { endorser: peer.serialized, signature },
            privateWrites: privateWritesOf(rwset),
            rwset,
            interest,
        };
    }

    #signedByCreator(proposal: Proposal): Promise<boolean> {
        let verified = this.#verified.get(proposal);
        if (!verified) {
            verified = this.#verifyCreator(proposal.creator, proposal.proposalBytes, proposal.signature);
            this.#verified.set(proposal, verified);
        }
        return verified;
    }
}

function privateWritesOf(rwset: TxRwSet): PrivateWrites {
    return rwset.flatMap((ns) =>
        ns.collections
            .filter((c) => c.privateWrites.length > 0)
            .map((c) => ({ namespace: ns.namespace, collection: c.collection, writes: c.privateWrites })),
    );
}
