import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BackendLoadReport } from './backend-load';
import type { EmbeddedPeersReport, EmbeddedPeersStopped } from './embedded-peers';
import type { FabricGatewayLoadReport } from './fabric-gateway-load';
import type { RichQueryReport } from './rich-query';

/** The benchmark chaincode: one `bench:put(key, value)` transaction (plain JS, not compiled). */
export const BENCH_CHAINCODE_DIR = path.join(__dirname, '..', '..', 'bench', 'chaincode');

/** What a cold- or warm-start child reports: milliseconds since its process started. */
export interface StartReport {
    kind: 'start';
    /** Node's own boot, until the benchmark's first statement runs. */
    bootMs: number;
    loadModulesMs: number;
    openMs: number;
    /** Absent on a warm restart, where the chaincode is already deployed. */
    deployMs?: number;
    firstTxMs: number;
    /** Since process start (performance.timeOrigin) until the first transaction committed. */
    totalMs: number;
}

/** One concurrency level: `transactions` measured after `warmup` unmeasured ones. */
export interface LoadLevel {
    concurrency: number;
    warmup: number;
    transactions: number;
}

export interface LevelResult extends LoadLevel {
    seconds: number;
    txPerSecond: number;
    p50Ms: number;
    p99Ms: number;
    /**
     * CPU time of the process that ran the ledger (user + system, all its threads: event loop,
     * chaincode workers, signing thread, LevelDB) per measured transaction, in µs.
     */
    cpuMicrosPerTx?: number;
    /** Transactions that did not commit VALID (they still count in the latency figures). */
    invalid: number;
}

export interface LoadReport {
    kind: 'load';
    topology: string;
    /** False when block commits were not synced to disk (`syncCommits: false`). */
    syncCommits: boolean;
    endorsements: number;
    /** Block cutting in effect: at most this many transactions per block. */
    maxBlockTransactions: number;
    /** 1 when the process was held to one core; absent when it could use every core. */
    cores?: number;
    levels: LevelResult[];
    ledgerMaxRssKb: number;
    /** VmHWM of each chaincode process the ledger forked. */
    chaincodeMaxRssKb: number[];
}

export type ChildReport =
    | StartReport
    | LoadReport
    | BackendLoadReport
    | FabricGatewayLoadReport
    | EmbeddedPeersReport
    | EmbeddedPeersStopped
    | RichQueryReport;

/** What the benchmark asks a load child to run. */
export interface LoadConfig {
    topology: string;
    /** Overrides the topology's block size, to compare topologies with equal blocks. */
    maxBlockTransactions?: number;
    /** `false` measures the ledger without syncing block commits to disk; default true. */
    syncCommits?: boolean;
    /** 1: run the load child on one core (`taskset -c 0`), to show what the other cores add. */
    cores?: number;
    levels: LoadLevel[];
}

export function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Several rounds of one load configuration as one: median rates and latencies, highest memory. */
export function medianLoad(rounds: LoadReport[]): LoadReport {
    const [first] = rounds;
    return {
        ...first,
        levels: first.levels.map((level, i) => {
            const of = (pick: (result: LevelResult) => number): number =>
                median(rounds.map((round) => pick(round.levels[i])));
            return {
                ...level,
                seconds: of((r) => r.seconds),
                txPerSecond: of((r) => r.txPerSecond),
                p50Ms: of((r) => r.p50Ms),
                p99Ms: of((r) => r.p99Ms),
                cpuMicrosPerTx: of((r) => r.cpuMicrosPerTx ?? Number.NaN),
                invalid: rounds.reduce((sum, round) => sum + round.levels[i].invalid, 0),
            };
        }),
        ledgerMaxRssKb: Math.max(...rounds.map((round) => round.ledgerMaxRssKb)),
        chaincodeMaxRssKb: first.chaincodeMaxRssKb.map((_, i) =>
            Math.max(...rounds.map((round) => round.chaincodeMaxRssKb[i] ?? 0)),
        ),
    };
}

/** Nearest-rank percentile of ascending `sorted`. */
export function percentile(sorted: number[], p: number): number {
    if (sorted.length === 0) {
        return Number.NaN;
    }
    return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length))) - 1];
}

/** Pids whose parent is `pid`, from /proc (Linux). */
export function childPids(pid: number): number[] {
    const children: number[] = [];
    for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) {
            continue;
        }
        try {
            const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
            // Fields after the command name, which is parenthesised and may hold spaces: state, ppid, …
            const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
            if (ppid === pid) {
                children.push(Number(entry));
            }
        } catch {
            // The process ended while we listed /proc.
        }
    }
    return children;
}

/** Peak resident set size (VmHWM) of a process in kB, from /proc/<pid>/status. */
export function peakRssKb(pid: number): number {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
    if (!match) {
        throw new Error(`/proc/${pid}/status has no VmHWM line`);
    }
    return Number(match[1]);
}

/** Sends a child's report to the benchmark parent over the fork IPC channel. */
export function report(value: ChildReport): Promise<void> {
    return new Promise((resolve, reject) => {
        if (!process.send) {
            process.stdout.write(JSON.stringify(value) + '\n');
            resolve();
            return;
        }
        process.send(value, (err: Error | null) => (err ? reject(err) : resolve()));
    });
}
