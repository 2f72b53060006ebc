import { existsSync } from 'node:fs';
import { ChaincodeClosedError, ChaincodeCrashedError, ChaincodeStartError, type ChaincodeHostError } from './errors';
import type { ChaincodeInvocation, ChaincodeResponse, ShimRequestHandler } from './handler';
import { FrameBatcher, type FromRunner } from './ipc';
import { PeerStream } from './peer-stream';
import { forkRunner } from './process-transport';
import type { RunnerPool } from './runner-pool';
import type { RunnerExit, RunnerFactory, RunnerTransport } from './runner-transport';
import { startWorkerRunner } from './worker-transport';

/** Where a chaincode runs: a worker thread of this process, or a child process. */
export type ChaincodeIsolation = 'worker' | 'process';

/**
 * A (simulated) peer that runs a chaincode. As in Fabric, each peer runs its own instance of the
 * chaincode, which reads the peer's MSP ID from `CORE_PEER_LOCALMSPID` (`ctx.stub.getMspID()`).
 */
export interface ChaincodePeer {
    /** Names the peer in messages and keys its runtime, e.g. `peer0.Org1MSP`. */
    id: string;
    mspId: string;
}

/** Everything one chaincode runtime needs; defaults are applied by `startChaincode`. */
export interface ChaincodeRuntimeOptions {
    name: string;
    packageDir: string;
    isolation: ChaincodeIsolation;
    executionTimeoutMs: number;
    startTimeoutMs: number;
    batchSize: number;
    totalQueryLimit: number;
    env: Record<string, string>;
    output: (text: string) => void;
    /** Runners started ahead, which an instance takes one of when it can (see {@link RunnerPool}). */
    runners?: RunnerPool;
}

const OUTPUT_TAIL_CHARS = 4000;

const TRANSPORTS: Record<ChaincodeIsolation, RunnerFactory> = {
    worker: startWorkerRunner,
    process: forkRunner,
};

/**
 * One lifetime of one peer's instance of a chaincode (a worker thread or child process whose
 * environment names the peer's MSP ID): starts it, connects the peer's {@link PeerStream}, and
 * fails the executions in flight when the runner ends. A runner that does not answer a ping
 * within the execution timeout (its event loop is blocked) is killed.
 */
export class ChaincodeRuntime {
    readonly #options: ChaincodeRuntimeOptions;
    readonly #peer: ChaincodePeer;
    readonly #transport: RunnerTransport;
    #stream: PeerStream | undefined;
    readonly #exited: Promise<RunnerExit>;
    #markExited!: (exit: RunnerExit) => void;
    #outputTail = '';
    #alive = true;
    #closing = false;
    #probing = false;
    readonly #pings = new Map<number, () => void>();
    #nextPingId = 0;
    #killReason: string | undefined;
    /** Set while loading: the runner's answer to loading the package. */
    #onLoad: ((message: FromRunner) => void) | undefined;
    readonly #outgoing = new FrameBatcher((frames) => this.#transport.send({ kind: 'shim', frames }));

