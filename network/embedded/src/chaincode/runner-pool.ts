import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import type { RunnerEvents, RunnerLaunch, RunnerTransport } from './runner-transport';
import { RunnerWorker } from './worker-transport';

/** What a pooled runner learns only when it is taken: the chaincode it runs and its peer's MSP ID. */
const INSTANCE_VARIABLES = new Set(['CORE_CHAINCODE_ID_NAME', 'CORE_PEER_LOCALMSPID']);

/** How to start a {@link RunnerPool}. */
export interface RunnerPoolOptions {
    /** The fabric-shim (its entry file) that the pooled runners load ahead. */
    shimEntry: string;
    /** The environment they start with: what every instance's is, but for its chaincode's name and peer. */
    env: Record<string, string | undefined>;
    /** How many runners to start. */
    size: number;
    /** How long a runner that no instance took is kept before it is ended; default 60 s. */
    idleMs?: number;
}

/**
 * Worker-thread runners started ahead of need. Loading fabric-shim and fabric-contract-api is
 * most of a chaincode instance's start and does not depend on the package; these runners do it
 * while the ledger opens (issuing certificates, building the package), on a core that would
 * otherwise wait, and each is then taken by one peer's instance of a package that resolves the
 * same fabric-shim: it learns its chaincode's name and peer, and loads the package as a new
 * runner would. Each instance still has a runner of its own; an instance the pool cannot serve
 * (another shim, another environment, no runner left) starts its own as before.
 *
 * ```ts
 * const pool = RunnerPool.start({ shimEntry: require.resolve('fabric-shim'), env: process.env, size: 3 });
 * const transport = pool.take(launch, events) ?? startWorkerRunner(launch, events);
 * ```
 */
export class RunnerPool {
    readonly #shimEntry: string;
    readonly #env: Record<string, string | undefined>;
    readonly #idle: RunnerWorker[] = [];
    #closed = false;
    /** Runners still to start (while the ledger opens, each waits for one before to load its shim). */
    #unstarted = 0;
    #opened = false;

    private constructor(options: RunnerPoolOptions) {
        this.#shimEntry = options.shimEntry;
        this.#env = options.env;
        void this.#spawn(options.size);
        setTimeout(() => void this.close(), options.idleMs ?? 60_000).unref();
    }

    /**
     * Starts the runners as the cores allow while the ledger opens: as many at once as there are
     * cores beside the one the opening ledger keeps busy, each next one when one of them has
     * loaded its shim (on two cores three starting at once left the ledger's own thread half a
     * core, and opening took longer by more than they saved); the rest once it is open.
     */
    async #spawn(count: number): Promise<void> {
        this.#unstarted = count;
        const atOnce = Math.min(count, Math.max(1, availableParallelism() - 1));
        await Promise.all(Array.from({ length: atOnce }, () => this.#spawnOneAfterAnother()));
    }

    async #spawnOneAfterAnother(): Promise<void> {
        while (this.#unstarted > 0 && !this.#closed) {
            const worker = this.#spawnOne();
            if (!this.#opened) {
                await worker.preloaded;
            }
        }
    }

    #spawnOne(): RunnerWorker {
        this.#unstarted--;
        const worker = new RunnerWorker({ shimEntry: this.#shimEntry }, this.#env);
        // Waiting to be taken, it does not keep the process alive: a ledger left open with nothing running lets it end.
        worker.keepsProcessAlive(false);
        this.#idle.push(worker);
        // One that ended while idle (e.g. a shim that cannot load) is no longer offered.
        void worker.exited.then(() => this.#remove(worker));
        return worker;
    }

    /** The ledger is open (its thread waits more than it works now): starts the runners still to start. */
    opened(): void {
        this.#opened = true;
        while (this.#unstarted > 0 && !this.#closed) {
            this.#spawnOne();
        }
    }

    static start(options: RunnerPoolOptions): RunnerPool {
        return new RunnerPool(options);
    }

    /** How many runners wait to be taken. */
    get idle(): number {
        return this.#idle.length;
    }

    /**
     * A pooled runner for `launch`, now loading its package and reporting to `events`; undefined
     * when none is left, or when the package resolves another fabric-shim or the environment
     * differs in more than the instance's own variables.
     */
    take(launch: RunnerLaunch, events: RunnerEvents): RunnerTransport | undefined {
        const env = this.#instanceVariables(launch.env);
        if (!env || !this.#resolvesPooledShim(launch.config.packageDir)) {
            return undefined;
        }
        if (this.#idle.length === 0) {
            // All started are taken: this instance starts its own runner, in place of one not started yet.
            this.#unstarted = Math.max(0, this.#unstarted - 1);
            return undefined;
        }
        const worker = this.#idle.shift()!;
        if (worker.ended) {
            // Ended just now; its exit has not been taken off the pool yet.
            return this.take(launch, events);
        }
        worker.keepsProcessAlive(true);
        worker.listen(events);
        worker.send({ kind: 'load', config: launch.config, env });
        return worker;
    }

    /** Ends the runners nobody took, and starts no more. */
    async close(): Promise<void> {
        this.#closed = true;
        await Promise.all(this.#idle.splice(0).map((worker) => worker.close()));
    }

    #instanceVariables(env: Record<string, string | undefined>): Record<string, string> | undefined {
        const variables: Record<string, string> = {};
        for (const name of new Set([...Object.keys(env), ...Object.keys(this.#env)])) {
            const value = env[name];
            if (value === this.#env[name]) {
                continue;
            }
            if (!INSTANCE_VARIABLES.has(name) || value === undefined) {
                return undefined;
            }
            variables[name] = value;
        }
        return variables;
    }

    #resolvesPooledShim(packageDir: string): boolean {
        try {
            return createRequire(path.join(packageDir, 'package.json')).resolve('fabric-shim') === this.#shimEntry;
        } catch {
            // A package that resolves no shim fails to load; its own runner says so.
            return false;
        }
    }

    #remove(worker: RunnerWorker): void {
        const index = this.#idle.indexOf(worker);
        if (index >= 0) {
            this.#idle.splice(index, 1);
        }
    }
}
