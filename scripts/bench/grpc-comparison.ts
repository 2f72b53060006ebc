import { fork } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EmbeddedPeersReport, EmbeddedPeersStopped } from './embedded-peers';
import type { FabricGatewayLoadConfig, FabricGatewayLoadReport } from './fabric-gateway-load';

type Workload = Pick<FabricGatewayLoadConfig, 'writes' | 'reads'>;

/** Forks a bench child and hands its reports, one at a time, to whoever waits for the next. */
function child(script: string, argument: unknown) {
    const process = fork(path.join(__dirname, script), [JSON.stringify(argument)], {
        stdio: ['ignore', 2, 2, 'ipc'],
        execArgv: [],
    });
    const received: unknown[] = [];
    const waiting: ((value: unknown) => void)[] = [];
    let failed: Error | undefined;
    const fail = (err: Error) => {
        failed = err;
        waiting.splice(0).forEach((resolve) => resolve(undefined));
    };
    process.on('message', (message) => (waiting.length > 0 ? waiting.shift()!(message) : received.push(message)));
    process.on('error', fail);
    process.on('exit', (code) => code !== 0 && fail(new Error(`${script} exited ${code}`)));
    return {
        process,
        async next<T>(): Promise<T> {
            const message =
                received.length > 0 ? received.shift() : await new Promise((resolve) => waiting.push(resolve));
            if (message === undefined) {
                throw failed ?? new Error(`${script} ended without a report`);
            }
            return message as T;
        },
    };
}

/** The workload through fabric-gateway over gRPC+TLS, from a process of its own. */
export async function loadOverGrpc(config: FabricGatewayLoadConfig): Promise<FabricGatewayLoadReport> {
    return child('fabric-gateway-load.js', config).next<FabricGatewayLoadReport>();
}

/**
 * The workload through fabric-gateway against the embedded ledger's peers served over gRPC+TLS,
 * the ledger in a process of its own as a peer is; with that process's peak RSS.
 */
export async function embeddedOverGrpc(
    dataDir: string,
    workload: Workload,
): Promise<{ load: FabricGatewayLoadReport; ledgerMaxRssKb: number }> {
    const server = child('embedded-peers.js', { dataDir });
    try {
        const peers = await server.next<EmbeddedPeersReport>();
        const load = await loadOverGrpc({ network: 'embedded', ...peers, ...workload });
        server.process.send('stop');
        const { maxRssKb } = await server.next<EmbeddedPeersStopped>();
        return { load, ledgerMaxRssKb: maxRssKb };
    } finally {
        server.process.kill();
    }
}

/** The same workload through fabric-gateway against a Fabric network, as its connection description names it. */
export async function fabricOverGrpc(connectionFile: string, workload: Workload): Promise<FabricGatewayLoadReport> {
    const base = path.dirname(connectionFile);
    const connection = JSON.parse(await readFile(connectionFile, 'utf8')) as {
        channel: string;
        wallet: string;
        organizations: { mspId: string; peers: { name: string; address: string; tlsRootCert: string }[] }[];
    };
    const peer = connection.organizations.find((org) => org.mspId === 'MemberMSP')!.peers[0];
    const wallet = path.resolve(base, connection.wallet, 'MemberMSP', 'zheyi');
    return loadOverGrpc({
        network: 'fabric',
        channel: connection.channel,
        chaincode: 'bench',
        peer: { endpoint: peer.address, hostAlias: peer.name, tlsCertPath: path.resolve(base, peer.tlsRootCert) },
        user: { mspId: 'MemberMSP', certPath: path.join(wallet, 'cert.pem'), keyPath: path.join(wallet, 'key.pem') },
        ...workload,
    });
}