    private constructor(options: ChaincodeRuntimeOptions, peer: ChaincodePeer) {
        this.#options = options;
        this.#peer = peer;
        this.#exited = new Promise((resolve) => {
            this.#markExited = resolve;
        });
        const launch = {
            config: { name: options.name, packageDir: options.packageDir },
            env: chaincodeEnvironment({ name: options.name, mspId: peer.mspId }, options.env),
        };
        const events = {
            message: (message: FromRunner) => this.#receive(message),
            output: (text: string) => {
                this.#outputTail = (this.#outputTail + text).slice(-OUTPUT_TAIL_CHARS);
                options.output(text);
            },
            exit: (exit: RunnerExit) => this.#ended(exit),
        };
        this.#transport =
            (options.isolation === 'worker' ? options.runners?.take(launch, events) : undefined) ??
            TRANSPORTS[options.isolation](launch, events);
    }

    /**
     * Starts the peer's runner and waits until the package is loaded and has registered with the
     * peer (or fails with {@link ChaincodeStartError}).
     */
    static async start(options: ChaincodeRuntimeOptions, peer: ChaincodePeer): Promise<ChaincodeRuntime> {
        if (!existsSync(options.packageDir)) {
            throw new ChaincodeStartError(options.name, options.packageDir, 'no such directory', '');
        }
        const started = new ChaincodeRuntime(options, peer);
        await started.#loaded();
        await started.#connect().registered;
        return started;
    }

    get alive(): boolean {
        return this.#alive;
    }

    execute(invocation: ChaincodeInvocation, handler: ShimRequestHandler): Promise<ChaincodeResponse> {
        if (!this.#stream) {
            return Promise.reject(new ChaincodeClosedError(this.#options.name, invocation.txId));
        }
        return this.#stream.execute(invocation, handler);
    }

    /** Ends the runner; executions in flight fail with {@link ChaincodeClosedError}. */
    async close(): Promise<void> {
        if (this.#alive) {
            this.#closing = true;
            await this.#transport.close();
        }
    }

    #loaded(): Promise<void> {
        const { name, packageDir, startTimeoutMs } = this.#options;
        return new Promise<void>((resolve, reject) => {
            let reason = '';
            const fail = (exit: RunnerExit) => {
                const why = reason || `the chaincode ${this.#transport.kind} ${describeLoadExit(exit)}`;
                reject(new ChaincodeStartError(name, packageDir, why, this.#outputTail.trim()));
            };
            const timer = setTimeout(() => {
                reason = `the package did not load within ${startTimeoutMs} ms`;
                this.#transport.kill();
            }, startTimeoutMs);
            // Until loaded, an exit is a start failure, reported once the runner's last output is in.
            void this.#exited.then((exit) => {
                if (this.#onLoad) {
                    this.#onLoad = undefined;
                    clearTimeout(timer);
                    fail(exit);
                }
            });
            this.#onLoad = (message) => {
                if (message.kind === 'loaded') {
                    this.#onLoad = undefined;
                    clearTimeout(timer);
                    resolve();
                } else if (message.kind === 'load-failed') {
                    reason = message.message;
                }
            };
        });
    }

    #connect(): PeerStream {
        const peerId = this.#peer.id;
        const stream = new PeerStream(peerId, {
            chaincodeName: this.#options.name,
            executionTimeoutMs: this.#options.executionTimeoutMs,
            batchSize: this.#options.batchSize,
            totalQueryLimit: this.#options.totalQueryLimit,
            send: (bytes) => this.#outgoing.add(peerId, bytes),
            onTimeout: () => void this.#probe(),
        });
        this.#stream = stream;
        const { name, packageDir, startTimeoutMs } = this.#options;
        const timer = setTimeout(() => {
            stream.abort(
                () =>
                    new ChaincodeStartError(
                        name,
                        packageDir,
                        `the chaincode did not register with peer ${peerId} within ${startTimeoutMs} ms`,
                        this.#outputTail.trim(),
                    ),
            );
            this.#transport.kill();
        }, startTimeoutMs);
        void stream.registered.then(
            () => clearTimeout(timer),
            () => clearTimeout(timer),
        );
        this.#transport.send({ kind: 'connect', peerId });
        return stream;
    }

    #receive(message: FromRunner): void {
        if (message.kind === 'shim') {
            for (const frame of message.frames) {
                this.#stream?.receive(frame.bytes);
            }
        } else if (message.kind === 'pong') {
            this.#pings.get(message.id)?.();
        } else {
            this.#onLoad?.(message);
        }
    }

    /** After a timeout: kill the runner if its event loop cannot answer a ping in time. */
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
            this.#transport.send({ kind: 'ping', id });
        });
        this.#pings.delete(id);
        this.#probing = false;
        if (!answered && this.#alive) {
            this.#killReason = `killed by the host: it did not answer within ${timeoutMs} ms`;
            this.#transport.kill();
        }
    }

    /** The runner ended: fail every execution in flight (closed, or crashed). */
    #ended(exit: RunnerExit): void {
        this.#alive = false;
        const { name } = this.#options;
        const stream = this.#stream;
        let errorFor: (txId?: string) => ChaincodeHostError;
        if (this.#closing) {
            errorFor = (txId) => new ChaincodeClosedError(name, txId);
        } else {
            const txIds = stream?.txIds ?? [];
            const crashed = new ChaincodeCrashedError(
                name,
                exit.code,
                exit.signal,
                txIds,
                this.#killReason,
                this.#transport.kind,
            );
            errorFor = () => crashed;
        }
        stream?.abort(errorFor);
        this.#stream = undefined;
        this.#markExited(exit);
    }
}

function describeLoadExit({ code, signal }: RunnerExit): string {
    if (signal) {
        return `was killed by ${signal} while loading`;
    }
    return code === null ? 'could not be started' : `exited with code ${code} while loading`;
}

/**
 * The environment of a peer's instance of a chaincode: this process's, Fabric's default chaincode
 * log level lowered, the chaincode's name, `extra`, and the peer's MSP ID. Without a chaincode
 * and peer: what every instance's environment shares (a pooled runner's, until it is taken).
 */
export function chaincodeEnvironment(
    instance?: { name: string; mspId: string },
    extra: Record<string, string> = {},
): Record<string, string | undefined> {
    return {
        ...process.env,
        // Fabric's default chaincode log level is INFO, which logs every transaction: too slow here.
        CORE_CHAINCODE_LOGGING_LEVEL: 'WARNING',
        ...(instance ? { CORE_CHAINCODE_ID_NAME: instance.name } : {}),
        ...extra,
        // Set at start, as a Fabric peer sets it for its chaincode: module code may read it on load.
        ...(instance ? { CORE_PEER_LOCALMSPID: instance.mspId } : {}),
    };
}
