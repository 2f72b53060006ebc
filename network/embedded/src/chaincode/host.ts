import * as path from 'node:path';
import { ChaincodeRuntime, type ChaincodeIsolation, type ChaincodeRuntimeOptions } from './chaincode-runtime';
import { ChaincodeClosedError } from './errors';
import type { ChaincodeInvocation, ChaincodeResponse, ShimRequestHandler } from './handler';

export type { ChaincodeIsolation } from './chaincode-runtime';

/**
 * A running chaincode package, reached through the real Fabric shim protocol.
 *
 * @example
 * ```ts
 * const host = await startChaincode({ name: 'basic', packageDir: 'chaincode/basic' });
 * const response = await host.execute('peer0.org1', invocation, simulator);
 * if (response.status !== 200) throw new Error(response.message);
 * await host.close();
 * ```
 */
export interface ChaincodeHost {
    readonly name: string;
    /**
     * Run one transaction; `peerId` names the (simulated) peer: each peer has its own shim stream
     * to the chaincode, as several peers connect to one chaincode-as-a-service server.
     *
     * Rejects with `ChaincodeTimeoutError`, `ChaincodeCrashedError`, `ChaincodeExecutionError`,
     * `DuplicateExecutionError`, `ChaincodeStartError` (when a restart fails) or `ChaincodeClosedError`.
     * A chaincode that throws is not a rejection: it resolves with status 500 and its message.
     */
    execute(peerId: string, invocation: ChaincodeInvocation, handler: ShimRequestHandler): Promise<ChaincodeResponse>;
    /** Stops the chaincode's worker thread or process; executions in flight fail with `ChaincodeClosedError`. */
    close(): Promise<void>;
}

/** How to start a chaincode host. */
export interface ChaincodeHostOptions {
    /** The chaincode name: the ledger namespace and the id the chaincode registers with. */
    name: string;
    /** A Node chaincode package: a directory whose package.json `main` exports `contracts`. */
    packageDir: string;
    /**
     * Where the chaincode runs: either way in its own V8 isolate with its own `global` (so
     * fabric-contract-api's metadata stays per chaincode), with the same errors, and restarted
     * on next use after it crashed or was killed. Default `worker`.
     *
     * - `worker`: a worker thread of this process. The default because it is faster and smaller:
     *   measured on the benchmark chaincode (2 shared cores), a sequential put took 0.8 ms instead
     *   of 1.0–1.1 ms, starting took 220 ms instead of 300 ms and the host plus chaincode peaked at
     *   195 MB instead of 257 MB RSS; throughput at concurrency 64 was the same (~4000/s). The
     *   chaincode shares this process's working directory and memory: `process.exit()` ends only
     *   its thread, but a native addon that crashes ends the whole process.
     * - `process`: a child process whose working directory is the package directory. Choose it
     *   for chaincode you do not trust with this process (native addons, `process.chdir()`,
     *   files read relative to the working directory).
     */
    isolation?: ChaincodeIsolation;
    /** How long one execution may take (Fabric's `chaincode.executetimeout`). Default 30000. */
    executionTimeoutMs?: number;
    /** How long loading the package, and each peer's registration, may take. Default 10000. */
    startTimeoutMs?: number;
    /** Extra environment for the chaincode (e.g. `CORE_CHAINCODE_LOGGING_LEVEL`), over a copy of this process's. */
    env?: Record<string, string>;
    /** Query results per batch sent to the shim (Fabric's `maxResultLimit`). Default 100. */
    batchSize?: number;
    /** Most results one query may return (Fabric's `ledger.state.totalQueryLimit`). Default 100000. */
    totalQueryLimit?: number;
    /** Receives the chaincode's stdout and stderr. Default: written to this process's stderr. */
    output?: (text: string) => void;
}

/**
 * Starts a chaincode package in its own worker thread (or child process) and resolves once it has loaded;
 * fails with `ChaincodeStartError` when it cannot.
 */
export async function startChaincode(options: ChaincodeHostOptions): Promise<ChaincodeHost> {
    const host = new ChaincodeHostImpl({
        name: options.name,
        packageDir: path.resolve(options.packageDir),
        isolation: options.isolation ?? 'worker',
        executionTimeoutMs: options.executionTimeoutMs ?? 30_000,
        startTimeoutMs: options.startTimeoutMs ?? 10_000,
        batchSize: options.batchSize ?? 100,
        totalQueryLimit: options.totalQueryLimit ?? 100_000,
        env: options.env ?? {},
        output: options.output ?? ((text) => process.stderr.write(text)),
    });
    await host.start();
    return host;
}

/** Restarts the chaincode on the next execution after it crashed or was killed. */
class ChaincodeHostImpl implements ChaincodeHost {
    readonly name: string;
    readonly #options: ChaincodeRuntimeOptions;
    #runtime: ChaincodeRuntime | undefined;
    #starting: Promise<ChaincodeRuntime> | undefined;
    #closed = false;

    constructor(options: ChaincodeRuntimeOptions) {
        this.name = options.name;
        this.#options = options;
    }

    start(): Promise<ChaincodeRuntime> {
        this.#starting ??= ChaincodeRuntime.start(this.#options)
            .then((started) => {
                this.#runtime = started;
                return started;
            })
            .finally(() => {
                this.#starting = undefined;
            });
        return this.#starting;
    }

    async execute(
        peerId: string,
        invocation: ChaincodeInvocation,
        handler: ShimRequestHandler,
    ): Promise<ChaincodeResponse> {
        if (this.#closed) {
            throw new ChaincodeClosedError(this.name, invocation.txId);
        }
        const running = this.#runtime?.alive ? this.#runtime : await this.start();
        if (this.#closed) {
            throw new ChaincodeClosedError(this.name, invocation.txId);
        }
        return running.execute(peerId, invocation, handler);
    }

    async close(): Promise<void> {
        this.#closed = true;
        await this.#starting?.catch(() => undefined);
        await this.#runtime?.close();
    }
}
