import { performance } from 'node:perf_hooks';

/**
 * Step-by-step progress on stderr, each line with the seconds since the command started, so a
 * user sees what `up` is waiting for and how long each part takes.
 *
 * ```ts
 * const progress = consoleProgress();
 * progress.step('Starting the orderer');
 * progress.count('compiling', 120, 400);
 * ```
 */
export interface Progress {
    step(message: string): void;
    /** A counter that repeats (a build's packages): updated in place on a terminal. */
    count(label: string, done: number, total: number): void;
    /** Seconds since the progress began. */
    elapsed(): number;
}

export function consoleProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
    const started = performance.now();
    let lastPercent = -1;
    let counting = false;
    const elapsed = () => (performance.now() - started) / 1000;
    const stamp = () => `[${elapsed().toFixed(1).padStart(5)}s]`;
    return {
        step(message) {
            if (counting) {
                stream.write('\n');
                counting = false;
            }
            stream.write(`${stamp()} ${message}\n`);
        },
        count(label, done, total) {
            const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
            if (stream.isTTY) {
                stream.write(`\r${stamp()} ${label} ${done}/${total} (${percent}%)`);
                counting = true;
            } else if (percent >= lastPercent + 10 || (done === total && lastPercent < 100)) {
                stream.write(`${stamp()} ${label} ${done}/${total} (${percent}%)\n`);
                lastPercent = percent;
            }
        },
        elapsed,
    };
}
