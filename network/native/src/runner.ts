import path from 'node:path';
import type { ChaincodeServer } from '@zhelian/fabric';
import { startChaincodeServer } from './chaincode-servers';
import { ordererEnv, ordererNodes, peerEnv } from './nodes';
import type { RunDir } from './paths';
import { listProcesses, startProcess, stopProcess } from './processes';
import type { NetworkState } from './state';
import type { NativeOrg } from './topology';

/** A chaincode package for a chaincode server, on the port it listens on. */
export interface ChaincodeServerRequest {
    packageDir: string;
    label: string;
    port: number;
    /** The one organization whose peer dials it (its `getMspID()`); absent when every peer does. */
    mspId?: string;
}

/**
 * How the network's long-running nodes run: as processes of this machine (native), or as
 * containers (network/docker). Everything else `up` does — certificates, genesis block, channel
 * joins, identities, the lifecycle — is the same for both.
 */
export interface NodeRunner {
    readonly runtime: 'native' | 'docker';
    /** Starts the orderer and one peer per organization. */
    startNodes(run: RunDir, state: NetworkState, orgs: NativeOrg[]): Promise<void>;
    startChaincodeServer(run: RunDir, request: ChaincodeServerRequest): Promise<ChaincodeServer>;
    /** Stops every node and chaincode server of the run dir's network. */
    stopAll(run: RunDir): Promise<void>;
}

/** Processes of this machine, with pid files and logs in the run dir. */
export const nativeRunner: NodeRunner = {
    runtime: 'native',
    async startNodes(run, state, orgs) {
        for (const orderer of ordererNodes(state.ordering, orgs)) {
            await startProcess(run, {
                name: orderer.processName,
                command: path.join(state.binDir, 'orderer'),
                args: [],
                env: { ...process.env, ...ordererEnv(run, orderer, state.ports) },
            });
        }
        for (const org of orgs) {
            await startProcess(run, {
                name: peerProcessName(org),
                command: path.join(state.binDir, 'peer'),
                args: ['node', 'start'],
                env: { ...process.env, ...peerEnv(run, org, state.ports) },
            });
        }
    },
    startChaincodeServer,
    stopAll,
};

export function peerProcessName(org: NativeOrg): string {
    return `peer0-${org.key.toLowerCase()}`;
}

/** Stops the run dir's processes: chaincode servers, then peers, then orderers. */
export async function stopAll(run: RunDir): Promise<void> {
    const processes = await listProcesses(run);
    const order = (name: string) => (name.startsWith('chaincode') ? 0 : name.startsWith('peer') ? 1 : 2);
    for (const group of [0, 1, 2]) {
        await Promise.all(processes.filter((p) => order(p.name) === group).map((p) => stopProcess(run, p)));
    }
}
