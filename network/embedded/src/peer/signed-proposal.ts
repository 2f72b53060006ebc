import { common, msp, peer } from '@hyperledger/fabric-protos';
import { computeTxId, type Proposal } from './proposal';

/** A signed proposal that cannot be unpacked: Fabric's gateway answers INVALID_ARGUMENT. */
export class ProposalFormatError extends Error {}

/**
 * Reads a `protos.SignedProposal` that a client sent, as a Fabric peer unpacks one
 * (core/endorser `UnpackProposal`), into the proposal the embedded peers process. Throws
 * {@link ProposalFormatError} with Fabric's words when a part is missing; {@link proposalProblem}
 * says whether the content is acceptable.
 *
 * ```ts
 * const unpacked = readSignedProposal(request.getProposedTransaction()!);
 * proposalProblem(unpacked); // undefined, or e.g. "incorrectly computed txid …"
 * ```
 */
export function readSignedProposal(signed: peer.SignedProposal): UnpackedProposal {
    const proposalBytes = signed.getProposalBytes_asU8();
    if (proposalBytes.length === 0) {
        throw new ProposalFormatError('a signed proposal is required');
    }
    try {
        const proposal = peer.Proposal.deserializeBinary(proposalBytes);
        const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
        const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
        const signatureHeader = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8());
        const extension = peer.ChaincodeHeaderExtension.deserializeBinary(channelHeader.getExtension_asU8());
        const payload = peer.ChaincodeProposalPayload.deserializeBinary(proposal.getPayload_asU8());
        const spec = peer.ChaincodeInvocationSpec.deserializeBinary(payload.getInput_asU8()).getChaincodeSpec();
        const chaincodeName = extension.getChaincodeId()?.getName() ?? '';
        if (chaincodeName === '') {
            throw new ProposalFormatError('ChaincodeHeaderExtension.ChaincodeId.Name is empty');
        }
        if (!spec?.getInput()) {
            throw new ProposalFormatError('chaincode input did not contain any input');
        }
        const creator = signatureHeader.getCreator_asU8();
        const timestamp = channelHeader.getTimestamp();
        return {
            proposal: {
                txId: channelHeader.getTxId(),
                channelId: channelHeader.getChannelId(),
                chaincodeName,
                args: spec.getInput()?.getArgsList_asU8() ?? [],
                transient: new Map(
                    payload
                        .getTransientmapMap()
                        .toArray()
                        .map(([key, value]) => [key, asBytes(value)]),
                ),
                creator,
                creatorMspId: creator.length > 0 ? msp.SerializedIdentity.deserializeBinary(creator).getMspid() : '',
                timestamp: { seconds: timestamp?.getSeconds() ?? 0, nanos: timestamp?.getNanos() ?? 0 },
                signedProposal: signed.serializeBinary(),
                proposalBytes,
                signature: signed.getSignature_asU8(),
            },
            headerType: channelHeader.getType(),
            epoch: channelHeader.getEpoch(),
            nonce: signatureHeader.getNonce_asU8(),
        };
    } catch (err) {
        if (err instanceof ProposalFormatError) {
            throw err;
        }
        throw new ProposalFormatError(`failed to unpack the proposal: ${(err as Error).message}`);
    }
}

/** A proposal read from the wire, with the header fields a peer validates. */
export interface UnpackedProposal {
    proposal: Proposal;
    headerType: number;
    epoch: number;
    nonce: Uint8Array;
}

/**
 * What a Fabric peer's `UnpackedProposal.Validate` refuses before it checks the signature: a
 * header type other than ENDORSER_TRANSACTION, a non-zero epoch, no nonce or creator, a txId that
 * is not hex(SHA-256(nonce ‖ creator)), no signature. Undefined when none applies.
 */
export function proposalProblem({ proposal, headerType, epoch, nonce }: UnpackedProposal): string | undefined {
    if (headerType !== common.HeaderType.ENDORSER_TRANSACTION) {
        return `invalid header type ${headerType}`;
    }
    if (epoch !== 0) {
        return 'epoch is non-zero';
    }
    if (nonce.length === 0) {
        return 'nonce is empty';
    }
    if (proposal.creator.length === 0) {
        return 'creator is empty';
    }
    const expected = computeTxId(nonce, proposal.creator);
    if (proposal.txId !== expected) {
        return `incorrectly computed txid '${proposal.txId}' -- expected '${expected}'`;
    }
    if (proposal.signature.length === 0) {
        return 'empty signature bytes';
    }
    return undefined;
}

function asBytes(value: Uint8Array | string): Uint8Array {
    return typeof value === 'string' ? new Uint8Array(Buffer.from(value, 'base64')) : value;
}
