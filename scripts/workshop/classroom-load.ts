/**
 * `npm run bench:classroom`: how many learners one laptop holds. Starts the real server (`npm
 * start`'s program) on loopback with tokens required, as in a classroom, on a fresh data dir; the
 * instructor enrolls N learners and issues each a token; each simulated learner keeps the UI's
 * live block stream (SSE) open and, every few seconds, does what a lesson step does — submits a
 * transaction, reads it back from the explorer, reads the height, records its progress. Rounds of
 * growing N; a round holds when no request fails and the p95 latencies stay within what feels
 * immediate in a browser. Prints a table and the largest N that held. Only 127.0.0.1 is loaded.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

/** What a round must keep to "hold" the class: a click answers, a page refreshes. */
const LIMITS = { submitP95Ms: 2_000, readP95Ms: 500 };

/** A learner's pace: one lesson step (a submission and three reads) every 3–7 s. */
const MEAN_THINK_MS = 5_000;

/** The share of the cores the server may use before clicks start to queue (for the CPU model). */
const BUSY = 0.7;

/** CPU time (user + system, all threads) a process has used so far, in ms (Linux `/proc`). */
async function cpuMs(pid: number): Promise<number> {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

interface Server {
    url: string;
    instructorToken: string;
    process: ChildProcess;
}

/** Starts `scripts/dist/start.js` with `--tokens` on a free port and reads its URL and instructor token. */
async function startServer(dataDir: string): Promise<Server> {
    const child = spawn(process.execPath, [path.join(__dirname, '..', 'start.js'), '--port', '0', '--tokens'], {
        env: { ...process.env, ZHELIAN_DATA: dataDir, ZHELIAN_NETWORK: 'embedded' },
        stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    return new Promise((resolve, reject) => {
        child.on('exit', (code) => reject(new Error(`the server exited (${code}) before it listened:\n${output}`)));
        child.stdout!.on('data', (chunk: Buffer) => {
            output += chunk.toString('utf8');
            const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
            const token = /instructor token is\s+(\S+)/.exec(output)?.[1];
            if (url && token) {
                resolve({ url, instructorToken: token, process: child });
            }
        });
    });
}

async function request(server: Server, token: string, method: string, route: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${server.url}${route}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const answer: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
        throw new Error(`${method} ${route}: ${response.status} ${JSON.stringify(answer)}`);
    }
    return answer;
}

/** Waits until the background demo seeding is over, so that it does not count against round one. */
async function seeded(server: Server): Promise<void> {
    for (;;) {
        const health = (await (await fetch(`${server.url}/api/health`)).json()) as {
            tasks?: { demo?: { state: string } };
        };
        if (health.tasks?.demo && health.tasks.demo.state !== 'running') {
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
}

interface Round {
    learners: number;
    submits: number[];
    reads: number[];
    failures: string[];
    /** Server CPU time per lesson step, ms. */
    cpuPerStepMs: number;
    /** The machine's 1-minute load average at the end of the round: others' work shares the cores. */
    load: number;
}

const p95 = (values: number[]): number => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] : 0;
};

/** One learner for `seconds`: an open block stream, and a lesson step every 3–7 s. */
async function learner(server: Server, token: string, name: string, seconds: number, round: Round): Promise<void> {
    const stream = new AbortController();
    const events = fetch(`${server.url}/api/events/blocks?access_token=${encodeURIComponent(token)}`, {
        signal: stream.signal,
    })
        .then(async (response) => {
            for await (const chunk of response.body ?? []) {
                void chunk;
            }
        })
        .catch(() => undefined);
    const timed = async (into: number[], work: () => Promise<unknown>): Promise<unknown> => {
        const began = performance.now();
        const answer = await work();
        into.push(performance.now() - began);
        return answer;
    };
    const end = Date.now() + seconds * 1000;
    let n = 0;
    // Learners do not click in step: each starts somewhere in its first think time.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5_000));
    while (Date.now() < end) {
        try {
            const id = `EV-${name}-${n++}`;
            const outcome = (await timed(round.submits, () =>
                request(server, token, 'POST', '/api/evidence/depositEvidence', {
                    args: {
                        evidenceId: id,
                        hash: createHash('sha256').update(id).digest('hex'),
                        title: '课堂练习',
                        type: 'text/plain',
                        sizeBytes: 1,
                    },
                }),
            )) as { txId: string };
            await timed(round.reads, () => request(server, token, 'GET', `/api/explorer/transactions/${outcome.txId}`));
            await timed(round.reads, () => request(server, token, 'GET', '/api/explorer'));
            await timed(round.reads, () =>
                request(server, token, 'POST', '/api/workshop/progress', {
                    // The evidence lesson's first step is this deposit: the gateway checks the step's kind.
                    lesson: 'evidence',
                    step: 0,
                    evidence: { txId: outcome.txId },
                }),
            );
        } catch (err) {
            round.failures.push((err as Error).message);
        }
        await new Promise((resolve) => setTimeout(resolve, 3_000 + Math.random() * 4_000));
    }
    stream.abort();
    await events;
}

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            learners: { type: 'string', default: '10,25,50,100,150' },
            seconds: { type: 'string', default: '40' },
        },
    });
    const levels = values.learners.split(',').map(Number);
    const seconds = Number(values.seconds);
    const dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-classroom-'));
    const server = await startServer(dataDir);
    const rounds: Round[] = [];
    try {
        await seeded(server);
        const tokens: string[] = [];
        for (const learners of levels) {
            while (tokens.length < learners) {
                const name = `learner${String(tokens.length + 1).padStart(3, '0')}`;
                await request(server, server.instructorToken, 'POST', '/api/identities', {
                    mspId: 'MemberMSP',
                    name,
                    attrs: { role: 'party', unit: '当事人' },
                });
                const issued = (await request(server, server.instructorToken, 'POST', '/api/tokens', {
                    identity: `MemberMSP:${name}`,
                    minutes: 60,
                })) as { token: string };
                tokens.push(issued.token);
            }
            const round: Round = { learners, submits: [], reads: [], failures: [], cpuPerStepMs: 0, load: 0 };
            process.stderr.write(`round: ${learners} learners for ${seconds} s …\n`);
            const cpuBefore = await cpuMs(server.process.pid!);
            await Promise.all(
                tokens
                    .slice(0, learners)
                    .map((token, i) => learner(server, token, `R${learners}L${i}`, seconds, round)),
            );
            round.cpuPerStepMs = ((await cpuMs(server.process.pid!)) - cpuBefore) / Math.max(1, round.submits.length);
            round.load = loadavg()[0];
            rounds.push(round);
            if (round.failures.length > 0 || p95(round.submits) > LIMITS.submitP95Ms * 2) {
                break;
            }
        }
    } finally {
        server.process.kill('SIGINT');
        await new Promise((resolve) => server.process.once('exit', resolve));
        await rm(dataDir, { recursive: true, force: true });
    }
    const holds = (round: Round): boolean =>
        round.failures.length === 0 && p95(round.submits) <= LIMITS.submitP95Ms && p95(round.reads) <= LIMITS.readP95Ms;
    const lines = [
        'learners  steps/s  submit p50  submit p95  read p95  failures  server CPU/step  load  holds',
        ...rounds.map((round) => {
            const median = [...round.submits].sort((a, b) => a - b)[Math.floor(round.submits.length / 2)] ?? 0;
            return [
                String(round.learners).padStart(8),
                (round.submits.length / seconds).toFixed(1).padStart(8),
                `${median.toFixed(0)} ms`.padStart(11),
                `${p95(round.submits).toFixed(0)} ms`.padStart(11),
                `${p95(round.reads).toFixed(0)} ms`.padStart(9),
                String(round.failures.length).padStart(9),
                `${round.cpuPerStepMs.toFixed(1)} ms`.padStart(16),
                round.load.toFixed(1).padStart(5),
                holds(round) ? '  yes' : '  no',
            ].join(' ');
        }),
    ];
    const held = rounds.filter(holds).map((round) => round.learners);
    process.stdout.write(`${lines.join('\n')}\n`);
    process.stdout.write(
        `one laptop holds ${held.length ? Math.max(...held) : 0} learners (p95 submit ≤ ${LIMITS.submitP95Ms} ms, p95 read ≤ ${LIMITS.readP95Ms} ms, no failure; each learner a lesson step every 3-7 s and a live block stream)\n`,
    );
    // The CPU model: what one step costs the server, at a learner's pace, on a machine's cores.
    const costs = rounds.map((round) => round.cpuPerStepMs).sort((a, b) => a - b);
    const cost = costs[Math.floor(costs.length / 2)] ?? 0;
    const perCore = cost > 0 ? (BUSY * MEAN_THINK_MS) / cost : 0;
    process.stdout.write(
        `server CPU per lesson step (median of rounds): ${cost.toFixed(1)} ms; at one step per ${MEAN_THINK_MS / 1000} s per learner and ${BUSY * 100} % busy, that is ${Math.floor(perCore)} learners per core, ${Math.floor(perCore * availableParallelism())} on this machine's ${availableParallelism()} cores when nothing else runs\n`,
    );
    for (const failure of rounds.flatMap((round) => round.failures).slice(0, 5)) {
        process.stdout.write(`failure: ${failure}\n`);
    }
}

main().catch((err: unknown) => {
    process.stderr.write(`classroom load: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
});
