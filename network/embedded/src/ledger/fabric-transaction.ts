import { common, peer } from '@hyperledger/fabric-protos';
import type { Endorsement, ProposalResponsePayload, TransactionEnvelope } from './block';
import { decodeRecord, encodeRecord, sha256, toHex } from './encoding';
import { decodeTxRwSet, encodeTxRwSet } from './fabric-rwset';
import type { TxRwSet } from './rwset';

/**
 * A transaction's bytes as Fabric's: the endorsed result is a `peer.ProposalResponsePayload`
 * (its `ChaincodeAction` holding the `TxReadWriteSet`, the chaincode event and the response),
 * and the transaction a `common.Envelope` whose payload is built from the proposal's own header
 * bytes, as Fabric's gateway assembles it (`prepareTransaction`). Every endorser signs the
 * payload's bytes, the client signs the envelope's payload, and the block stores the envelope:
 * so the signatures any Fabric tool checks are the ones this ledger checks.
 *
 * Blocks written before the ledger stored Fabric bytes hold JSON records instead (see
 * `encoding.ts`); the decoders here read both, telling them apart by the first byte (`{`).
 */

/** What an endorser puts in a proposal response payload. */
export interface ChaincodeActionContent {
    /** Fabric's proposal hash, see {@link proposalHash}. */
    proposalHash: Uint8Array;
    chaincodeName: string;
    txId: string;
    response: { status: number; message: string; payload: Uint8Array };
    event: { eventName: string; payload: Uint8Array } | null;
    /** The simulation's read-write set; private values go in as their hash only (`pvt_rwset_hash`). */
    rwset: TxRwSet;
}

const JSON_RECORD = 0x7b; // '{': a record from before the ledger stored Fabric's bytes

/**
 * Fabric's proposal hash (core/endorser `UnpackProposal`): SHA-256 over the channel header
 * bytes, the signature header bytes and the chaincode proposal payload without its transient map.
 */
export function proposalHash(proposalBytes: Uint8Array): Uint8Array {
    const { header, payloadForTransaction } = readProposal(proposalBytes);
    return sha256(header.getChannelHeader_asU8(), header.getSignatureHeader_asU8(), payloadForTransaction);
}

/** `peer.ProposalResponsePayload` bytes, as `protoutil.GetBytesProposalResponsePayload` makes them. */
export function encodeResponsePayload(content: ChaincodeActionContent): Uint8Array {
    const response = new peer.Response();
    response.setStatus(content.response.status);
    response.setMessage(content.response.message);
    response.setPayload(content.response.payload);
    const chaincodeId = new peer.ChaincodeID();
    chaincodeId.setName(content.chaincodeName);
    const action = new peer.ChaincodeAction();
    action.setResults(encodeTxRwSet(content.rwset));
    if (content.event) {
        const event = new peer.ChaincodeEvent();
        event.setChaincodeId(content.chaincodeName);
        event.setTxId(content.txId);
        event.setEventName(content.event.eventName);
        event.setPayload(content.event.payload);
        action.setEvents(event.serializeBinary());
    }
    action.setResponse(response);
    action.setChaincodeId(chaincodeId);
    const payload = new peer.ProposalResponsePayload();
    payload.setProposalHash(content.proposalHash);
    payload.setExtension$(action.serializeBinary());
    return payload.serializeBinary();
}

/** The endorsed result from a proposal response payload: Fabric's protobuf, or an older JSON record. */
export function decodeResponsePayload(bytes: Uint8Array): ProposalResponsePayload {
    if (bytes[0] === JSON_RECORD) {
        return decodeRecord<ProposalResponsePayload>(bytes);
    }
    const payload = peer.ProposalResponsePayload.deserializeBinary(bytes);
    const action = peer.ChaincodeAction.deserializeBinary(payload.getExtension_asU8());
    const response = action.getResponse();
    const event = peer.ChaincodeEvent.deserializeBinary(action.getEvents_asU8());
    return {
        proposalHash: toHex(payload.getProposalHash_asU8()),
        chaincodeName: action.getChaincodeId()?.getName() ?? '',
        response: {
            status: response?.getStatus() ?? 0,
            message: response?.getMessage() ?? '',
            payload: response?.getPayload_asU8() ?? new Uint8Array(),
        },
        // Fabric's rule (core/peer/deliverevents.go): an event without a chaincode id is no event.
        event:
            event.getChaincodeId() !== ''
                ? { eventName: event.getEventName(), payload: event.getPayload_asU8() }
                : null,
        rwset: decodeTxRwSet(action.getResults_asU8()),
    };
}

/**
 * The `common.Payload` bytes of a transaction, as Fabric's gateway assembles them from the signed
 * proposal and the endorsements: the proposal's header as it is, and one `TransactionAction` with
 * the proposal's input (its transient map left out), the response payload and the endorsements.
 * This is what the client signs.
 */
export function transactionPayload(
    proposalBytes: Uint8Array,
    responsePayload: Uint8Array,
    endorsements: readonly Endorsement[],
): Uint8Array {
    const { header, payloadForTransaction } = readProposal(proposalBytes);
    return assemblePayload(header, payloadForTransaction, responsePayload, endorsements);
}

