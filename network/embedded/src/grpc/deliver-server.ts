import type { ServerDuplexStream, UntypedServiceImplementation } from '@grpc/grpc-js';
import { common, msp, orderer, peer } from '@hyperledger/fabric-protos';
import type { Block } from '../ledger/block';
import { toFabricBlock } from '../ledger/fabric-block';
import { decodeResponsePayload, decodeTransaction } from '../ledger/fabric-transaction';
import { checkTimeWindow } from '../peer/time-window';
import { isReader, type PeerContext } from './peer-context';
import { privateDataOf } from './private-data';

type DeliverCall = ServerDuplexStream<common.Envelope, peer.DeliverResponse>;
type Content = 'block' | 'filtered' | 'private';
type DeliverStatus = common.StatusMap[keyof common.StatusMap];

/** The largest block number a client can ask for; fabric-gateway asks for `Number.MAX_SAFE_INTEGER` to mean "for ever". */
const FOREVER = Number.MAX_SAFE_INTEGER;

/**
 * Fabric's `protos.Deliver` service on one organization's peer (core/peer/deliverevents.go over
 * common/deliver): for each signed `SeekInfo` envelope a client sends, the blocks from its start
 * to its stop position as `common.Block`s (`Deliver`), `FilteredBlock`s (`DeliverFiltered`) or
 * blocks with the private data the client's organization may read (`DeliverWithPrivateData`),
 * then a status. Blocks not yet committed are waited for (BLOCK_UNTIL_READY) or refused
 * (FAIL_IF_NOT_READY: NOT_FOUND). A request is refused as Fabric's peer refuses it: BAD_REQUEST
 * for one it cannot parse or whose timestamp is outside the time window, NOT_FOUND for another
 * channel, FORBIDDEN unless its creator signed it and is a member of a channel organization.
 *
 * ```ts
 * server.addService(peer.DeliverService, deliverService(context));
 * ```
 */
export function deliverService(context: PeerContext): UntypedServiceImplementation {
    const handler =
        (content: Content) =>
        (call: DeliverCall): void => {
            let work = Promise.resolve();
            let ended = false;
            const finish = (): void => {
                if (!ended) {
                    ended = true;
                    call.end();
                }
            };
            call.on('data', (envelope: common.Envelope) => {
                work = work.then(async () => {
                    if (ended || call.cancelled) {
                        return;
                    }
                    // As Fabric's handler: a failure is a status, and any status but SUCCESS ends the stream.
                    const result = await deliverBlocks(context, call, envelope, content).catch(
                        () => common.Status.INTERNAL_SERVER_ERROR,
                    );
                    if (!call.cancelled && !ended) {
                        call.write(statusResponse(result));
                        if (result !== common.Status.SUCCESS) {
                            finish();
                        }
                    }
                });
            });
            call.on('end', () => void work.then(finish));
        };
    return {
        deliver: handler('block'),
        deliverFiltered: handler('filtered'),
        deliverWithPrivateData: handler('private'),
    };
}

