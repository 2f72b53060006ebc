import { randomBytes } from 'node:crypto';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { sha256, toHex } from '../ledger/encoding';

/** What a client asks a peer to run. */
export interface ProposalRequest {
    channelId: string;
    chaincodeName: string;
    /** Function name first, then arguments. */
    args: Uint8Array[];
    transient?: Map<string, Uint8Array>;
    /** `msp.SerializedIdentity` of the client. */
    creator: Uint8Array;
    timestamp: Date;
}

/** A signed proposal as it travels, and what a peer reads from it. */
export interface Proposal {
    txId: string;
    channelId: string;
    chaincodeName: string;
    args: Uint8Array[];
    transient: Map<string, Uint8Array>;
    creator: Uint8Array;
    creatorMspId: string;
    timestamp: { seconds: number; nanos: number };
    /** Serialized `protos.SignedProposal`: exactly what the shim receives. */
    signedProposal: Uint8Array;
    /** Serialized `protos.Proposal`, the bytes the client signed. */
    proposalBytes: Uint8Array;
    signature: Uint8Array;
}

/** Fabric's rule: the transaction ID is hex(SHA-256(nonce ‖ creator)). */
export function computeTxId(nonce: Uint8Array, creator: Uint8Array): string {
    return toHex(sha256(nonce, creator));
}

/** A proposal built but not yet signed: its transaction ID, and the bytes the client signs. */
export type UnsignedProposal = Omit<Proposal, 'signedProposal' | 'signature'>;

/**
 * Builds a Fabric `Proposal` for an endorser transaction; {@link signProposal} adds the client's
 * signature over its `proposalBytes`, as fabric-gateway signs a proposal when it is sent.
 *
 * ```ts
 * const unsigned = buildProposal({ channelId: 'zhelian', chaincodeName: 'zhelian', args, creator, timestamp: new Date() });
 * const proposal = signProposal(unsigned, await identity.sign(unsigned.proposalBytes));
 * ```
 */
export function buildProposal(request: ProposalRequest): UnsignedProposal {
    const nonce = new Uint8Array(randomBytes(24));
    const txId = computeTxId(nonce, request.creator);
    const millis = request.timestamp.getTime();
    const timestamp = { seconds: Math.floor(millis / 1000), nanos: (millis % 1000) * 1_000_000 };

    const chaincodeId = new peer.ChaincodeID();
    chaincodeId.setName(request.chaincodeName);
    const extension = new peer.ChaincodeHeaderExtension();
    extension.setChaincodeId(chaincodeId);

    const protoTimestamp = new Timestamp();
    protoTimestamp.setSeconds(timestamp.seconds);
    protoTimestamp.setNanos(timestamp.nanos);

    const channelHeader = new common.ChannelHeader();
    channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
    channelHeader.setChannelId(request.channelId);
    channelHeader.setTxId(txId);
    channelHeader.setTimestamp(protoTimestamp);
    channelHeader.setExtension$(extension.serializeBinary());

    const signatureHeader = new common.SignatureHeader();
    signatureHeader.setCreator(request.creator);
    signatureHeader.setNonce(nonce);

    const header = new common.Header();
    header.setChannelHeader(channelHeader.serializeBinary());
    header.setSignatureHeader(signatureHeader.serializeBinary());

    const input = new peer.ChaincodeInput();
    input.setArgsList(request.args);
    const spec = new peer.ChaincodeSpec();
    spec.setType(peer.ChaincodeSpec.Type.NODE);
    spec.setChaincodeId(chaincodeId);
    spec.setInput(input);
    const invocation = new peer.ChaincodeInvocationSpec();
    invocation.setChaincodeSpec(spec);

    const payload = new peer.ChaincodeProposalPayload();
    payload.setInput(invocation.serializeBinary());
    const transient = request.transient ?? new Map<string, Uint8Array>();
    for (const [name, value] of transient) {
        payload.getTransientmapMap().set(name, value);
    }

    const proposal = new peer.Proposal();
    proposal.setHeader(header.serializeBinary());
    proposal.setPayload(payload.serializeBinary());
    const creatorMspId = msp.SerializedIdentity.deserializeBinary(request.creator).getMspid();
    return {
        txId,
        channelId: request.channelId,
        chaincodeName: request.chaincodeName,
        args: request.args,
        transient,
        creator: request.creator,
        creatorMspId,
        timestamp,
        proposalBytes: proposal.serializeBinary(),
    };
}

/** The proposal with the client's signature over its bytes: a `protos.SignedProposal`. */
export function signProposal(unsigned: UnsignedProposal, signature: Uint8Array): Proposal {
    const signed = new peer.SignedProposal();
    signed.setProposalBytes(unsigned.proposalBytes);
    signed.setSignature(signature);
    return { ...unsigned, signedProposal: signed.serializeBinary(), signature };
}
