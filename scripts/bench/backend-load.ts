import { type Contract, openBackend } from '@zhelian/api';
import { BENCH_CHAINCODE_DIR, report } from './measure';
import { type Measured, measure } from './throughput';

export type { Measured };

/**
 * Child process of the Fabric comparison (fabric.ts): the same workload on whichever backend the
 * argument names, through `@zhelian/api` only — writes (`bench:put`, submitted and committed) at
 * each concurrency, then reads (`bench:get`, evaluated) — and this process's peak RSS.
 * `node backend-load.js '{"network":"fabric","connection":"…","writes":[…],"reads":{…}}'`.
 */
export interface BackendLoadConfig {
    network: 'embedded' | 'fabric';
    /** Embedded: a fresh data dir. */
    dataDir?: string;
    /** Fabric: the connection description of a network running the bench chaincode server. */
    connection?: string;
    writes: { concurrency: number; transactions: number }[];
    reads: { concurrency: number; transactions: number };
}

export interface BackendLoadReport {
    kind: 'backend-load';
    network: string;
    writes: Measured[];
    reads: Measured;
    clientMaxRssKb: number;
}

const VALUE = 'x'.repeat(32);

async function main(): Promise<void> {
    const config = JSON.parse(process.argv[2] ?? '') as BackendLoadConfig;
    const backend = await openBackend({
        network: config.network,
        dataDir: config.dataDir,
        topology: 'zhelian',
        connection: config.connection,
    });
    try {
        const { name } = await backend.lifecycle!.deploy({ packageDir: BENCH_CHAINCODE_DIR, name: 'bench' });
        const identity = (await backend.identities()).find((i) => i.mspId === 'MemberMSP' && i.role === 'client');
        const gateway = await backend.connect(identity!);
        const contract: Contract = gateway.getNetwork(backend.describe().channel).getContract(name, 'bench');
        const run = `${config.network}-${process.pid}`;
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
        gateway.close();
        await report({
            kind: 'backend-load',
            network: config.network,
            writes,
            reads,
            clientMaxRssKb: process.resourceUsage().maxRSS,
        });
    } finally {
        await backend.close();
    }
}

main().catch((err: unknown) => {
    process.stderr.write(`bench backend-load: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
});
