import { status, type ServerWritableStream } from '@grpc/grpc-js';
import { gateway, peer } from '@hyperledger/fabric-protos';
import { TxValidationCode } from '@zhelian/api';
import { isReader, type PeerContext, readersRefusal } from './peer-context';
import { rpcError } from './rpc-error';

/**
 * Fabric's `Gateway.ChaincodeEvents` (internal/pkg/gateway/chaincodeevents.go): one response per
 * block that holds events of the chaincode, from the valid transactions in block order. The start
 * is the block of `after_transaction_id` when the ledger has it — events up to and including that
 * transaction's are skipped, which is how fabric-gateway's checkpoints resume — else the start
 * position (a block number, or the next block to commit). The stream stays open for blocks yet to
 * commit until the client cancels it.
 */
export async function streamChaincodeEvents(
    context: PeerContext,
    call: ServerWritableStream<gateway.SignedChaincodeEventsRequest, gateway.ChaincodeEventsResponse>,
): Promise<void> {
    const bytes = call.request.getRequest_asU8();
    if (bytes.length === 0) {
        throw rpcError(status.INVALID_ARGUMENT, 'a chaincode events request is required');
    }
    const request = gateway.ChaincodeEventsRequest.deserializeBinary(bytes);
    if (!(await isReader(context, request.getIdentity_asU8(), bytes, call.request.getSignature_asU8()))) {
        throw rpcError(status.PERMISSION_DENIED, readersRefusal());
    }
    if (request.getChannelId() !== context.channel) {
        throw rpcError(status.NOT_FOUND, `channel not found: ${request.getChannelId()}`);
    }
    const afterTxId = request.getAfterTransactionId();
    const after = afterTxId ? await context.store.getTxLocation(afterTxId) : undefined;
    const position = request.getStartPosition();
    const start =
        after?.blockNum ??
        (position?.hasSpecified() ? (position.getSpecified()?.getNumber() ?? 0) : context.store.height);

    let passedPrevious = afterTxId === '';
    const isMatch = (event: peer.ChaincodeEvent): boolean => {
        if (!passedPrevious) {
            passedPrevious = event.getTxId() === afterTxId;
            return false;
        }
        return event.getChaincodeId() === request.getChaincodeId();
    };
    const blocks = await context.deliver.subscribe(start, (committed) => [
        {
            blockNumber: committed.block.header.number,
            events: committed.transactions.flatMap(({ code, event }) => {
                if (code !== TxValidationCode.VALID || !event) {
                    return [];
                }
                const message = new peer.ChaincodeEvent();
                message.setChaincodeId(event.chaincodeName);
                message.setTxId(event.txId);
                message.setEventName(event.eventName);
                message.setPayload(event.payload);
                return [message];
            }),
        },
    ]);
    call.on('cancelled', () => blocks.close());
    try {
        for await (const { blockNumber, events } of blocks) {
            const matching = events.filter(isMatch);
            if (matching.length > 0) {
                const response = new gateway.ChaincodeEventsResponse();
                response.setBlockNumber(blockNumber);
                response.setEventsList(matching);
                call.write(response);
            }
        }
    } finally {
        blocks.close();
    }
}
