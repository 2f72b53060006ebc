import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { ChaincodeClosedError, ChaincodeCrashedError, ChaincodeStartError, type ChaincodeHostError } from './errors';
import type { ChaincodeInvocation, ChaincodeResponse, ShimRequestHandler } from './handler';
import { FrameBatcher, type FromRunner, type RunnerConfig, type ToRunner } from './ipc';
import { PeerStream } from './peer-stream';

/** Everything one chaincode process needs; defaults are applied by `startChaincode`. */
export interface ChaincodeProcessOptions {
    name: string;
    packageDir: string;
    executionTimeoutMs: number;
    startTimeoutMs: number;
    batchSize: number;
    totalQueryLimit: number;
    env: Record<string, string>;
    output: (text: string) => void;
}

const OUTPUT_TAIL_CHARS = 4000;
const CLOSE_GRACE_MS = 2000;

/**
 * One lifetime of a chaincode's child process: starts the runner, keeps one {@link PeerStream}
 * per peer, and fails the executions in flight when the process ends. A process that does not
 * answer a ping within the execution timeout (its event loop is blocked) is killed.
 */
export class ChaincodeProcess {
    readonly #options: ChaincodeProcessOptions;
    readonly #child: ChildProcess;
    readonly #streams = new Map<string, PeerStream>();
    readonly #exited: Promise<void>;
    #outputTail = '';
    #alive = true;
    #closing = false;
    #probing = false;
    readonly #pings = new Map<number, () => void>();
    #nextPingId = 0;
    #killReason: string | undefined;
    readonly #outgoing = new FrameBatcher((frames) => this.#send({ kind: 'shim', frames }));