async function deliverBlocks(
    context: PeerContext,
    call: DeliverCall,
    envelope: common.Envelope,
    content: Content,
): Promise<DeliverStatus> {
    let request: { channelHeader: common.ChannelHeader; creator: Uint8Array; seekInfo: orderer.SeekInfo };
    try {
        request = parseRequest(envelope);
    } catch {
        return common.Status.BAD_REQUEST;
    }
    const { channelHeader, creator, seekInfo } = request;
    const timestamp = channelHeader.getTimestamp();
    if (
        !timestamp ||
        checkTimeWindow(
            { seconds: timestamp.getSeconds(), nanos: timestamp.getNanos() },
            context.timeWindowMs,
            new Date(),
        )
    ) {
        return common.Status.BAD_REQUEST;
    }
    if (channelHeader.getChannelId() !== context.channel) {
        return common.Status.NOT_FOUND;
    }
    if (!(await isReader(context, creator, envelope.getPayload_asU8(), envelope.getSignature_asU8()))) {
        return common.Status.FORBIDDEN;
    }
    const start = seekInfo.getStart();
    const stop = seekInfo.getStop();
    if (!start || !stop) {
        return common.Status.BAD_REQUEST;
    }
    const height = context.store.height;
    const first = position(start, height, 0);
    const last =
        stop.hasNewest() && start.hasNewest() ? first : position(stop, height, stop.hasOldest() ? first : height - 1);
    if (last < first) {
        return common.Status.BAD_REQUEST;
    }
    const waitForBlocks = seekInfo.getBehavior() !== orderer.SeekInfo.SeekBehavior.FAIL_IF_NOT_READY;
    if (!waitForBlocks && first >= height) {
        return common.Status.NOT_FOUND;
    }
    const requester = msp.SerializedIdentity.deserializeBinary(creator).getMspid();
    const headersOnly = seekInfo.getContentType() === orderer.SeekInfo.SeekContentType.HEADER_WITH_SIG;
    const blocks = await context.deliver.subscribe(first, (committed) => [committed.block]);
    call.on('cancelled', () => blocks.close());
    try {
        for await (const block of blocks) {
            if (!waitForBlocks && block.header.number >= context.store.height) {
                return common.Status.NOT_FOUND;
            }
            const response = new peer.DeliverResponse();
            if (content === 'filtered') {
                response.setFilteredBlock(filteredBlock(block));
            } else {
                const fabricBlock = toFabricBlock(block);
                if (headersOnly) {
                    fabricBlock.setData(new common.BlockData());
                }
                if (content === 'private') {
                    const withPrivate = new peer.BlockAndPrivateData();
                    withPrivate.setBlock(fabricBlock);
                    const map = withPrivate.getPrivateDataMapMap();
                    for (const [txNum, writes] of await privateDataOf(context, block, requester)) {
                        map.set(txNum, writes);
                    }
                    response.setBlockAndPrivateData(withPrivate);
                } else {
                    response.setBlock(fabricBlock);
                }
            }
            call.write(response);
            if (block.header.number >= last) {
                return common.Status.SUCCESS;
            }
        }
        return common.Status.SERVICE_UNAVAILABLE;
    } finally {
        blocks.close();
    }
}

function parseRequest(envelope: common.Envelope): {
    channelHeader: common.ChannelHeader;
    creator: Uint8Array;
    seekInfo: orderer.SeekInfo;
} {
    const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
    const header = payload.getHeader();
    if (!header) {
        throw new Error('envelope has no header');
    }
    return {
        channelHeader: common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8()),
        creator: common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8()).getCreator_asU8(),
        seekInfo: orderer.SeekInfo.deserializeBinary(payload.getData_asU8()),
    };
}

/** A seek position's block number: oldest is 0, newest the last block, next-commit the height. */
function position(seek: orderer.SeekPosition, height: number, otherwise: number): number {
    if (seek.hasOldest()) {
        return 0;
    }
    if (seek.hasNewest()) {
        return Math.max(height - 1, 0);
    }
    if (seek.hasNextCommit()) {
        return height;
    }
    if (seek.hasSpecified()) {
        return Math.min(seek.getSpecified()?.getNumber() ?? 0, FOREVER);
    }
    return otherwise;
}

/** A block as Fabric's `FilteredBlock`: per transaction its id, type, validation code and chaincode event without payload. */
function filteredBlock(block: Block): peer.FilteredBlock {
    const filtered = new peer.FilteredBlock();
    filtered.setNumber(block.header.number);
    filtered.setFilteredTransactionsList(
        block.data.map((bytes, txNum) => {
            const envelope = decodeTransaction(bytes);
            filtered.setChannelId(envelope.channelId);
            const transaction = new peer.FilteredTransaction();
            transaction.setTxid(envelope.txId);
            transaction.setType(common.HeaderType.ENDORSER_TRANSACTION);
            transaction.setTxValidationCode(
                block.metadata.validationCodes[txNum] as peer.TxValidationCodeMap[keyof peer.TxValidationCodeMap],
            );
            const actions = new peer.FilteredTransactionActions();
            const { event, chaincodeName } = decodeResponsePayload(envelope.responsePayload);
            if (event) {
                const chaincodeEvent = new peer.ChaincodeEvent();
                chaincodeEvent.setTxId(envelope.txId);
                chaincodeEvent.setChaincodeId(chaincodeName);
                chaincodeEvent.setEventName(event.eventName);
                const action = new peer.FilteredChaincodeAction();
                action.setChaincodeEvent(chaincodeEvent);
                actions.setChaincodeActionsList([action]);
            }
            transaction.setTransactionActions(actions);
            return transaction;
        }),
    );
    return filtered;
}

function statusResponse(status: DeliverStatus): peer.DeliverResponse {
    const response = new peer.DeliverResponse();
    response.setStatus(status);
    return response;
}
