import { common, peer } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import type { Block, TransactionEnvelope } from './block';
import {
    assemblePayload,
    decodeResponsePayload,
    decodeTransaction,
    encodeResponsePayload,
    envelopeBytes,
} from './fabric-transaction';

/**
 * A stored block as Fabric's `common.Block`, as a peer's Deliver service and `qscc` return it:
 * the header as stored (number, previous hash, data hash); each transaction's `common.Envelope`
 * as stored; and the metadata Fabric's committer leaves — TRANSACTIONS_FILTER with one
 * validation code per transaction, COMMIT_HASH with the ledger's commit hash, an empty
 * SIGNATURES entry (the embedded orderer signs no blocks) and the deprecated LAST_CONFIG and
 * ORDERER entries empty.
 *
 * Blocks written before the ledger stored Fabric's bytes hold JSON transaction records: they are
 * re-encoded into envelopes with the same content, but their client and endorser signatures were
 * made over the JSON, so a tool that checks them against the re-encoded bytes finds them invalid,
 * the data hash in the header does not match the re-encoded envelopes, and there is no nonce
 * (the txId cannot be re-derived). The ledger's own `verify` checks those blocks as they were signed.
 *
 * ```ts
 * const bytes = toFabricBlock(await store.getBlock(5)).serializeBinary();
 * ```
 */
export function toFabricBlock(block: Block): common.Block {
    const header = new common.BlockHeader();
    header.setNumber(block.header.number);
    header.setPreviousHash(fromHex(block.header.previousHash));
    header.setDataHash(fromHex(block.header.dataHash));
    const data = new common.BlockData();
    data.setDataList(block.data.map(fabricEnvelope));
    const metadata = new common.BlockMetadata();
    const entries: Uint8Array[] = [];
    entries[common.BlockMetadataIndex.SIGNATURES] = new common.Metadata().serializeBinary();
    entries[common.BlockMetadataIndex.LAST_CONFIG] = new Uint8Array();
    entries[common.BlockMetadataIndex.TRANSACTIONS_FILTER] = Uint8Array.from(block.metadata.validationCodes);
    entries[common.BlockMetadataIndex.ORDERER] = new Uint8Array();
    const commitHash = new common.Metadata();
    commitHash.setValue(fromHex(block.metadata.commitHash));
    entries[common.BlockMetadataIndex.COMMIT_HASH] = commitHash.serializeBinary();
    metadata.setMetadataList(entries);
    const result = new common.Block();
    result.setHeader(header);
    result.setData(data);
    result.setMetadata(metadata);
    return result;
}

/** A stored transaction as the `common.Envelope` bytes Fabric would hold (see {@link toFabricBlock}). */
export function fabricEnvelope(stored: Uint8Array): Uint8Array {
    const envelope = decodeTransaction(stored);
    return envelope.payloadBytes ? stored : reencode(envelope);
}

/** A JSON transaction record rebuilt as an envelope: same content, the signatures it was stored with. */
function reencode(envelope: TransactionEnvelope): Uint8Array {
    const chaincodeId = new peer.ChaincodeID();
    chaincodeId.setName(envelope.chaincodeName);
    const extension = new peer.ChaincodeHeaderExtension();
    extension.setChaincodeId(chaincodeId);
    const timestamp = new Timestamp();
    timestamp.setSeconds(envelope.timestamp.seconds);
    timestamp.setNanos(envelope.timestamp.nanos);
    const channelHeader = new common.ChannelHeader();
    channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
    channelHeader.setChannelId(envelope.channelId);
    channelHeader.setTxId(envelope.txId);
    channelHeader.setTimestamp(timestamp);
    channelHeader.setExtension$(extension.serializeBinary());
    const signatureHeader = new common.SignatureHeader();
    signatureHeader.setCreator(envelope.creator);
    const header = new common.Header();
    header.setChannelHeader(channelHeader.serializeBinary());
    header.setSignatureHeader(signatureHeader.serializeBinary());

    const input = new peer.ChaincodeInput();
    input.setArgsList(envelope.args);
    const spec = new peer.ChaincodeSpec();
    spec.setType(peer.ChaincodeSpec.Type.NODE);
    spec.setChaincodeId(chaincodeId);
    spec.setInput(input);
    const invocation = new peer.ChaincodeInvocationSpec();
    invocation.setChaincodeSpec(spec);
    const proposalPayload = new peer.ChaincodeProposalPayload();
    proposalPayload.setInput(invocation.serializeBinary());

    const result = decodeResponsePayload(envelope.responsePayload);
    const responsePayload = encodeResponsePayload({
        ...result,
        proposalHash: fromHex(result.proposalHash),
        txId: envelope.txId,
    });
    const payload = assemblePayload(header, proposalPayload.serializeBinary(), responsePayload, envelope.endorsements);
    return envelopeBytes(payload, envelope.signature);
}

function fromHex(hex: string): Uint8Array {
    return new Uint8Array(Buffer.from(hex, 'hex'));
}
