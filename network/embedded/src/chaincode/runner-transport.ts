import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { FromRunner, RunnerConfig, ToRunner } from './ipc';

/** How a runner ended: an exit code, or the signal that killed its process. */
export interface RunnerExit {
    code: number | null;
    signal: NodeJS.Signals | null;
}

/** What a transport reports about its runner; each callback is called in order of events. */
export interface RunnerEvents {
    message(message: FromRunner): void;
    /** Text the chaincode wrote to stdout or stderr (or an uncaught error that ended it). */
    output(text: string): void;
    /** Called once, after the runner's last message and output. */
    exit(exit: RunnerExit): void;
}

/** What a transport needs to start a runner: the chaincode to load and its environment. */
export interface RunnerLaunch {
    config: RunnerConfig;
    /** The complete environment the chaincode sees. */
    env: Record<string, string | undefined>;
}

/**
 * The host's end of one running runner (`runner.ts`): a worker thread or a child process. Both
 * carry the same messages; `ChaincodeRuntime` holds everything else.
 */
export interface RunnerTransport {
    /** Names the runner in messages: `worker thread` or `process`. */
    readonly kind: string;
    /** Delivers a message; a message to a runner that is ending is dropped (its exit is reported). */
    send(message: ToRunner): void;
    /** Ends the runner at once, even with a blocked event loop. */
    kill(): void;
    /** Ends the runner and resolves after its exit has been reported. */
    close(): Promise<void>;
}

/** Starts a runner; the kind of transport is chosen by the host's `isolation` option. */
export type RunnerFactory = (launch: RunnerLaunch, events: RunnerEvents) => RunnerTransport;

let runner: string | undefined;

/** The compiled runner script, which both transports start. */
export function runnerPath(): string {
    if (!runner) {
        const beside = path.join(__dirname, 'runner.js');
        // Under vitest this module runs from src/, where only the compiled runner in dist/ exists.
        runner = existsSync(beside) ? beside : path.resolve(__dirname, '../../dist/chaincode/runner.js');
    }
    return runner;
}