    private constructor(options: ChaincodeProcessOptions) {
        this.#options = options;
        const config: RunnerConfig = { name: options.name, packageDir: options.packageDir };
        this.#child = fork(runnerPath(), [JSON.stringify(config)], {
            cwd: options.packageDir,
            // Fabric's default chaincode log level is INFO, which logs every transaction: too slow here.
            env: { ...process.env, CORE_CHAINCODE_LOGGING_LEVEL: 'WARNING', CORE_CHAINCODE_ID_NAME: options.name, ...options.env },
            execArgv: [],
            serialization: 'advanced',
            stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        });
        for (const output of [this.#child.stdout, this.#child.stderr]) {
            output?.setEncoding('utf8');
            output?.on('data', (text: string) => {
                this.#outputTail = (this.#outputTail + text).slice(-OUTPUT_TAIL_CHARS);
                options.output(text);
            });
        }
        this.#child.on('message', (message: FromRunner) => this.#receive(message));
        this.#exited = new Promise((resolve) => {
            const ended = (code: number | null, signal: NodeJS.Signals | null) => {
                if (this.#alive) {
                    this.#alive = false;
                    this.#failAll(code, signal);
                    resolve();
                }
            };
            this.#child.on('exit', ended);
            // A process that could not be spawned (e.g. no such directory) never emits 'exit'.
            this.#child.on('error', () => {
                if (this.#child.pid === undefined) {
                    ended(null, null);
                }
            });
        });
    }

    /** Forks the runner and waits until the package is loaded (or fails with {@link ChaincodeStartError}). */
    static async start(options: ChaincodeProcessOptions): Promise<ChaincodeProcess> {
        if (!existsSync(options.packageDir)) {
            throw new ChaincodeStartError(options.name, options.packageDir, 'no such directory', '');
        }
        const started = new ChaincodeProcess(options);
        await started.#loaded();
        return started;
    }

    get alive(): boolean {
        return this.#alive;
    }

    async execute(peerId: string, invocation: ChaincodeInvocation, handler: ShimRequestHandler): Promise<ChaincodeResponse> {
        const stream = this.#streams.get(peerId) ?? this.#connect(peerId);
        await stream.registered;
        return stream.execute(invocation, handler);
    }

    /** Ends the process; executions in flight fail with {@link ChaincodeClosedError}. */
    async close(): Promise<void> {
        if (this.#alive) {
            this.#closing = true;
            // The runner exits when its IPC channel closes; a blocked one is killed after a grace period.
            const kill = setTimeout(() => this.#child.kill('SIGKILL'), CLOSE_GRACE_MS);
            if (this.#child.connected) {
                this.#child.disconnect();
            } else {
                this.#child.kill('SIGKILL');
            }
            await this.#exited;
            clearTimeout(kill);
        }
    }

    #loaded(): Promise<void> {
        const { name, packageDir, startTimeoutMs } = this.#options;
        return new Promise<void>((resolve, reject) => {
            let reason = '';
            const fail = (why: string) => {
                // Wait for the process to end so that its last output is in the error.
                void this.#exited.then(() => reject(new ChaincodeStartError(name, packageDir, why, this.#outputTail.trim())));
            };
            const timer = setTimeout(() => {
                this.#child.off('message', onMessage);
                this.#child.off('exit', onExit);
                this.#child.kill('SIGKILL');
                fail(`the package did not load within ${startTimeoutMs} ms`);
            }, startTimeoutMs);
            const onMessage = (message: FromRunner) => {
                if (message.kind === 'loaded') {
                    clearTimeout(timer);
                    this.#child.off('exit', onExit);
                    this.#child.off('message', onMessage);
                    resolve();
                } else if (message.kind === 'load-failed') {
                    reason = message.message;
                }
            };
            const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
                clearTimeout(timer);
                this.#child.off('message', onMessage);
                fail(reason || `the chaincode process ${signal ? `was killed by ${signal}` : `exited with code ${code}`} while loading`);
            };
            this.#child.on('message', onMessage);
            this.#child.once('exit', onExit);
            this.#child.once('error', (error) => fail(error.message));
        });
    }

    #connect(peerId: string): PeerStream {
        const stream = new PeerStream(peerId, {
            chaincodeName: this.#options.name,
            executionTimeoutMs: this.#options.executionTimeoutMs,
            batchSize: this.#options.batchSize,
            totalQueryLimit: this.#options.totalQueryLimit,
            send: (bytes) => this.#outgoing.add(peerId, bytes),
            onTimeout: () => void this.#probe(),
        });
        this.#streams.set(peerId, stream);
        const { name, packageDir, startTimeoutMs } = this.#options;
        const timer = setTimeout(() => {
            // Forget the stream so that the next execution for this peer connects again.
            this.#streams.delete(peerId);
            stream.abort(
                () => new ChaincodeStartError(name, packageDir, `the chaincode did not register with peer ${peerId} within ${startTimeoutMs} ms`, this.#outputTail.trim()),
            );
        }, startTimeoutMs);
        void stream.registered.then(
            () => clearTimeout(timer),
            () => clearTimeout(timer),
        );
        this.#send({ kind: 'connect', peerId });
        return stream;
    }

    #receive(message: FromRunner): void {
        if (message.kind === 'shim') {
            for (const frame of message.frames) {
                this.#streams.get(frame.peerId)?.receive(frame.bytes);
            }
        } else if (message.kind === 'pong') {
            this.#pings.get(message.id)?.();
        }
    }

    #send(message: ToRunner): void {
        // A message to a process that is exiting is lost; its executions fail through the exit handler.
        if (this.#child.connected) {
            this.#child.send(message);
        }
    }

    /** After a timeout: kill the process if its event loop cannot answer a ping in time. */
    async #probe(): Promise<void> {
        if (this.#probing || !this.#alive) {
            return;
        }
        this.#probing = true;
        const id = this.#nextPingId++;
        const timeoutMs = this.#options.executionTimeoutMs;
        const answered = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), timeoutMs);
            this.#pings.set(id, () => {
                clearTimeout(timer);
                resolve(true);
            });
            this.#send({ kind: 'ping', id });
        });
        this.#pings.delete(id);
        this.#probing = false;
        if (!answered && this.#alive) {
            this.#killReason = `killed by the host: it did not answer within ${timeoutMs} ms`;
            this.#child.kill('SIGKILL');
        }
    }

    #failAll(code: number | null, signal: NodeJS.Signals | null): void {
        const { name } = this.#options;
        const streams = [...this.#streams.values()];
        let errorFor: (txId?: string) => ChaincodeHostError;
        if (this.#closing) {
            errorFor = (txId) => new ChaincodeClosedError(name, txId);
        } else {
            const crashed = new ChaincodeCrashedError(name, code, signal, streams.flatMap((stream) => stream.txIds), this.#killReason);
            errorFor = () => crashed;
        }
        for (const stream of streams) {
            stream.abort(errorFor);
        }
        this.#streams.clear();
    }
}

let runner: string | undefined;

function runnerPath(): string {
    if (!runner) {
        const beside = path.join(__dirname, 'runner.js');
        // Under vitest this module runs from src/, where only the compiled runner in dist/ exists.
        runner = existsSync(beside) ? beside : path.resolve(__dirname, '../../dist/chaincode/runner.js');
    }
    return runner;
}
