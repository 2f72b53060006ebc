import { Worker } from 'node:worker_threads';
import type { FromRunner, ToRunner } from './ipc';
import { runnerPath, type RunnerEvents, type RunnerLaunch, type RunnerTransport } from './runner-transport';

/**
 * Runs the runner in a worker thread: its own V8 isolate and `global` (so decorator metadata
 * stays per chaincode) in this process, with messages over `parentPort`. `process.exit()` in
 * the chaincode ends only the worker, and `terminate()` stops even a busy loop.
 */
export function startWorkerRunner({ config, env }: RunnerLaunch, events: RunnerEvents): RunnerTransport {
    const worker = new Worker(runnerPath(), {
        workerData: config,
        env,
        // Not this process's flags (e.g. a test runner's loaders): the chaincode runs as under `node`.
        execArgv: [],
        // A young generation of 24 MB instead of V8's default: measured on the zhelian topology at c64,
        // the ledger process peaked about 60 MB lower with its three peers' instances, for the same
        // CPU per transaction (16 MB or less promoted more and cost CPU; 32 MB was the default's size).
        resourceLimits: { maxYoungGenerationSizeMb: 24 },
        stdout: true,
        stderr: true,
    });
    for (const output of [worker.stdout, worker.stderr]) {
        output.setEncoding('utf8');
        output.on('data', (text: string) => events.output(text));
    }
    worker.on('message', (message: FromRunner) => events.message(message));
    // An uncaught error ends the worker; a process would have printed it to stderr.
    worker.on('error', (error) => events.output(`${error.stack ?? error.message}\n`));
    let ended = false;
    const exited = new Promise<void>((resolve) => {
        worker.on('exit', (code) => {
            ended = true;
            events.exit({ code, signal: null });
            resolve();
        });
    });
    return {
        kind: 'worker thread',
        send(message: ToRunner) {
            if (!ended) {
                worker.postMessage(message);
            }
        },
        kill() {
            void worker.terminate();
        },
        async close() {
            if (!ended) {
                void worker.terminate();
                await exited;
            }
        },
    };
}
