import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers } from '@hyperledger/fabric-gateway';
import type { BackendLoadConfig, BackendLoadReport } from './backend-load';
import { report } from './measure';
import { type Measured, measure } from './throughput';

/**
 * Child process of the Fabric comparison (fabric.ts): the same workload as `backend-load.ts`, but
 * as a Fabric application runs it — `@hyperledger/fabric-gateway` over gRPC+TLS to one peer —
 * against whichever network the configuration points at: the embedded ledger's served peers, or a
 * Fabric network's. `node fabric-gateway-load.js '{"network":"…","peer":{…},"user":{…},…}'`.
 */
export interface FabricGatewayLoadConfig extends Pick<BackendLoadConfig, 'writes' | 'reads'> {
    /** A label for the report. */
    network: string;
    peer: { endpoint: string; hostAlias: string; tlsCertPath: string };
    user: { mspId: string; certPath: string; keyPath: string };
    channel: string;
    /** The chaincode running the bench contract (`bench:put`, `bench:get`). */
    chaincode: string;
}

/** What it reports: the same figures as `backend-load.ts`. */
export interface FabricGatewayLoadReport extends Omit<BackendLoadReport, 'kind'> {
    kind: 'fabric-gateway-load';
}

const VALUE = 'x'.repeat(32);

async function main(): Promise<void> {
    const config = JSON.parse(process.argv[2] ?? '') as FabricGatewayLoadConfig;
    const client = new grpc.Client(
        config.peer.endpoint,
        grpc.credentials.createSsl(await readFile(config.peer.tlsCertPath)),
        { 'grpc.ssl_target_name_override': config.peer.hostAlias },
    );
    const gateway = connect({
        client,
        identity: { mspId: config.user.mspId, credentials: await readFile(config.user.certPath) },
        signer: signers.newPrivateKeySigner(createPrivateKey(await readFile(config.user.keyPath))),
        hash: hash.sha256,
    });
    try {
        const contract = gateway.getNetwork(config.channel).getContract(config.chaincode, 'bench');
        const run = `grpc-${config.network}-${process.pid}`;
        await contract.submitTransaction('put', `${run}-warmup`, VALUE);
        const writes: Measured[] = [];
        for (const level of config.writes) {
            writes.push(
                await measure(level.concurrency, level.transactions, (i) =>
                    contract.submitTransaction('put', `${run}-c${level.concurrency}-${i}`, VALUE),
                ),
            );
        }
        const reads = await measure(config.reads.concurrency, config.reads.transactions, (i) =>
            contract.evaluateTransaction('get', `${run}-c${config.writes[0].concurrency}-${i % 10}`),
        );
        await report({
            kind: 'fabric-gateway-load',
            network: config.network,
            writes,
            reads,
            clientMaxRssKb: process.resourceUsage().maxRSS,
        });
    } finally {
        gateway.close();
        client.close();
    }
}

main().catch((err: unknown) => {
    process.stderr.write(`bench fabric-gateway-load: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
});
