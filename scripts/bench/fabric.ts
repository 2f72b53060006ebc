import { fork, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { openBackend } from '@zhelian/api';
import type { BackendLoadConfig, BackendLoadReport, Measured } from './backend-load';
import { embeddedOverGrpc, fabricOverGrpc } from './grpc-comparison';
import { BENCH_CHAINCODE_DIR, peakRssKb } from './measure';
import { formatTable, type Row } from './table';

/**
 * The embedded ledger beside a real Fabric network, in one run (`npm run bench:fabric`): the time
 * from `network:up` to the first committed transaction, then the same workload through
 * `@zhelian/api` on both — committed writes at several concurrencies, evaluated reads — with the
 * embedded/Fabric ratio, and the peak memory of every process each needs. The Fabric network is a
 * new one in a temporary run dir on ports from 17050 (a network left running is not touched),
 * wiped afterwards. Needs Fabric's binaries (`npm run network:install`).
 *
 *     npm run bench:fabric               # a few minutes
 *     npm run bench:fabric -- --quick    # a smoke run
 */

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const NETWORK_CLI = path.join(REPO_ROOT, 'network', 'native', 'dist', 'cli.js');
const WORKLOAD: Record<'full' | 'quick', Pick<BackendLoadConfig, 'writes' | 'reads'>> = {
    full: {
        writes: [
            { concurrency: 1, transactions: 40 },
            { concurrency: 16, transactions: 400 },
            { concurrency: 64, transactions: 800 },
        ],
        reads: { concurrency: 16, transactions: 2000 },
    },
    quick: {
        writes: [
            { concurrency: 1, transactions: 10 },
            { concurrency: 16, transactions: 80 },
        ],
        reads: { concurrency: 16, transactions: 200 },
    },
};

const progress = (step: string) => process.stderr.write(`bench: ${step}\n`);
const ms = (value: number) => `${value.toFixed(0)} ms`;
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

function network(verb: string[], env: NodeJS.ProcessEnv): Promise<void> {
    const child = spawn(process.execPath, [NETWORK_CLI, ...verb], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    return new Promise((resolve, reject) => {
        child.once('error', reject);
        child.once('close', (code) =>
            code === 0 ? resolve() : reject(new Error(`network ${verb[0]} exited ${code}`)),
        );
    });
}

function load(config: BackendLoadConfig): Promise<BackendLoadReport> {
    const child = fork(path.join(__dirname, 'backend-load.js'), [JSON.stringify(config)], {
        stdio: ['ignore', 2, 2, 'ipc'],
        execArgv: [],
    });
    return new Promise((resolve, reject) => {
        let received: BackendLoadReport | undefined;
        child.on('message', (message: BackendLoadReport) => (received = message));
        child.on('error', reject);
        child.on('exit', (code) =>
            received && code === 0 ? resolve(received) : reject(new Error(`${config.network} load exited ${code}`)),
        );
    });
}

/** Peak RSS of each process the run dir's pid files name (orderer, peers, chaincode servers). */
async function networkRssKb(runDir: string): Promise<number> {
    const pids = path.join(runDir, 'pids');
    let total = 0;
    for (const file of await readdir(pids)) {
        total += peakRssKb(Number((await readFile(path.join(pids, file), 'utf8')).split('\n')[0]));
    }
    return total;
}

function compare(label: string, embedded: Measured, fabric: Measured, unit: string): Row[] {
    return [
        {
            measure: `embedded: ${label} c${embedded.concurrency}, ${embedded.transactions}`,
            value: `${embedded.perSecond.toFixed(0)} ${unit}`,
            p50: ms(embedded.p50Ms),
            p99: ms(embedded.p99Ms),
            ratio: `${(embedded.perSecond / fabric.perSecond).toFixed(2)}× Fabric`,
        },
        {
            measure: `Fabric:   ${label} c${fabric.concurrency}, ${fabric.transactions}`,
            value: `${fabric.perSecond.toFixed(0)} ${unit}`,
            p50: ms(fabric.p50Ms),
            p99: ms(fabric.p99Ms),
        },
    ];
}

/** The workload through fabric-gateway over gRPC, on the embedded ledger's served peers and on Fabric's. */
function compareOverGrpc(label: string, embedded: Measured, fabric: Measured, unit: string): Row[] {
    return [
        {
            measure: `embedded over gRPC (fabric-gateway): ${label} c${embedded.concurrency}, ${embedded.transactions}`,
            value: `${embedded.perSecond.toFixed(0)} ${unit}`,
            p50: ms(embedded.p50Ms),
            p99: ms(embedded.p99Ms),
            ratio: `${(embedded.perSecond / fabric.perSecond).toFixed(2)}× Fabric`,
        },
        {
            measure: `Fabric over gRPC (fabric-gateway):   ${label} c${fabric.concurrency}, ${fabric.transactions}`,
            value: `${fabric.perSecond.toFixed(0)} ${unit}`,
            p50: ms(fabric.p50Ms),
            p99: ms(fabric.p99Ms),
        },
    ];
}

async function main(): Promise<void> {
    const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
    const workload = WORKLOAD[values.quick ? 'quick' : 'full'];
    const runDir = await mkdtemp(path.join(os.tmpdir(), 'zhelian-bench-fabric-'));
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'zhelian-bench-embedded-'));
    const servedDir = await mkdtemp(path.join(os.tmpdir(), 'zhelian-bench-served-'));
    const env = { ...process.env, ZHELIAN_FABRIC_DIR: runDir, ZHELIAN_FABRIC_PORT_BASE: '17050' };
    const connection = path.join(runDir, 'connection.json');
    try {
        progress('network:up in a new run dir (ports from 17050)');
        const started = performance.now();
        await network(['up'], env);
        const upMs = performance.now() - started;
        const backend = await openBackend({ network: 'fabric', connection });
        const gateway = await backend.connect({ mspId: 'MemberMSP', name: 'zheyi' });
        await gateway.getNetwork('zhelian').getContract('zhelian', 'einvoice').submitTransaction('registerHospital');
        const firstTxMs = performance.now() - started;
        gateway.close();
        await backend.close();

        progress('the bench chaincode as a service on Fabric');
        await network(['deploy', BENCH_CHAINCODE_DIR, '--name', 'bench'], env);
        progress('the workload on Fabric');
        const fabric = await load({ network: 'fabric', connection, ...workload });
        const fabricNodesKb = await networkRssKb(runDir);
        progress('the same workload on the embedded ledger');
        const embedded = await load({ network: 'embedded', dataDir, ...workload });
        progress('the same workload through fabric-gateway over gRPC+TLS: the embedded ledger served, then Fabric');
        const served = await embeddedOverGrpc(servedDir, workload);
        const fabricGrpc = await fabricOverGrpc(connection, workload);

        const rows: Row[] = [
            { measure: 'Fabric: network:up, new network to ready', value: ms(upMs) },
            { measure: 'Fabric: network:up to first committed transaction', value: ms(firstTxMs) },
            ...embedded.writes.flatMap((level, i) => compare('committed writes', level, fabric.writes[i], 'tx/s')),
            ...compare('evaluated reads', embedded.reads, fabric.reads, 'reads/s'),
            ...served.load.writes.flatMap((level, i) =>
                compareOverGrpc('committed writes', level, fabricGrpc.writes[i], 'tx/s'),
            ),
            ...compareOverGrpc('evaluated reads', served.load.reads, fabricGrpc.reads, 'reads/s'),
            {
                measure: 'embedded: peak RSS, one process (chaincode in worker threads)',
                value: mb(embedded.clientMaxRssKb),
                ratio: `${(embedded.clientMaxRssKb / (fabricNodesKb + fabric.clientMaxRssKb)).toFixed(2)}× Fabric`,
            },
            {
                measure: 'Fabric:   peak RSS, orderer + 4 peers + 2 chaincode servers + client',
                value: mb(fabricNodesKb + fabric.clientMaxRssKb),
            },
            {
                measure: 'embedded over gRPC: peak RSS, the serving ledger process + the fabric-gateway client',
                value: mb(served.ledgerMaxRssKb + served.load.clientMaxRssKb),
            },
        ];
        process.stdout.write(formatTable(rows));
        process.stdout.write(
            `Fabric ${JSON.parse(await readFile(path.join(runDir, 'network.json'), 'utf8')).fabricVersion}, one Raft orderer, BatchTimeout 250 ms; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs\n`,
        );
    } finally {
        await network(['down', '--wipe'], env).catch(() => undefined);
        await rm(runDir, { recursive: true, force: true });
        await rm(dataDir, { recursive: true, force: true });
        await rm(servedDir, { recursive: true, force: true });
    }
}

main().catch((err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
});
