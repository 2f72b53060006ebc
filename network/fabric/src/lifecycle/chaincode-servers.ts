import path from 'node:path';
import { ErrorCode, ZhelianError } from '@zhelian/api';
import type { ChaincodeServer, FabricConnection } from '../connection';

// A package on a Fabric network is chaincode as a service: it names a chaincode server the
// network runs, as its connection description lists them.

/** The server each organization's peer dials for a package: its own, else the shared one. */
export function serversFor(connection: FabricConnection, packageDir: string): Record<string, ChaincodeServer> {
    const orgs = connection.organizations.map((org) => org.mspId);
    const wanted = path.resolve(packageDir);
    const running = connection.chaincodeServers.filter((s) => s.packageDir === wanted);
    const shared = running.find((s) => s.mspId === undefined);
    const servers = Object.fromEntries(
        orgs.flatMap((mspId) => {
            const server = running.find((s) => s.mspId === mspId) ?? shared;
            return server ? [[mspId, server]] : [];
        }),
    );
    if (Object.keys(servers).length < orgs.length) {
        throw new ZhelianError(
            ErrorCode.NOT_SUPPORTED,
            `No chaincode server runs ${wanted} for ${orgs.filter((o) => !servers[o]).join(', ')} on this Fabric network: ` +
                `start them and define the chaincode with \`npm run network:deploy -- ${packageDir}\``,
        );
    }
    return servers;
}

/** The shared server (no organization of its own) that runs a package directory. */
export function sharedServerFor(connection: FabricConnection, packageDir: string): ChaincodeServer {
    const wanted = path.resolve(packageDir);
    const server = connection.chaincodeServers.find((s) => s.packageDir === wanted && s.mspId === undefined);
    if (!server) {
        throw new ZhelianError(
            ErrorCode.NOT_SUPPORTED,
            `No chaincode server runs ${wanted} on this Fabric network (it runs ` +
                `${connection.chaincodeServers.map((s) => s.packageDir).join(', ') || 'none'}): ` +
                `start one and define it with \`npm run network:deploy -- ${packageDir}\``,
        );
    }
    return server;
}
