import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CommitError, type Contract } from '@zhelian/api';
import { EmbeddedLedger } from '@zhelian/embedded';
import type { LevelResult, LoadConfig, LoadLevel } from './measure';
import { BENCH_CHAINCODE_DIR, childPids, peakRssKb, percentile, report } from './measure';

/**
 * Child process of the benchmark: committed-transaction throughput and latency on a fresh data
 * dir, one concurrency level after another, then the peak RSS of this process and of the
 * chaincode process. `node load.js '{"topology":"zhelian","levels":[{"concurrency":1,...}]}'`.
 */
const VALUE = 'x'.repeat(32);

/** Runs `count` one-key writes with `concurrency` clients in flight; calls `done` with each latency. */
async function drive(
    contract: Contract,
    prefix: string,
    count: number,
    concurrency: number,
    done: (ms: number, valid: boolean) => void,
): Promise<void> {
    let next = 0;
    const client = async (): Promise<void> => {
        while (next < count) {
            const key = `${prefix}-${next++}`;
            const started = performance.now();
            let valid = true;
            try {
                await contract.submitTransaction('put', key, VALUE);
            } catch (err) {
                if (!(err instanceof CommitError)) {
                    throw err;
                }
                valid = false;
            }
            done(performance.now() - started, valid);
        }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, client));
}

async function runLevel(contract: Contract, level: LoadLevel): Promise<LevelResult> {
    await drive(contract, `warmup-c${level.concurrency}`, level.warmup, level.concurrency, () => undefined);
    const latencies: number[] = [];
    let invalid = 0;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    await drive(contract, `c${level.concurrency}`, level.transactions, level.concurrency, (ms, valid) => {
        latencies.push(ms);
        invalid += valid ? 0 : 1;
    });
    const cpu = process.cpuUsage(cpuBefore);
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
        ...level,
        seconds,
        txPerSecond: level.transactions / seconds,
        p50Ms: percentile(latencies, 0.5),
        p99Ms: percentile(latencies, 0.99),
        cpuMicrosPerTx: (cpu.user + cpu.system) / level.transactions,
        invalid,
    };
}

async function main(): Promise<void> {
    const config = JSON.parse(process.argv[2] ?? '') as LoadConfig;
    const dataDir = await mkdtemp(path.join(tmpdir(), `zhelian-bench-${config.topology}-`));
    try {
        const block = config.maxBlockTransactions ? { maxTransactions: config.maxBlockTransactions } : undefined;
        const syncCommits = config.syncCommits ?? true;
        const ledger = await EmbeddedLedger.open({
            dataDir,
            topology: config.topology,
            syncCommits,
            ...(block ? { block } : {}),
        });
        try {
            await ledger.deploy({ packageDir: BENCH_CHAINCODE_DIR, name: 'bench' });
            const client = (await ledger.identities()).find((identity) => identity.role === 'client');
            if (!client) {
                throw new Error(`topology ${config.topology} has no client user`);
            }
            const contract = (await ledger.connect(client)).getNetwork(ledger.channel).getContract('bench', 'bench');
            // One probe transaction tells how many endorsements the default policy asks for.
            const probe = await contract.submitAsync('put', { arguments: ['probe', VALUE] });
            await probe.getStatus();
            const endorsements =
                (await ledger.explorer.getTransaction(probe.getTransactionId()))?.endorsers.length ?? 0;

            const levels: LevelResult[] = [];
            for (const level of config.levels) {
                levels.push(await runLevel(contract, level));
            }
            await report({
                kind: 'load',
                topology: config.topology,
                syncCommits,
                endorsements,
                maxBlockTransactions: ledger.topology.block.maxTransactions,
                ...(config.cores ? { cores: config.cores } : {}),
                levels,
                ledgerMaxRssKb: process.resourceUsage().maxRSS,
                chaincodeMaxRssKb: childPids(process.pid).map(peakRssKb),
            });
        } finally {
            await ledger.close();
        }
    } finally {
        await rm(dataDir, { recursive: true, force: true });
    }
}

main().catch((err: unknown) => {
    process.stderr.write(`bench load: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
});
