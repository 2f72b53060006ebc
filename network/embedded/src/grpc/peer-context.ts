import type { CollectionDefinition } from '../ledger/collections';
import type { LedgerStore } from '../ledger/store';
import type { Membership } from '../msp';
import type { Deliver } from '../peer/deliver';
import type { GatewayService } from '../peer/gateway-service';

/** What one organization's peer endpoint serves from: the ledger's parts, seen as that peer. */
export interface PeerContext {
    /** The organization whose peer this endpoint is: its gateway's local organization. */
    mspId: string;
    /** The peer's name in error details: `peer0.Org1MSP`, as the in-process gateway names it. */
    address: string;
    channel: string;
    service: GatewayService;
    membership: Membership;
    store: LedgerStore;
    deliver: Deliver;
    /** Fabric's `peer.authentication.timewindow`, which Deliver applies to its requests too. */
    timeWindowMs: number;
    collections(namespace: string): ReadonlyMap<string, CollectionDefinition>;
}

/** Fabric's words when a signed request's creator does not satisfy the channel's Readers policy. */
export function readersRefusal(): string {
    return "failed evaluating policy on signed data during check policy [/Channel/Application/Readers]: [implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the 'Readers' sub-policies to be satisfied]";
}

/**
 * Whether `identity` (a `msp.SerializedIdentity`) signed `data` and is a member of a channel
 * organization: the channel's Readers policy, which Fabric's default ACLs ask of commit status,
 * chaincode events and block events.
 */
export async function isReader(
    context: PeerContext,
    identity: Uint8Array,
    data: Uint8Array,
    signature: Uint8Array,
): Promise<boolean> {
    return identity.length > 0 && (await context.membership.verifySignature(identity, data, signature));
}
