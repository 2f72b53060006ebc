import path from 'node:path';
import type { DeployedChaincode } from '@zhelian/api';
import { FabricBackend, readConnection } from '@zhelian/fabric';
import { startChaincodeServer } from './chaincode-servers';
import { NativeNetworkError } from './errors';
import type { RunDir } from './paths';
import { isFree } from './ports';
import type { Progress } from './progress';
import { readRawConnection, readState, writeConnection } from './state';

export interface DeployOptions {
    packageDir: string;
    name?: string;
    label?: string;
    version?: string;
    policy?: string;
    collections?: string;
    /** One chaincode server per organization, each organization installing and approving its own package. */
    perOrg?: boolean;
}

/**
 * Deploys a chaincode package on the running network as a service: starts a chaincode server for
 * the package directory unless one runs it already, records it in the connection description,
 * and walks the lifecycle (install, approve by each organization, commit; sequence + 1 when the
 * definition changes, nothing when it is in force).
 */
export async function deploy(run: RunDir, progress: Progress, options: DeployOptions): Promise<DeployedChaincode> {
    const state = await readState(run);
    const connection = await readRawConnection(run);
    if (!state || !connection) {
        throw new NativeNetworkError(`No network in ${run.root}: \`npm run network:up\` starts one`);
    }
    const packageDir = path.resolve(options.packageDir);
    if (!connection.chaincodeServers.some((server) => server.packageDir === packageDir)) {
        const label = options.label ?? options.name ?? path.basename(packageDir);
        if (!/^[A-Za-z0-9_.+-]+$/.test(label)) {
            throw new NativeNetworkError(`"${label}" cannot be a package label: use letters, digits, _ . + -`);
        }
        const owners = options.perOrg ? connection.organizations.map((org) => org.mspId) : [undefined];
        const requests = [];
        let port = state.ports.chaincodeServers + connection.chaincodeServers.length;
        for (const mspId of owners) {
            while (!(await isFree(port))) {
                port += 1;
            }
            const ownLabel = mspId ? `${label}_${mspId.replace(/MSP$/, '').toLowerCase()}` : label;
            requests.push({ packageDir, label: ownLabel, port: port++, mspId });
        }
        progress.step(
            `Starting ${requests.length === 1 ? 'a chaincode server' : `a chaincode server for each organization`} ` +
                `for ${packageDir} on 127.0.0.1:${requests.map((r) => r.port).join(', ')}`,
        );
        const servers = await Promise.all(requests.map((request) => startChaincodeServer(run, request)));
        connection.chaincodeServers.push(
            ...servers.map((server) => ({ ...server, packageFile: path.relative(run.root, server.packageFile) })),
        );
        await writeConnection(run, connection);
    }
    const backend = new FabricBackend(run.connectionFile, await readConnection(run.connectionFile));
    try {
        progress.step('Lifecycle: install, approve by each organization, commit');
        const { name, version, policy, collections } = options;
        const deployed = await backend.lifecycle.deploy({ packageDir, name, version, policy, collections });
        progress.step(`${deployed.name} sequence ${deployed.sequence} in force (${deployed.policy})`);
        return deployed;
    } finally {
        await backend.close();
    }
}
