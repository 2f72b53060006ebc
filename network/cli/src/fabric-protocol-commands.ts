import path from 'node:path';
import { notSupported } from '@zhelian/api';
import type { ExportedOrganizations, FabricProtocols, PeerEndpoint } from '@zhelian/api';
import type { CommandContext, ExitStatus } from './commands';

export interface ServeCommandOptions {
    bind?: string;
    /** Ports by MSP ID (`--port Org1MSP=7051`). */
    port?: Record<string, number>;
    /** Also export the organizations' crypto material to this directory. */
    export?: string;
}

function protocolsOf(context: CommandContext): FabricProtocols {
    const { fabricProtocols, kind } = context.backend;
    if (!fabricProtocols) {
        throw notSupported("serving Fabric's protocols", kind);
    }
    return fabricProtocols;
}

/**
 * What an application configured for Fabric's test network needs to change, per organization:
 * its peer's endpoint and host alias, and where its TLS CA and a user's certificate and key are.
 */
function configuration(endpoints: PeerEndpoint[], exported?: ExportedOrganizations): unknown[] {
    return endpoints.map((endpoint) => {
        const org = exported?.organizations.find((candidate) => candidate.mspId === endpoint.mspId);
        return {
            mspId: endpoint.mspId,
            peerEndpoint: endpoint.endpoint,
            peerHostAlias: endpoint.hostAlias,
            ...(org
                ? {
                      cryptoPath: org.path,
                      tlsCertPath: path.join(org.path, 'peers', endpoint.hostAlias, 'tls', 'ca.crt'),
                      users: org.users,
                      connectionProfile: org.connectionProfile,
                  }
                : {}),
        };
    });
}

/**
 * `zhelian export <dir>`: the organizations' crypto material in cryptogen's layout
 * (`<dir>/peerOrganizations/…`) and a connection profile each, where an application written for
 * Fabric's test network looks for them.
 */
export async function exportOrganizations(context: CommandContext, directory: string): Promise<ExitStatus> {
    const protocols = protocolsOf(context);
    const exported = await protocols.exportOrganizations(directory);
    context.print({ directory: exported.directory, organizations: exported.organizations });
    return 0;
}

/**
 * `zhelian serve`: the organizations' peers as gRPC+TLS endpoints of Fabric's Gateway and Deliver
 * services until Ctrl-C, for unmodified fabric-gateway applications; prints what to point them at.
 */
export async function serve(context: CommandContext, options: ServeCommandOptions): Promise<ExitStatus> {
    const protocols = protocolsOf(context);
    const endpoints = await protocols.serve({
        ...(options.bind ? { bind: options.bind } : {}),
        ...(options.port ? { ports: options.port } : {}),
    });
    const exported = options.export ? await protocols.exportOrganizations(options.export) : undefined;
    context.print({
        serving: configuration(endpoints, exported),
        // Other zhelian commands reach this data dir, which serve holds, through the served peers.
        ...(exported?.fabricConnection
            ? { otherCommands: `ZHELIAN_NETWORK=fabric ZHELIAN_FABRIC_CONNECTION=${exported.fabricConnection}` }
            : {}),
        stop: 'Ctrl-C',
    });
    await new Promise<void>((resolve) => {
        const stopListening = context.onInterrupt(() => {
            stopListening();
            resolve();
        });
    });
    return 0;
}