/** A transaction's `common.Payload` from its header, its proposal payload (no transient map), response payload and endorsements. */
export function assemblePayload(
    header: common.Header,
    proposalPayload: Uint8Array,
    responsePayload: Uint8Array,
    endorsements: readonly Endorsement[],
): Uint8Array {
    const endorsed = new peer.ChaincodeEndorsedAction();
    endorsed.setProposalResponsePayload(responsePayload);
    endorsed.setEndorsementsList(
        endorsements.map((e) => {
            const endorsement = new peer.Endorsement();
            endorsement.setEndorser(e.endorser);
            endorsement.setSignature(e.signature);
            return endorsement;
        }),
    );
    const actionPayload = new peer.ChaincodeActionPayload();
    actionPayload.setChaincodeProposalPayload(proposalPayload);
    actionPayload.setAction(endorsed);
    const action = new peer.TransactionAction();
    action.setHeader(header.getSignatureHeader_asU8());
    action.setPayload(actionPayload.serializeBinary());
    const transaction = new peer.Transaction();
    transaction.setActionsList([action]);
    const payload = new common.Payload();
    payload.setHeader(header);
    payload.setData(transaction.serializeBinary());
    return payload.serializeBinary();
}

/** `common.Envelope` bytes: a payload and its signature. */
export function envelopeBytes(payload: Uint8Array, signature: Uint8Array): Uint8Array {
    const envelope = new common.Envelope();
    envelope.setPayload(payload);
    envelope.setSignature(signature);
    return envelope.serializeBinary();
}

/** What a block stores for a transaction: its Fabric envelope, or (older ledgers) its JSON record. */
export function storedTransaction(envelope: TransactionEnvelope): Uint8Array {
    return envelope.payloadBytes ? envelopeBytes(envelope.payloadBytes, envelope.signature) : encodeRecord(envelope);
}

/** A transaction malformed for this ledger: not an endorser transaction with one chaincode action. */
export class MalformedTransactionError extends Error {}

/**
 * Reads a stored transaction — a Fabric `common.Envelope` or an older JSON record — as the
 * envelope the committer, the explorer and the deliver service work with. Throws
 * {@link MalformedTransactionError} for an envelope this ledger cannot have written.
 */
export function decodeTransaction(bytes: Uint8Array): TransactionEnvelope {
    if (bytes[0] === JSON_RECORD) {
        return decodeRecord<TransactionEnvelope>(bytes);
    }
    try {
        return decodeEnvelope(bytes);
    } catch (err) {
        if (err instanceof MalformedTransactionError) {
            throw err;
        }
        throw new MalformedTransactionError(`not a Fabric transaction envelope: ${(err as Error).message}`);
    }
}

function decodeEnvelope(bytes: Uint8Array): TransactionEnvelope {
    const envelope = common.Envelope.deserializeBinary(bytes);
    const payloadBytes = envelope.getPayload_asU8();
    const payload = common.Payload.deserializeBinary(payloadBytes);
    const header = payload.getHeader();
    if (!header) {
        throw new MalformedTransactionError('the envelope has no header');
    }
    const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
    if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) {
        throw new MalformedTransactionError(`header type ${channelHeader.getType()} is not ENDORSER_TRANSACTION`);
    }
    const signatureHeader = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8());
    const actions = peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList();
    if (actions.length !== 1) {
        throw new MalformedTransactionError(`the transaction has ${actions.length} actions, not one`);
    }
    const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(actions[0].getPayload_asU8());
    const endorsed = actionPayload.getAction();
    if (!endorsed) {
        throw new MalformedTransactionError('the transaction action has no endorsed action');
    }
    const proposalPayload = peer.ChaincodeProposalPayload.deserializeBinary(
        actionPayload.getChaincodeProposalPayload_asU8(),
    );
    const spec = peer.ChaincodeInvocationSpec.deserializeBinary(proposalPayload.getInput_asU8()).getChaincodeSpec();
    const timestamp = channelHeader.getTimestamp();
    const extension = peer.ChaincodeHeaderExtension.deserializeBinary(channelHeader.getExtension_asU8());
    return {
        txId: channelHeader.getTxId(),
        channelId: channelHeader.getChannelId(),
        timestamp: { seconds: timestamp?.getSeconds() ?? 0, nanos: timestamp?.getNanos() ?? 0 },
        creator: signatureHeader.getCreator_asU8(),
        chaincodeName: extension.getChaincodeId()?.getName() ?? spec?.getChaincodeId()?.getName() ?? '',
        args: spec?.getInput()?.getArgsList_asU8() ?? [],
        responsePayload: endorsed.getProposalResponsePayload_asU8(),
        endorsements: endorsed
            .getEndorsementsList()
            .map((e) => ({ endorser: e.getEndorser_asU8(), signature: e.getSignature_asU8() })),
        signature: envelope.getSignature_asU8(),
        payloadBytes,
    };
}

/** A proposal's header, and its chaincode proposal payload without the transient map (what goes in the transaction). */
function readProposal(proposalBytes: Uint8Array): { header: common.Header; payloadForTransaction: Uint8Array } {
    const proposal = peer.Proposal.deserializeBinary(proposalBytes);
    const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
    const input = peer.ChaincodeProposalPayload.deserializeBinary(proposal.getPayload_asU8()).getInput_asU8();
    const withoutTransient = new peer.ChaincodeProposalPayload();
    withoutTransient.setInput(input);
    return { header, payloadForTransaction: withoutTransient.serializeBinary() };
}
