import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Contract } from '@zhelian/api';
import { EmbeddedLedger } from '@zhelian/embedded';
import { startGateway } from '@zhelian/gateway';
import type { LevelResult, LoadLevel } from './measure';
import { percentile } from './measure';

/**
 * Child process of the benchmark: the gateway's overhead. It opens the embedded ledger with the
 * zhelian chaincode and serves it through the gateway; then, level by level as the parent asks,
 * it measures a write (`evidence:depositEvidence`) or a read (`evidence:verifyEvidence`) submitted
 * or evaluated in-process, while the parent drives the same transactions over HTTP from another
 * process (autocannon) right after — each pair measured side by side, not minutes apart.
 * `node gateway.js`, then messages: {@link MeasureRequest}, or `stop`.
 */

export const READ_ID = 'EV-BENCH-READ';
export const IDENTITY = 'MemberMSP:litigant';
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The arguments of one benchmark deposit: a new evidence id each time. */
export function depositArgs(id: string): [string, string, string, string, string] {
    return [id, sha256(id), '基准测试截图', 'image/png', '1024'];
}

/** What the child tells the parent once it serves. */
export interface GatewayReady {
    kind: 'gateway-ready';
    url: string;
}

/** The parent asks for one in-process measurement; the child answers with a {@link Measured}. */
export interface MeasureRequest {
    kind: 'measure';
    what: 'write' | 'read';
    level: LoadLevel;
}

export interface Measured {
    kind: 'measured';
    result: LevelResult;
}

const CHAINCODE_DIR = path.join(__dirname, '..', '..', '..', 'chaincode');

/** Runs `count` calls with `concurrency` in flight; each latency goes to `done`. */
async function drive(
    count: number,
    concurrency: number,
    call: (n: number) => Promise<unknown>,
    done: (ms: number) => void,
) {
    let next = 0;
    const client = async (): Promise<void> => {
        while (next < count) {
            const n = next++;
            const started = performance.now();
            await call(n);
            done(performance.now() - started);
        }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, client));
}

async function level(level: LoadLevel, call: (tag: string, n: number) => Promise<unknown>): Promise<LevelResult> {
    await drive(
        level.warmup,
        level.concurrency,
        (n) => call(`warmup-c${level.concurrency}`, n),
        () => undefined,
    );
    const latencies: number[] = [];
    const started = performance.now();
    await drive(
        level.transactions,
        level.concurrency,
        (n) => call(`c${level.concurrency}`, n),
        (ms) => latencies.push(ms),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
        ...level,
        seconds,
        txPerSecond: level.transactions / seconds,
        p50Ms: percentile(latencies, 0.5),
        p99Ms: percentile(latencies, 0.99),
        invalid: 0,
    };
}

function measure(contract: Contract, request: MeasureRequest): Promise<LevelResult> {
    return request.what === 'write'
        ? level(request.level, (tag, n) =>
              contract.submitTransaction('depositEvidence', ...depositArgs(`EV-IN-${tag}-${n}`)),
          )
        : level(request.level, () => contract.evaluateTransaction('verifyEvidence', READ_ID, sha256(READ_ID)));
}

async function main(): Promise<void> {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-bench-gateway-'));
    try {
        const ledger = await EmbeddedLedger.open({ dataDir, topology: 'zhelian' });
        try {
            await ledger.deploy({
                packageDir: CHAINCODE_DIR,
                name: 'zhelian',
                collections: path.join(CHAINCODE_DIR, 'collections_config.json'),
            });
            const [mspId, name] = IDENTITY.split(':');
            const contract = (await ledger.connect({ mspId, name }))
                .getNetwork(ledger.channel)
                .getContract('zhelian', 'evidence');
            await contract.submitTransaction('depositEvidence', ...depositArgs(READ_ID));
            const gateway = await startGateway(ledger, { port: 0, logLevel: 'silent', publicRateLimit: 1_000_000 });
            await gateway.chaincodeReady;
            await new Promise<void>((resolve, reject) => {
                const onMessage = (message: MeasureRequest | 'stop'): void => {
                    if (message === 'stop') {
                        // A listener keeps the IPC channel, and so this process, alive.
                        process.off('message', onMessage);
                        resolve();
                        return;
                    }
                    measure(contract, message).then(
                        (result) => process.send?.({ kind: 'measured', result } satisfies Measured),
                        reject,
                    );
                };
                process.on('message', onMessage);
                process.send?.({ kind: 'gateway-ready', url: gateway.url } satisfies GatewayReady);
            });
            await gateway.close();
        } finally {
            await ledger.close();
        }
    } finally {
        await rm(dataDir, { recursive: true, force: true });
    }
}

if (require.main === module) {
    main().catch((err: unknown) => {
        process.stderr.write(`bench gateway: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
    });
}
