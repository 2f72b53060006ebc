import type { Endorsement } from '../ledger/block';
import type { Membership } from '../msp';
import type { Endorser } from './endorser';
import { peerSigner } from './peer-signer';
import type { Proposal } from './proposal';
import type { ChaincodeAnswer, SystemChaincode } from './system-chaincode';

/**
 * One peer's answer to a proposal sent straight to it: refused by its checks (Fabric answers with
 * a gRPC error; `filtered` when its auth filter, the time window, refused it before anything
 * else, so a gateway tries another peer), or a response — with the signed result and the peer's
 * endorsement when the chaincode succeeded.
 */
export type PeerAnswer =
    | { refused: string; filtered?: true }
    | { response: ChaincodeAnswer; payload?: Uint8Array; endorsement?: Endorsement };

export interface EndorserServiceInit {
    channel: string;
    membership: Membership;
    endorser: Endorser;
    systemChaincodes: ReadonlyMap<string, SystemChaincode>;
}

/**
 * Fabric's peer `Endorser` service (`ProcessProposal`), which tools that talk to one peer use —
 * the `peer` CLI's `chaincode query` and `lifecycle chaincode querycommitted`, the legacy SDKs:
 * the peer checks the proposal, runs it on its own instance of the chaincode (or its system
 * chaincode), and signs the result. No gateway plans anything: the client collects endorsements.
 *
 * ```ts
 * const answer = await endorsers.processProposal(proposal, 'Org1MSP');
 * ```
 */
export class EndorserService {
    readonly #init: EndorserServiceInit;

    constructor(init: EndorserServiceInit) {
        this.#init = init;
    }

    async processProposal(proposal: Proposal, mspId: string): Promise<PeerAnswer> {
        const systemChaincode = this.#init.systemChaincodes.get(proposal.chaincodeName);
        // System chaincodes also take proposals bound to no channel (the channel is an argument), as `peer channel getinfo` sends.
        if (proposal.channelId !== this.#init.channel && !(systemChaincode && proposal.channelId === '')) {
            return { response: failure(`channel '${proposal.channelId}' not found`) };
        }
        if (systemChaincode) {
            const refused = await this.#init.endorser.admit(proposal, mspId);
            return refused ? refusal(refused) : { response: await systemChaincode.invoke(proposal.args) };
        }
        const result = await this.#init.endorser.execute(proposal, peerSigner(this.#init.membership, mspId));
        if (!result.ok) {
            return result.filtered || result.accessDenied ? refusal(result) : { response: failure(result.message) };
        }
        const { status, message, payload } = result.response;
        return { response: { status, message, payload }, payload: result.payload, endorsement: result.endorsement };
    }
}

function refusal(refused: { message: string; filtered?: true }): PeerAnswer {
    return { refused: refused.message, ...(refused.filtered ? { filtered: true as const } : {}) };
}

/** A peer's own failure: status 500 and the message, as Fabric's endorser answers it. */
function failure(message: string): ChaincodeAnswer {
    return { status: 500, message, payload: new Uint8Array() };
}
