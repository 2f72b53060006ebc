import * as path from 'node:path';
import { ChaincodeProcess, type ChaincodeProcessOptions } from './chaincode-process';
import { ChaincodeClosedError } from './errors';
import type { ChaincodeInvocation, ChaincodeResponse, ShimRequestHandler } from './handler';

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
    /** Stops the chaincode process; executions in flight fail with `ChaincodeClosedError`. */
    close(): Promise<void>;
}

/** How to start a chaincode host. */
export interface ChaincodeHostOptions {
    /** The chaincode name: the ledger namespace and the id the chaincode registers with. */
    name: string;
    /** A Node chaincode package: a directory whose package.json `main` exports `contracts`. */
    packageDir: string;
    /** How long one execution may take (Fabric's `chaincode.executetimeout`). Default 30000. */
    executionTimeoutMs?: number;
    /** How long loading the package, and each peer's registration, may take. Default 10000. */
    startTimeoutMs?: number;
    /** Extra environment for the chaincode process (e.g. `CORE_CHAINCODE_LOGGING_LEVEL`). */
    env?: Record<string, string>;
    /** Query results per batch sent to the shim (Fabric's `maxResultLimit`). Default 100. */
    batchSize?: number;
    /** Most results one query may return (Fabric's `ledger.state.totalQueryLimit`). Default 100000. */
    totalQueryLimit?: number;
    /** Receives the chaincode's stdout and stderr. Default: written to this process's stderr. */
    output?: (text: string) => void;
}

/**
 * Starts a chaincode package in its own child process and resolves once it has loaded;
 * fails with `ChaincodeStartError` when it cannot.
 */
export async function startChaincode(options: ChaincodeHostOptions): Promise<ChaincodeHost> {
    const host = new ChaincodeHostImpl({
        name: options.name,
        packageDir: path.resolve(options.packageDir),
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

/** Restarts the chaincode process on the next execution after it crashed or was killed. */
class ChaincodeHostImpl implements ChaincodeHost {
    readonly name: string;
    readonly #options: ChaincodeProcessOptions;
    #process: ChaincodeProcess | undefined;
    #starting: Promise<ChaincodeProcess> | undefined;
    #closed = false;

    constructor(options: ChaincodeProcessOptions) {
        this.name = options.name;
        this.#options = options;
    }

    start(): Promise<ChaincodeProcess> {
        this.#starting ??= ChaincodeProcess.start(this.#options)
            .then((started) => {
                this.#process = started;
                return started;
            })
            .finally(() => {
                this.#starting = undefined;
            });
        return this.#starting;
    }

    async execute(peerId: string, invocation: ChaincodeInvocation, handler: ShimRequestHandler): Promise<ChaincodeResponse> {
        if (this.#closed) {
            throw new ChaincodeClosedError(this.name, invocation.txId);
        }
        const running = this.#process?.alive ? this.#process : await this.start();
        if (this.#closed) {
            throw new ChaincodeClosedError(this.name, invocation.txId);
        }
        return running.execute(peerId, invocation, handler);
    }

    async close(): Promise<void> {
        this.#closed = true;
        await this.#starting?.catch(() => undefined);
        await this.#process?.close();
    }
}
