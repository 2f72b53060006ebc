import { common, ledger, msp, peer } from '@hyperledger/fabric-protos';
import {
    type BlockInfo,
    type KeyRead,
    type NamespaceReadWriteSet,
    type Signer,
    signerOf,
    type TransactionInfo,
    validationCodeName,
} from '@zhelian/api';

const { kvrwset } = ledger.rwset;

/** Where Fabric keeps each transaction's validation code among a block's metadata. */
const TRANSACTIONS_FILTER = common.BlockMetadataIndex.TRANSACTIONS_FILTER;
const NO_SIGNER: Signer = { mspId: '', subject: '' };

/**
 * A Fabric block (as qscc and the deliver service return it) in `@zhelian/api`'s backend-neutral
 * shape. An endorser transaction shows its creator, chaincode, arguments, endorsers, response,
 * event and read-write sets (private data as the hashes the channel holds); a configuration
 * transaction has no chaincode: its `chaincodeName` is empty and `args` names its type.
 */
export function describeBlock(block: common.Block): BlockInfo {
    const header = block.getHeader();
    const codes = block.getMetadata()?.getMetadataList_asU8()[TRANSACTIONS_FILTER] ?? new Uint8Array();
    const number = Number(header?.getNumber() ?? 0);
    return {
        number,
        previousHash: hex(header?.getPreviousHash_asU8()),
        dataHash: hex(header?.getDataHash_asU8()),
        transactions: (block.getData()?.getDataList_asU8() ?? []).map((bytes, txNumber) =>
            describeEnvelope(bytes, number, txNumber, codes[txNumber] ?? 255),
        ),
    };
}

function describeEnvelope(
    envelopeBytes: Uint8Array,
    blockNumber: number,
    txNumber: number,
    validationCode: number,
): TransactionInfo {
    const payload = common.Payload.deserializeBinary(
        common.Envelope.deserializeBinary(envelopeBytes).getPayload_asU8(),
    );
    const payloadHeader = payload.getHeader();
    const channelHeader = common.ChannelHeader.deserializeBinary(
        payloadHeader?.getChannelHeader_asU8() ?? new Uint8Array(),
    );
    const signatureHeader = common.SignatureHeader.deserializeBinary(
        payloadHeader?.getSignatureHeader_asU8() ?? new Uint8Array(),
    );
    const timestamp = channelHeader.getTimestamp();
    const base: TransactionInfo = {
        txId: channelHeader.getTxId(),
        blockNumber,
        txNumber,
        validationCode,
        validationCodeName: validationCodeName(validationCode),
        timestamp: timestamp ? new Date(timestamp.getSeconds() * 1000 + timestamp.getNanos() / 1e6).toISOString() : '',
        creator: describeSigner(signatureHeader.getCreator_asU8()),
        chaincodeName: '',
        args: [HEADER_TYPE_NAMES[channelHeader.getType()] ?? `HEADER_TYPE_${channelHeader.getType()}`],
        endorsers: [],
        response: { status: 0, message: '', payload: new Uint8Array() },
        event: null,
        readWriteSets: [],
    };
    if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) {
        return base;
    }
    const [action] = peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList();
    if (!action) {
        return base;
    }
    const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
    const input = peer.ChaincodeInvocationSpec.deserializeBinary(
        peer.ChaincodeProposalPayload.deserializeBinary(
            actionPayload.getChaincodeProposalPayload_asU8(),
        ).getInput_asU8(),
    );
    const endorsed = actionPayload.getAction();
    const chaincodeAction = peer.ChaincodeAction.deserializeBinary(
        peer.ProposalResponsePayload.deserializeBinary(
            endorsed?.getProposalResponsePayload_asU8() ?? new Uint8Array(),
        ).getExtension_asU8(),
    );
    const response = chaincodeAction.getResponse();
    const eventBytes = chaincodeAction.getEvents_asU8();
    const event = eventBytes.length > 0 ? peer.ChaincodeEvent.deserializeBinary(eventBytes) : undefined;
    return {
        ...base,
        chaincodeName:
            input.getChaincodeSpec()?.getChaincodeId()?.getName() ?? chaincodeAction.getChaincodeId()?.getName() ?? '',
        args: (input.getChaincodeSpec()?.getInput()?.getArgsList_asU8() ?? []).map((arg) =>
            Buffer.from(arg).toString('utf8'),
        ),
        endorsers: (endorsed?.getEndorsementsList() ?? []).map((e) => describeSigner(e.getEndorser_asU8())),
        response: {
            status: response?.getStatus() ?? 0,
            message: response?.getMessage() ?? '',
            payload: response?.getPayload_asU8() ?? new Uint8Array(),
        },
        event:
            event && event.getEventName()
                ? { eventName: event.getEventName(), payload: event.getPayload_asU8() }
                : null,
        readWriteSets: describeReadWriteSets(chaincodeAction.getResults_asU8()),
    };
}

