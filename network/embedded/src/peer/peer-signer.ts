import type { Membership } from '../msp';
import { serializeIdentity } from '../msp';
import type { PeerSigner } from './endorser';

/** The embedded peers' names, as a Fabric gateway names peers in error details: `peer0.Org1MSP`. */
export function peerAddress(mspId: string): string {
    return `peer0.${mspId}`;
}

/** An organization's peer as an endorser signs: its name, MSP, serialized identity and key. */
export function peerSigner(membership: Membership, mspId: string): PeerSigner {
    const peer = membership.peer(mspId);
    return {
        id: peerAddress(mspId),
        mspId,
        serialized: serializeIdentity(peer),
        sign: (message) => peer.sign(message),
    };
}
