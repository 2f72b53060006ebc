import { performance } from 'node:perf_hooks';
import { percentile } from './measure';

/** Throughput and latency of one load level. */
export interface Measured {
    concurrency: number;
    transactions: number;
    perSecond: number;
    p50Ms: number;
    p99Ms: number;
}

/** Runs `transactions` calls with `concurrency` in flight at a time, and measures them. */
export async function measure(
    concurrency: number,
    transactions: number,
    call: (i: number) => Promise<unknown>,
): Promise<Measured> {
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    const client = async () => {
        while (next < transactions) {
            const i = next++;
            const t0 = performance.now();
            await call(i);
            latencies.push(performance.now() - t0);
        }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, transactions) }, client));
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
        concurrency,
        transactions,
        perSecond: transactions / seconds,
        p50Ms: percentile(latencies, 0.5),
        p99Ms: percentile(latencies, 0.99),
    };
}
