import {
    type sendUnaryData,
    type ServerUnaryCall,
    type ServerWritableStream,
    status,
    type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { common, gateway, peer } from '@hyperledger/fabric-protos';
import {
    readSignedProposal,
    proposalProblem,
    ProposalFormatError,
    type UnpackedProposal,
} from '../peer/signed-proposal';
import { streamChaincodeEvents } from './chaincode-events';
import { transactionStatus } from './commit-status';
import { isReader, type PeerContext, readersRefusal } from './peer-context';
import { rpcError, toRpcError } from './rpc-error';

type Unary<Request, Response> = (call: ServerUnaryCall<Request, Response>, callback: sendUnaryData<Response>) => void;

/**
 * Fabric's `gateway.Gateway` service (internal/pkg/gateway) on one organization's peer: Evaluate,
 * Endorse, Submit, CommitStatus and ChaincodeEvents, with the checks, gRPC status codes, messages
 * and `ErrorDetail`s of a Fabric peer's gateway. The peer's organization is the gateway's local
 * organization: it evaluates first and endorses first, and endorsement is planned from its
 * chaincode interest as the in-process gateway plans it.
 *
 * ```ts
 * server.addService(gateway.GatewayService, gatewayService(context));
 * ```
 */
export function gatewayService(context: PeerContext): UntypedServiceImplementation {
    const evaluate: Unary<gateway.EvaluateRequest, gateway.EvaluateResponse> = (call, callback) => {
        respond(callback, async () => {
            const unpacked = unpack(call.request.getProposedTransaction(), 'failed to unpack transaction proposal: ');
            const problem = proposalProblem(unpacked);
            if (problem) {
                return rpcError(status.FAILED_PRECONDITION, `evaluate call to endorser returned error: ${problem}`, [
                    detail(context, problem),
                ]);
            }
            context.service.checkChannel(unpacked.proposal.channelId);
            const targets = call.request.getTargetOrganizationsList();
            const answer = await context.service.evaluateResponse(unpacked.proposal, targets, context.mspId);
            const result = new peer.Response();
            result.setStatus(answer.status);
            result.setMessage(answer.message);
            result.setPayload(answer.payload);
            const response = new gateway.EvaluateResponse();
            response.setResult(result);
            return response;
        });
    };

    const endorse: Unary<gateway.EndorseRequest, gateway.EndorseResponse> = (call, callback) => {
        respond(callback, async () => {
            const unpacked = unpack(call.request.getProposedTransaction(), '');
            const problem = proposalProblem(unpacked);
            if (problem) {
                return rpcError(status.ABORTED, 'failed to endorse transaction, see attached details for more info', [
                    detail(context, problem),
                ]);
            }
            context.service.checkChannel(unpacked.proposal.channelId);
            const organizations = call.request.getEndorsingOrganizationsList();
            const prepared = await context.service.endorse(unpacked.proposal, organizations, context.mspId);
            const envelope = new common.Envelope();
            envelope.setPayload(prepared.envelope.payloadBytes as Uint8Array);
            const response = new gateway.EndorseResponse();
            response.setPreparedTransaction(envelope);
            return response;
        });
    };

    const submit: Unary<gateway.SubmitRequest, gateway.SubmitResponse> = (call, callback) => {
        respond(callback, async () => {
            const transaction = call.request.getPreparedTransaction();
            if (!transaction) {
                return rpcError(status.INVALID_ARGUMENT, 'a prepared transaction is required');
            }
            if (transaction.getSignature_asU8().length === 0) {
                return rpcError(status.INVALID_ARGUMENT, 'prepared transaction must be signed');
            }
            const { committed } = await context.service.submitEnvelope(
                call.request.getTransactionId(),
                transaction.serializeBinary(),
            );
            // The client asks for the outcome with CommitStatus; a failed commit is reported there.
            committed.catch(() => undefined);
            return new gateway.SubmitResponse();
        });
    };

    const commitStatus: Unary<gateway.SignedCommitStatusRequest, gateway.CommitStatusResponse> = (call, callback) => {
        respond(callback, async () => {
            const bytes = call.request.getRequest_asU8();
            if (bytes.length === 0) {
                return rpcError(status.INVALID_ARGUMENT, 'a commit status request is required');
            }
            const request = gateway.CommitStatusRequest.deserializeBinary(bytes);
            if (request.getIdentity_asU8().length === 0) {
                return rpcError(status.INVALID_ARGUMENT, 'no identity provided');
            }
            if (request.getChannelId() === '') {
                return rpcError(status.INVALID_ARGUMENT, 'no channel ID provided');
            }
            if (request.getTransactionId() === '') {
                return rpcError(status.INVALID_ARGUMENT, 'transaction ID should not be empty');
            }
            if (!(await isReader(context, request.getIdentity_asU8(), bytes, call.request.getSignature_asU8()))) {
                return rpcError(status.PERMISSION_DENIED, readersRefusal());
            }
            context.service.checkChannel(request.getChannelId());
            const found = await transactionStatus(context, request.getTransactionId(), call);
            if (!found) {
                return rpcError(status.CANCELLED, 'context canceled');
            }
            const response = new gateway.CommitStatusResponse();
            response.setResult(found.code as peer.TxValidationCodeMap[keyof peer.TxValidationCodeMap]);
            response.setBlockNumber(found.blockNumber);
            return response;
        });
    };

    const chaincodeEvents = (
        call: ServerWritableStream<gateway.SignedChaincodeEventsRequest, gateway.ChaincodeEventsResponse>,
    ): void => {
        streamChaincodeEvents(context, call).catch((err: unknown) => call.destroy(toServiceError(err)));
    };

    return { evaluate, endorse, submit, commitStatus, chaincodeEvents };
}

/** Answers a unary call with what `work` returns: a response, or a gRPC error it returned or threw. */
function respond<Response>(
    callback: sendUnaryData<Response>,
    work: () => Promise<Response | ReturnType<typeof rpcError>>,
): void {
    work().then(
        (result) => (isStatus(result) ? callback(result) : callback(null, result)),
        (err: unknown) =>
            callback(
                err instanceof ProposalFormatError ? rpcError(status.INVALID_ARGUMENT, err.message) : toRpcError(err),
            ),
    );
}

/** A proposal for the gateway: Fabric's gateway also refuses one bound to no channel. */
function unpack(signed: peer.SignedProposal | undefined, prefix: string): UnpackedProposal {
    if (!signed) {
        throw new ProposalFormatError(`${prefix}a signed proposal is required`);
    }
    let unpacked: UnpackedProposal;
    try {
        unpacked = readSignedProposal(signed);
    } catch (err) {
        throw new ProposalFormatError(`${prefix}${(err as Error).message}`);
    }
    if (unpacked.proposal.channelId === '') {
        throw new ProposalFormatError(`${prefix}no channel id provided`);
    }
    return unpacked;
}

export function isStatus(value: unknown): value is ReturnType<typeof rpcError> {
    return typeof value === 'object' && value !== null && 'code' in value && 'details' in value && 'metadata' in value;
}

function detail(context: PeerContext, message: string): { address: string; mspId: string; message: string } {
    return { address: context.address, mspId: context.mspId, message };
}

/** A stream's failure as the error grpc-js sends: the status and its trailers. */
export function toServiceError(err: unknown): Error {
    const { code, details, metadata } = isStatus(err) ? err : toRpcError(err);
    return Object.assign(new Error(details), { code, details, metadata });
}
