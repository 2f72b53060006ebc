import type { PeerEndpoint } from '@zhelian/api';

/**
 * A connection profile for one organization, in the form Fabric's test network writes
 * `connection-org1.json`: the organization, its peer's `grpcs://` URL, TLS CA and host name
 * override. fabric-gateway does not read profiles, but applications and tools often take the
 * endpoint, host alias and TLS CA from one.
 */
export function connectionProfile(networkName: string, mspId: string, peer: PeerEndpoint): Record<string, unknown> {
    const organization = mspId.replace(/MSP$/, '');
    return {
        name: `${networkName}-${organization.toLowerCase()}`,
        version: '1.0.0',
        client: {
            organization,
            connection: { timeout: { peer: { endorser: '300' } } },
        },
        organizations: {
            [organization]: { mspid: mspId, peers: [peer.hostAlias], certificateAuthorities: [] },
        },
        peers: {
            [peer.hostAlias]: {
                url: `grpcs://${peer.endpoint}`,
                tlsCACerts: { pem: peer.tlsCACertificate },
                grpcOptions: { 'ssl-target-name-override': peer.hostAlias, hostnameOverride: peer.hostAlias },
            },
        },
    };
}
