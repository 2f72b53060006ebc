import { type sendUnaryData, type ServerUnaryCall, status, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { peer } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { proposalProblem, readSignedProposal } from '../peer/signed-proposal';
import type { PeerContext } from './peer-context';
import { rpcError, toRpcError } from './rpc-error';

/**
 * Fabric's `protos.Endorser` service on one organization's peer: `ProcessProposal`, the peer's own
 * answer to a signed proposal (see `peer/endorser-service.ts`), for tools that talk to one peer
 * rather than to a gateway. As Fabric's endorser does, a proposal the peer refuses to process is
 * a gRPC error (UNKNOWN, the peer's reason); a failure while processing it is a response with
 * status 500; a success carries the signed result and the peer's endorsement.
 *
 * ```ts
 * server.addService(peer.EndorserService, endorserService(context));
 * ```
 */
export function endorserService(context: PeerContext): UntypedServiceImplementation {
    const processProposal = (
        call: ServerUnaryCall<peer.SignedProposal, peer.ProposalResponse>,
        callback: sendUnaryData<peer.ProposalResponse>,
    ): void => {
        answer(context, call.request).then(
            (result) => (result instanceof peer.ProposalResponse ? callback(null, result) : callback(result)),
            (err: unknown) => callback(toRpcError(err)),
        );
    };
    return { processProposal };
}

async function answer(
    context: PeerContext,
    signed: peer.SignedProposal,
): Promise<peer.ProposalResponse | ReturnType<typeof rpcError>> {
    let unpacked;
    try {
        unpacked = readSignedProposal(signed);
    } catch (err) {
        return rpcError(status.UNKNOWN, (err as Error).message);
    }
    const problem = proposalProblem(unpacked);
    if (problem) {
        return rpcError(status.UNKNOWN, problem);
    }
    const outcome = await context.service.endorsers.processProposal(unpacked.proposal, context.mspId);
    if ('refused' in outcome) {
        return rpcError(status.UNKNOWN, outcome.refused);
    }
    const response = new peer.Response();
    response.setStatus(outcome.response.status);
    response.setMessage(outcome.response.message);
    response.setPayload(outcome.response.payload);
    const result = new peer.ProposalResponse();
    result.setVersion(1);
    result.setTimestamp(Timestamp.fromDate(new Date()));
    result.setResponse(response);
    if (outcome.payload && outcome.endorsement) {
        const endorsement = new peer.Endorsement();
        endorsement.setEndorser(outcome.endorsement.endorser);
        endorsement.setSignature(outcome.endorsement.signature);
        result.setPayload(outcome.payload);
        result.setEndorsement(endorsement);
    }
    return result;
}
