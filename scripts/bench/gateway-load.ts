import { fork } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { GatewayReady, Measured, MeasureRequest } from './gateway';
import { depositArgs, IDENTITY, READ_ID, sha256 } from './gateway';
import type { LevelResult, LoadLevel } from './measure';
import { median } from './measure';
import type { Row } from './table';

/** The same write and read, in-process and through the gateway over HTTP, at each concurrency. */
export interface GatewayComparison {
    inProcess: { write: LevelResult[]; read: LevelResult[] };
    http: { write: LevelResult[]; read: LevelResult[] };
}

type Request = NonNullable<autocannon.Options['requests']>[number];

/**
 * One autocannon run: `amount` requests with `concurrency` connections, each answered 2xx or it
 * fails. The time runs from the first request to the last answer: autocannon's own start and finish
 * fall on its sampling ticks (whole seconds), and its setup is not the server's time.
 */
async function cannon(
    url: string,
    concurrency: number,
    amount: number,
    request: Request,
): Promise<{ result: autocannon.Result; seconds: number }> {
    let first: number | undefined;
    let last = 0;
    const setup = request.setupRequest;
    const result = await autocannon({
        url,
        connections: concurrency,
        amount,
        timeout: 30,
        requests: [
            {
                ...request,
                setupRequest: (req, context) => {
                    first ??= performance.now();
                    return typeof setup === 'function' ? setup(req, context) : req;
                },
                onResponse: () => (last = performance.now()),
            },
        ],
    });
    if (result.non2xx > 0 || result.errors > 0) {
        throw new Error(
            `${result.non2xx} answers were not 2xx and ${result.errors} requests failed at c${concurrency}`,
        );
    }
    return { result, seconds: (last - (first ?? last)) / 1000 };
}

async function level(url: string, load: LoadLevel, request: (tag: string) => Request): Promise<LevelResult> {
    if (load.warmup > 0) {
        await cannon(url, load.concurrency, load.warmup, request(`warmup-c${load.concurrency}`));
    }
    const { result, seconds } = await cannon(url, load.concurrency, load.transactions, request(`c${load.concurrency}`));
    return {
        ...load,
        seconds,
        txPerSecond: load.transactions / seconds,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        invalid: 0,
    };
}

const headers = { 'content-type': 'application/json', 'x-zhelian-identity': IDENTITY };

/** `POST /api/evidence/depositEvidence`, a new evidence id in every request. */
function writeRequest(tag: string): Request {
    let n = 0;
    return {
        method: 'POST',
        path: '/api/evidence/depositEvidence',
        headers,
        setupRequest: (request) => {
            const [evidenceId, hash, title, type, sizeBytes] = depositArgs(`EV-HTTP-${tag}-${n++}`);
            return {
                ...request,
                body: JSON.stringify({ args: { evidenceId, hash, title, type, sizeBytes: Number(sizeBytes) } }),
            };
        },
    };
}

/** `GET /api/evidence/verifyEvidence`: evaluated on one peer, nothing ordered. */
function readRequest(): Request {
    return {
        method: 'GET',
        path: `/api/evidence/verifyEvidence?evidenceId=${READ_ID}&hash=${sha256(READ_ID)}`,
        headers: { 'x-zhelian-identity': IDENTITY },
    };
}

/**
 * Forks the gateway child; for each level and kind, has it measure in-process, then drives its
 * server over HTTP with the same transactions.
 */
export async function measureGateway(levels: LoadLevel[]): Promise<GatewayComparison> {
    const child = fork(path.join(__dirname, 'gateway.js'), [], { stdio: ['ignore', 2, 2, 'ipc'], execArgv: [] });
    const exited = new Promise<void>((resolve, reject) => {
        child.on('error', reject);
        child.on('exit', (code, signal) =>
            code === 0 ? resolve() : reject(new Error(`gateway.js exited with ${signal ?? `code ${code}`}`)),
        );
    });
    const next = <T>(): Promise<T> =>
        Promise.race([
            new Promise<T>((resolve) => child.once('message', (message) => resolve(message as T))),
            exited.then(() => {
                throw new Error('gateway.js exited before answering');
            }),
        ]);
    const measured: GatewayComparison = { inProcess: { write: [], read: [] }, http: { write: [], read: [] } };
    try {
        const { url } = await next<GatewayReady>();
        for (const what of ['write', 'read'] as const) {
            for (const load of levels) {
                child.send({ kind: 'measure', what, level: load } satisfies MeasureRequest);
                measured.inProcess[what].push((await next<Measured>()).result);
                measured.http[what].push(await level(url, load, what === 'write' ? writeRequest : readRequest));
            }
        }
    } finally {
        if (child.connected) {
            child.send('stop');
        }
    }
    await exited;
    return measured;
}

/** Several rounds as one: the median of each figure, level by level. */
function medianLevels(levels: LevelResult[][]): LevelResult[] {
    return levels[0].map((level, i) => {
        const of = (field: 'seconds' | 'txPerSecond' | 'p50Ms' | 'p99Ms') =>
            median(levels.map((round) => round[i][field]));
        return {
            ...level,
            seconds: of('seconds'),
            txPerSecond: of('txPerSecond'),
            p50Ms: of('p50Ms'),
            p99Ms: of('p99Ms'),
        };
    });
}

const AIM = { writeRatioAtC64: 0.85, readP99MsAtC16: 10 };
const ms = (value: number): string => `${value.toFixed(0)} ms`;
const times = (value: number): string => `${value.toFixed(2)}×`;

/**
 * Rows of the benchmark table: each HTTP level beside the same transactions in-process, with the
 * aims: HTTP writes at c64 at least 85 % of in-process, reads' p99 at c16 under 10 ms. Figures are
 * medians over the rounds; the ratio is the median of each round's ratio (its two sides were
 * measured one right after the other, on the same ledger), not a ratio of medians.
 */
export function gatewayRows(rounds: GatewayComparison[]): Row[] {
    const rows = (kind: 'write' | 'read', what: string): Row[] => {
        const http = medianLevels(rounds.map((round) => round.http[kind]));
        const local = medianLevels(rounds.map((round) => round.inProcess[kind]));
        return http.map((level, i) => {
            const ratio = median(
                rounds.map((round) => round.http[kind][i].txPerSecond / round.inProcess[kind][i].txPerSecond),
            );
            let aim = '';
            if (kind === 'write' && level.concurrency === 64) {
                aim = `${times(ratio / AIM.writeRatioAtC64)} of 85 % of in-process (${ratio >= AIM.writeRatioAtC64 ? 'met' : 'missed'})`;
            } else if (kind === 'read' && level.concurrency === 16) {
                aim = `${times(level.p99Ms / AIM.readP99MsAtC16)} of 10 ms p99 (${level.p99Ms < AIM.readP99MsAtC16 ? 'met' : 'missed'})`;
            }
            return {
                measure: `gateway ${kind} c${level.concurrency}, ${what} over HTTP, ${level.transactions} calls`,
                value: `${level.txPerSecond.toFixed(0)} tx/s`,
                p50: ms(level.p50Ms),
                p99: ms(level.p99Ms),
                ratio: `${times(ratio)} of in-process ${local[i].txPerSecond.toFixed(0)} tx/s (p99 ${ms(local[i].p99Ms)})`,
                aim,
            };
        });
    };
    return [...rows('write', 'evidence:depositEvidence'), ...rows('read', 'evidence:verifyEvidence')];
}
