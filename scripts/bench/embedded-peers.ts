import path from 'node:path';
import { EmbeddedLedger } from '@zhelian/embedded';
import { BENCH_CHAINCODE_DIR, report } from './measure';

/**
 * Child process of the Fabric comparison (fabric.ts): an embedded ledger on the zhelian topology
 * with the bench chaincode, its peers served over gRPC+TLS on free ports and its crypto material
 * exported, so that `fabric-gateway-load.ts` drives it as it drives Fabric. Reports where to
 * connect, then serves until the parent sends `stop`, and reports its peak RSS.
 * `node embedded-peers.js '{"dataDir":"…"}'`.
 */
export interface EmbeddedPeersReport {
    kind: 'embedded-peers';
    channel: string;
    chaincode: string;
    peer: { endpoint: string; hostAlias: string; tlsCertPath: string };
    user: { mspId: string; certPath: string; keyPath: string };
}

export interface EmbeddedPeersStopped {
    kind: 'embedded-peers-stopped';
    maxRssKb: number;
}

async function main(): Promise<void> {
    const { dataDir } = JSON.parse(process.argv[2] ?? '') as { dataDir: string };
    const ledger = await EmbeddedLedger.open({ dataDir, topology: 'zhelian' });
    const stopped = new Promise<void>((resolve) => process.on('message', (message) => message === 'stop' && resolve()));
    try {
        const { name } = await ledger.deploy({ packageDir: BENCH_CHAINCODE_DIR, name: 'bench' });
        const ports = Object.fromEntries(ledger.topology.orgs.map((org) => [org.mspId, 0]));
        const endpoints = await ledger.fabricProtocols.serve({ ports });
        const { organizations } = await ledger.fabricProtocols.exportOrganizations(path.join(dataDir, 'organizations'));
        const member = organizations.find((org) => org.mspId === 'MemberMSP')!;
        const endpoint = endpoints.find((e) => e.mspId === 'MemberMSP')!;
        const userDir = member.users.zheyi;
        await report({
            kind: 'embedded-peers',
            channel: ledger.channel,
            chaincode: name,
            peer: {
                endpoint: endpoint.endpoint,
                hostAlias: endpoint.hostAlias,
                tlsCertPath: path.join(member.path, 'peers', endpoint.hostAlias, 'tls', 'ca.crt'),
            },
            user: {
                mspId: 'MemberMSP',
                certPath: path.join(userDir, 'msp', 'signcerts', `${path.basename(userDir)}-cert.pem`),
                keyPath: path.join(userDir, 'msp', 'keystore', 'priv_sk'),
            },
        });
        await stopped;
    } finally {
        await ledger.close();
    }
    await report({ kind: 'embedded-peers-stopped', maxRssKb: process.resourceUsage().maxRSS });
    process.disconnect?.();
}

main().catch((err: unknown) => {
    process.stderr.write(`bench embedded-peers: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
});
