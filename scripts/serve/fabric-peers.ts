import path from 'node:path';
import type { ExportedOrganizations, PeerEndpoint } from '@zhelian/api';

/** A path as short as it is clear: relative when under the working directory. */
function shown(file: string): string {
    const relative = path.relative(process.cwd(), file);
    return relative.startsWith('..') ? file : relative;
}

/**
 * What `npm start -- --fabric` prints: each organization's peer endpoint with the host alias its
 * TLS certificate names and its directory of crypto material, for a fabric-gateway application.
 */
export function fabricPeersLines(endpoints: readonly PeerEndpoint[], exported: ExportedOrganizations): string {
    const aliasWidth = Math.max(...endpoints.map((endpoint) => endpoint.hostAlias.length));
    const rows = endpoints.map((endpoint) => {
        const org = exported.organizations.find((candidate) => candidate.mspId === endpoint.mspId);
        return `  ${endpoint.mspId.padEnd(14)} ${endpoint.endpoint.padEnd(16)} ${endpoint.hostAlias.padEnd(aliasWidth)}  ${org ? shown(org.path) : ''}`;
    });
    return [
        "Fabric's Gateway, Deliver and Endorser services, for @hyperledger/fabric-gateway applications and the peer CLI:",
        ...rows,
    ].join('\n');
}
