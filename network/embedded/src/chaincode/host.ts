import * as path from 'node:path';
import {
    ChaincodeRuntime,
    type ChaincodeIsolation,
    type ChaincodePeer,
    type ChaincodeRuntimeOptions,
} from './chaincode-runtime';
import { ChaincodeClosedError, ChaincodeStartError } from './errors';
import type { ChaincodeInvocation, ChaincodeResponse, ShimRequestHandler } from './handler';
import type { RunnerPool } from './runner-pool';

export type { ChaincodeIsolation, ChaincodePeer } from './chaincode-runtime';

/**
 * A deployed chaincode package as the peers run it, reached through the real Fabric shim
 * protocol. As in Fabric, every peer runs its own instance (a worker thread or process), whose
 * `CORE_PEER_LOCALMSPID` is that peer's MSP ID, so `ctx.stub.getMspID()` answers per peer.
 *
 * @example
 * ```ts
 * const org1 = { id: 'peer0.Org1MSP', mspId: 'Org1MSP' };
 * const host = await startChaincode({ name: 'basic', packageDir: 'chaincode/basic', peers: [org1] });
 * const response = await host.execute(org1, invocation, simulator);
 * if (response.status !== 200) throw new Error(response.message);
 * await host.close();
 * ```
 */
export interface ChaincodeHost {
    readonly name: string;
    /**
     * Run one transaction on one peer's instance of the chaincode (started if it is not running).
     *
     * Rejects with `ChaincodeTimeoutError`, `ChaincodeCrashedError`, `ChaincodeExecutionError`,
     * `DuplicateExecutionError`, `ChaincodeStartError` (when a (re)start fails) or `ChaincodeClosedError`.
     * A chaincode that throws is not a rejection: it resolves with status 500 and its message.
     */
    execute(
        peer: ChaincodePeer,
        invocation: ChaincodeInvocation,
        handler: ShimRequestHandler,
    ): Promise<ChaincodeResponse>;
    /**
     * Starts a peer's instance ahead of its first execution (resolves once it has loaded), as a
     * gateway does for the peers it expects to ask; rejects as `execute` would for a failed start.
     */
    start(peer: ChaincodePeer): Promise<void>;
    /** Stops every peer's instance; executions in flight fail with `ChaincodeClosedError`. */
    close(): Promise<void>;
}

/** How to start a chaincode host. */
export interface ChaincodeHostOptions {
    /** The chaincode name: the ledger namespace and the id the chaincode registers with. */
    name: string;
    /** A Node chaincode package: a directory whose package.json `main` exports `contracts`. */
    packageDir: string;
    /**
     * The peers that run the chaincode (at least one), each its own instance. The first peer's
     * instance starts with the host, so that a package that cannot load fails here; every other
     * peer's, listed or not, starts on its first execution (as a Fabric peer launches a
     * chaincode on its first invocation) or when `start` asks for it ahead.
     */
    peers: ChaincodePeer[];
    /**
     * Where each peer's instance of the chaincode runs: either way in its own V8 isolate with its
     * own `global` (so fabric-contract-api's metadata stays per chaincode and no state leaks from
     * one peer's instance to another's), with the same errors, and restarted on next use after it
     * crashed or was killed. Default `worker`.
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
    /** How long loading the package and registering with the peer may take. Default 10000. */
    startTimeoutMs?: number;
    /**
     * Extra environment for the chaincode (e.g. `CORE_CHAINCODE_LOGGING_LEVEL`), over a copy of
     * this process's. `CORE_PEER_LOCALMSPID` is always the peer's MSP ID.
     */
    env?: Record<string, string>;
    /** Query results per batch sent to the shim (Fabric's `maxResultLimit`). Default 100. */
    batchSize?: number;
    /** Most results one query may return (Fabric's `ledger.state.totalQueryLimit`). Default 100000. */
    totalQueryLimit?: number;
    /** Receives the chaincode's stdout and stderr. Default: written to this process's stderr. */
    output?: (text: string) => void;
    /**
     * Worker-thread runners started ahead (a {@link RunnerPool}): an instance takes one when it
     * can, and skips most of its start.
     */
    runners?: RunnerPool;
}

/**
 * Starts a chaincode package for its peers, each in its own worker thread (or child process) —
 * the first peer's now, the others' on first use — and resolves once the first has loaded;
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
        ...(options.runners ? { runners: options.runners } : {}),
    });
    const [first] = options.peers;
    if (!first) {
        throw new ChaincodeStartError(
            options.name,
            path.resolve(options.packageDir),
            'no peer was given to run it',
            '',
        );
    }
    try {
        await host.runtime(first);
    } catch (err) {
        await host.close();
        throw err;
    }
    return host;
}

/** One runtime per peer, each restarted on its peer's next execution after it crashed or was killed. */
class ChaincodeHostImpl implements ChaincodeHost {
    readonly name: string;
    readonly #options: ChaincodeRuntimeOptions;
    readonly #runtimes = new Map<string, ChaincodeRuntime>();
    readonly #starting = new Map<string, Promise<ChaincodeRuntime>>();
    #closed = false;

    constructor(options: ChaincodeRuntimeOptions) {
        this.name = options.name;
        this.#options = options;
    }

    /** The peer's running instance, started (or restarted) if needed. */
    runtime(peer: ChaincodePeer): Promise<ChaincodeRuntime> {
        const running = this.#runtimes.get(peer.id);
        if (running?.alive) {
            return Promise.resolve(running);
        }
        let starting = this.#starting.get(peer.id);
        if (!starting) {
            starting = ChaincodeRuntime.start(this.#options, peer)
                .then((started) => {
                    this.#runtimes.set(peer.id, started);
                    return started;
                })
                .finally(() => this.#starting.delete(peer.id));
            this.#starting.set(peer.id, starting);
        }
        return starting;
    }

    async start(peer: ChaincodePeer): Promise<void> {
        if (!this.#closed) {
            await this.runtime(peer);
        }
    }

    async execute(
        peer: ChaincodePeer,
        invocation: ChaincodeInvocation,
        handler: ShimRequestHandler,
    ): Promise<ChaincodeResponse> {
        if (this.#closed) {
            throw new ChaincodeClosedError(this.name, invocation.txId);
        }
        const running = await this.runtime(peer);
        if (this.#closed) {
            throw new ChaincodeClosedError(this.name, invocation.txId);
        }
        return running.execute(invocation, handler);
    }

    async close(): Promise<void> {
        this.#closed = true;
        await Promise.all([...this.#starting.values()].map((starting) => starting.catch(() => undefined)));
        await Promise.all([...this.#runtimes.values()].map((runtime) => runtime.close()));
    }
}