function describeReadWriteSets(bytes: Uint8Array): NamespaceReadWriteSet[] {
    if (bytes.length === 0) {
        return [];
    }
    return ledger.rwset.TxReadWriteSet.deserializeBinary(bytes)
        .getNsRwsetList()
        .map((ns) => {
            const set = kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8());
            return {
                namespace: ns.getNamespace(),
                reads: set.getReadsList().map(describeRead),
                rangeReads: set.getRangeQueriesInfoList().map((range) => ({
                    startKey: range.getStartKey(),
                    endKey: range.getEndKey(),
                    exhausted: range.getItrExhausted(),
                    reads: range.getRawReads()?.getKvReadsList().map(describeRead) ?? [],
                })),
                writes: set.getWritesList().map((write) => ({
                    key: write.getKey(),
                    isDelete: write.getIsDelete(),
                    value: write.getValue_asU8(),
                })),
                metadataWrites: set.getMetadataWritesList().map((write) => ({
                    key: write.getKey(),
                    entries: Object.fromEntries(write.getEntriesList().map((e) => [e.getName(), e.getValue_asU8()])),
                })),
                collections: ns.getCollectionHashedRwsetList().map((collection) => {
                    const hashed = kvrwset.HashedRWSet.deserializeBinary(collection.getHashedRwset_asU8());
                    return {
                        collection: collection.getCollectionName(),
                        reads: hashed.getHashedReadsList().map((read) => ({
                            keyHash: hex(read.getKeyHash_asU8()),
                            version: describeVersion(read.getVersion()),
                        })),
                        writes: hashed.getHashedWritesList().map((write) => ({
                            keyHash: hex(write.getKeyHash_asU8()),
                            isDelete: write.getIsDelete(),
                            valueHash: hex(write.getValueHash_asU8()),
                            ...(write.getIsPurge() ? { isPurge: true } : {}),
                        })),
                    };
                }),
            };
        });
}

function describeRead(read: ledger.rwset.kvrwset.KVRead): KeyRead {
    return { key: read.getKey(), version: describeVersion(read.getVersion()) };
}

function describeVersion(version: ledger.rwset.kvrwset.Version | undefined): KeyRead['version'] {
    return version ? { blockNumber: version.getBlockNum(), txNumber: version.getTxNum() } : null;
}

/** MSP ID and certificate subject of a serialized identity (creator or endorser). */
function describeSigner(serialized: Uint8Array): Signer {
    if (serialized.length === 0) {
        return NO_SIGNER;
    }
    const identity = msp.SerializedIdentity.deserializeBinary(serialized);
    return signerOf(identity.getMspid(), identity.getIdBytes_asU8());
}

const HEADER_TYPE_NAMES: Record<number, string> = Object.fromEntries(
    Object.entries(common.HeaderType).map(([name, value]) => [value, name]),
);

function hex(bytes: Uint8Array | undefined): string {
    return bytes ? Buffer.from(bytes).toString('hex') : '';
}
