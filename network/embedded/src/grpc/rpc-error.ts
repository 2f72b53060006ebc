import { Metadata, status, type StatusObject } from '@grpc/grpc-js';
import { gateway, google } from '@hyperledger/fabric-protos';
import { type ErrorDetail, ErrorCode, GatewayError, ZhelianError } from '@zhelian/api';
import { Any } from 'google-protobuf/google/protobuf/any_pb';

/**
 * A gRPC error as Fabric's gateway sends one (`newRpcError`): a status code, a message, and each
 * peer's or orderer's reason as a `gateway.ErrorDetail` in the `google.rpc.Status` that travels in
 * the `grpc-status-details-bin` trailer, where fabric-gateway's `GatewayError.details` reads it.
 *
 * ```ts
 * callback(rpcError(status.ABORTED, 'failed to endorse transaction, see attached details for more info', details));
 * ```
 */
export function rpcError(code: status, message: string, details: readonly ErrorDetail[] = []): StatusObject {
    const metadata = new Metadata();
    if (details.length > 0) {
        const rpcStatus = new google.rpc.Status();
        rpcStatus.setCode(code);
        rpcStatus.setMessage(message);
        rpcStatus.setDetailsList(
            details.map((detail) => {
                const message = new gateway.ErrorDetail();
                message.setAddress(detail.address);
                message.setMspId(detail.mspId);
                message.setMessage(detail.message);
                const any = new Any();
                any.pack(message.serializeBinary(), 'gateway.ErrorDetail');
                return any;
            }),
        );
        metadata.set('grpc-status-details-bin', Buffer.from(rpcStatus.serializeBinary()));
    }
    return { code, details: message, metadata };
}

/**
 * The gRPC error for what the embedded gateway threw: a {@link GatewayError} keeps its status,
 * words and details; a damaged ledger is UNAVAILABLE (the peer cannot serve); anything else
 * from the network is ABORTED with its message, as Fabric's gateway reports a failed peer.
 */
export function toRpcError(err: unknown): StatusObject {
    if (err instanceof GatewayError) {
        return rpcError(err.grpcStatus, err.reason, err.details);
    }
    if (
        err instanceof ZhelianError &&
        (err.code === ErrorCode.LEDGER_DAMAGED || err.code === ErrorCode.DATA_DIR_CORRUPT)
    ) {
        return rpcError(status.UNAVAILABLE, err.message);
    }
    return rpcError(status.ABORTED, err instanceof Error ? err.message : String(err));
}
