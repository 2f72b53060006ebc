import { Worker } from 'node:worker_threads';
import { handedOver, type FromRunner, type RunnerConfig, type RunnerPreload, type ToRunner } from './ipc';
import { runnerPath, type RunnerEvents, type RunnerLaunch, type RunnerTransport } from './runner-transport';

/**
 * Runs the runner in a worker thread: its own V8 isolate and `global` (so decorator metadata
 * stays per chaincode) in this process, with messages over `parentPort`. `process.exit()` in
 * the chaincode ends only the worker, and `terminate()` stops even a busy loop.
 */
export function startWorkerRunner({ config, env }: RunnerLaunch, events: RunnerEvents): RunnerTransport {
    const worker = new RunnerWorker(config, env);
    worker.listen(events);
    return worker;
}

/**
 * A worker thread running the runner. What it reports waits until someone listens, so that a
 * pooled worker (`runner-pool.ts`) can start before the instance it will serve exists.
 */
export class RunnerWorker implements RunnerTransport {
    readonly kind = 'worker thread';
    readonly #worker: Worker;
    #ended = false;
    readonly #exited: Promise<void>;
    readonly #preloaded: Promise<void>;
    #events: RunnerEvents | undefined;
    readonly #waiting: ((events: RunnerEvents) => void)[] = [];

    constructor(start: RunnerConfig | RunnerPreload, env: Record<string, string | undefined>) {
        this.#worker = new Worker(runnerPath(), {
            workerData: start,
            env,
            // Not this process's flags (e.g. a test runner's loaders): the chaincode runs as under `node`.
            execArgv: [],
            // A young generation of 12 MB instead of V8's default 32: measured on the zhelian topology
            // (c1, c16 and c64, three rounds each), the ledger process with its three peers' instances
            // peaked at 271–276 MB against 293–295 with 24 MB (which had measured about 60 MB below the
            // default), for the same CPU per transaction (934 µs at c64 against 948 with 24). 16 MB
            // measured as 24 (V8 sizes the semi-spaces in steps); 6 MB promoted so much that the peak
            // rose again (330–337 MB).
            resourceLimits: { maxYoungGenerationSizeMb: 12 },
            stdout: true,
            stderr: true,
        });
        let preloaded: () => void = () => undefined;
        this.#preloaded = new Promise((resolve) => {
            preloaded = resolve;
        });
        this.#worker.on('message', (message: FromRunner) => {
            if (message.kind === 'preloaded') {
                preloaded();
            } else {
                this.#report((events) => events.message(message));
            }
        });
        // An uncaught error ends the worker; a process would have printed it to stderr.
        this.#worker.on('error', (error) =>
            this.#report((events) => events.output(`${error.stack ?? error.message}\n`)),
        );
        this.#exited = new Promise<void>((resolve) => {
            this.#worker.on('exit', (code) => {
                this.#ended = true;
                preloaded();
                this.#report((events) => events.exit({ code, signal: null }));
                resolve();
            });
        });
    }

    /** Whether the worker has exited. */
    get ended(): boolean {
        return this.#ended;
    }

    /** Resolves once a pooled worker has loaded its shim (or has exited). */
    get preloaded(): Promise<void> {
        return this.#preloaded;
    }

    /** Resolves once the worker has exited. */
    get exited(): Promise<void> {
        return this.#exited;
    }

    /** Whether the worker keeps this process alive (as a running instance does) or not (a runner waiting in a pool). */
    keepsProcessAlive(keeps: boolean): void {
        if (keeps) {
            this.#worker.ref();
        } else {
            this.#worker.unref();
        }
    }

    /** Sets who receives the worker's messages, output and exit, and hands over what waited. */
    listen(events: RunnerEvents): void {
        this.#events = events;
        for (const report of this.#waiting.splice(0)) {
            report(events);
        }
        // Read only from now on: a reader of a worker's output keeps the process alive even when
        // the worker does not; until then what the worker writes waits in the streams.
        for (const output of [this.#worker.stdout, this.#worker.stderr]) {
            output.setEncoding('utf8');
            output.on('data', (text: string) => events.output(text));
        }
    }

    send(message: ToRunner): void {
        if (!this.#ended) {
            this.#worker.postMessage(message, handedOver(message));
        }
    }

    kill(): void {
        void this.#worker.terminate();
    }

    async close(): Promise<void> {
        if (!this.#ended) {
            void this.#worker.terminate();
            await this.#exited;
        }
    }

    #report(report: (events: RunnerEvents) => void): void {
        if (this.#events) {
            report(this.#events);
        } else {
            this.#waiting.push(report);
        }
    }
}
