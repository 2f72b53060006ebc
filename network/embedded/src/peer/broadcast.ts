import { GrpcStatus, SubmitError } from '@zhelian/api';
import type { TransactionEnvelope } from '../ledger/block';
import { decodeResponsePayload, decodeTransaction } from '../ledger/fabric-transaction';
import type { Membership } from '../msp';

/** What the orderer knows when it receives a transaction. */
export interface BroadcastContext {
    channel: string;
    membership: Membership;
}

/**
 * The checks Fabric's orderer makes of a transaction it receives (`Broadcast`, the standard
 * channel's message filters), before ordering it: the envelope decodes as an endorser
 * transaction with one chaincode action whose endorsed result decodes too (BAD_REQUEST), it is
 * for this channel (NOT_FOUND), and it is signed by its creator, a member of a channel
 * organization — the channel's Writers policy (FORBIDDEN). A refusal is what Fabric's gateway
 * reports for it: ABORTED, *received unsuccessful response from orderer: status=…, info=…*.
 * Returns the envelope as the committer reads it.
 *
 * ```ts
 * const envelope = await checkBroadcast(txId, signedEnvelopeBytes, { channel: 'mychannel', membership });
 * ```
 */
export async function checkBroadcast(
    txId: string,
    envelopeBytes: Uint8Array,
    context: BroadcastContext,
): Promise<TransactionEnvelope> {
    const refuse = (status: string, info: string): SubmitError =>
        new SubmitError(
            txId,
            GrpcStatus.ABORTED,
            `received unsuccessful response from orderer: status=${status}, info=${info}`,
        );
    let envelope: TransactionEnvelope;
    try {
        envelope = decodeTransaction(envelopeBytes);
        if (!envelope.payloadBytes) {
            throw new Error('not a Fabric transaction envelope');
        }
        decodeResponsePayload(envelope.responsePayload);
    } catch (err) {
        throw refuse('BAD_REQUEST', (err as Error).message);
    }
    if (envelope.channelId !== context.channel) {
        throw refuse('NOT_FOUND', `channel ${envelope.channelId} does not exist`);
    }
    if (!(await context.membership.verifySignature(envelope.creator, envelope.payloadBytes, envelope.signature))) {
        throw refuse(
            'FORBIDDEN',
            "implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the 'Writers' sub-policies to be satisfied",
        );
    }
    return envelope;
}
