import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

/*
 * Every signature the network makes and checks — a client's proposal and transaction, each
 * peer's endorsement, the committer's checks of a block — runs on one signing thread, so that
 * they use another core while the event loop simulates, orders and commits. Requests made in one
 * turn of the event loop travel as one message and come back as one: a block's checks are one
 * round trip, and under load many endorsements share one.
 *
 * Measured against node's own asynchronous crypto.sign/verify, which queue each signature as a
 * job on libuv's thread pool: a job per signature woke a pool thread each time, which cost more
 * CPU per transaction, and much more on one core.
 */

/** What the main thread asks for, batch by batch; keys cross once, then go by number. */
export interface EcdsaBatch {
    batch: number;
    keys: [number, KeyObject][];
    operations: EcdsaOperation[];
}

export type EcdsaOperation =
    | { kind: 'sign'; key: number; message: Uint8Array }
    | { kind: 'verify'; key: number; message: Uint8Array; signature: Uint8Array };

/** A DER signature, a verdict, or why the operation could not run. */
export type EcdsaOutcome = Uint8Array | boolean | { error: string };

export interface EcdsaResults {
    batch: number;
    outcomes: EcdsaOutcome[];
}

interface Pending {
    operation: EcdsaOperation;
    settle(outcome: EcdsaOutcome): void;
}

/** Signs `message` with a P-256 key on the signing thread: DER-encoded, low-S, as Fabric expects. */
export function signOffThread(privateKey: KeyObject, message: Uint8Array): Promise<Uint8Array> {
    return signingThread().run(privateKey, (key) => ({
        kind: 'sign',
        key,
        message: compact(message),
    })) as Promise<Uint8Array>;
}

/** Verifies a Fabric signature (see `verifyLowS`) on the signing thread. */
export function verifyOffThread(publicKey: KeyObject, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
    return signingThread().run(publicKey, (key) => ({
        kind: 'verify',
        key,
        message: compact(message),
        signature: compact(signature),
    })) as Promise<boolean>;
}

let shared: SigningThread | undefined;

function signingThread(): SigningThread {
    shared ??= new SigningThread();
    return shared;
}

/** A structured clone copies a view's whole buffer: give it just the view's bytes. */
function compact(bytes: Uint8Array): Uint8Array {
    return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

/** The worker thread, started on first use and again after it ended; it never keeps the process alive when idle. */
class SigningThread {
    #worker: Worker | undefined;
    #keyIds = new WeakMap<KeyObject, number>();
    #nextKeyId = 0;
    #newKeys: [number, KeyObject][] = [];
    #queued: Pending[] = [];
    readonly #inFlight = new Map<number, Pending[]>();
    #nextBatch = 0;

    run(key: KeyObject, operation: (keyId: number) => EcdsaOperation): Promise<EcdsaOutcome> {
        this.#started();
        let keyId = this.#keyIds.get(key);
        if (keyId === undefined) {
            keyId = this.#nextKeyId++;
            this.#keyIds.set(key, keyId);
            this.#newKeys.push([keyId, key]);
        }
        const pending = operation(keyId);
        return new Promise((resolve, reject) => {
            if (this.#queued.length === 0) {
                setImmediate(() => this.#flush());
            }
            this.#queued.push({
                operation: pending,
                settle: (outcome) =>
                    typeof outcome === 'object' && 'error' in outcome
                        ? reject(new Error(`the signing thread could not ${pending.kind}: ${outcome.error}`))
                        : resolve(outcome),
            });
        });
    }

    #flush(): void {
        const queued = this.#queued;
        if (queued.length === 0) {
            // The thread ended since they were queued, and they were told.
            return;
        }
        this.#queued = [];
        const worker = this.#started();
        const batch = this.#nextBatch++;
        this.#inFlight.set(batch, queued);
        if (this.#inFlight.size === 1) {
            worker.ref();
        }
        const message: EcdsaBatch = { batch, keys: this.#newKeys, operations: queued.map((p) => p.operation) };
        this.#newKeys = [];
        worker.postMessage(message);
    }

    #answered({ batch, outcomes }: EcdsaResults): void {
        const pending = this.#inFlight.get(batch) ?? [];
        this.#inFlight.delete(batch);
        if (this.#inFlight.size === 0) {
            this.#worker?.unref();
        }
        pending.forEach((p, i) => p.settle(outcomes[i]));
    }

    #started(): Worker {
        if (this.#worker) {
            return this.#worker;
        }
        const worker = new Worker(workerPath(), {
            execArgv: [],
            // Its messages are small and short-lived: a small young generation keeps its memory small.
            resourceLimits: { maxYoungGenerationSizeMb: 4 },
        });
        worker.on('message', (results: EcdsaResults) => this.#answered(results));
        worker.on('error', (error) => this.#ended(worker, error.message));
        worker.on('exit', (code) => this.#ended(worker, `it exited with code ${code}`));
        // After the listeners: a 'message' listener refs the worker again (Node 20), and a thread
        // started ahead of any signature (a ledger whose open then failed) would keep the process alive.
        worker.unref();
        this.#worker = worker;
        this.#keyIds = new WeakMap();
        this.#newKeys = [];
        return worker;
    }

    /** Fails everything sent to or queued for a thread that ended; the next request starts a new one. */
    #ended(worker: Worker, why: string): void {
        if (worker !== this.#worker) {
            return;
        }
        this.#worker = undefined;
        const failed = [...[...this.#inFlight.values()].flat(), ...this.#queued];
        this.#inFlight.clear();
        this.#queued = [];
        for (const pending of failed) {
            pending.settle({ error: `the signing thread ended: ${why}` });
        }
    }
}

let compiled: string | undefined;

/** The compiled worker script (under vitest this module runs from src/, where only dist/ has it). */
function workerPath(): string {
    if (!compiled) {
        const beside = path.join(__dirname, 'ecdsa-worker.js');
        compiled = existsSync(beside) ? beside : path.resolve(__dirname, '../../dist/msp/ecdsa-worker.js');
    }
    return compiled;
}
