/**
 * The signing thread's side (see `ecdsa-thread.ts`): runs each batch of signatures and checks in
 * order and answers with one message per batch.
 */
import type { KeyObject } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { signLowS, verifyLowS } from './ecdsa';
import type { EcdsaBatch, EcdsaOutcome, EcdsaResults } from './ecdsa-thread';

const keys = new Map<number, KeyObject>();

function run(batch: EcdsaBatch): EcdsaResults {
    for (const [id, key] of batch.keys) {
        keys.set(id, key);
    }
    const outcomes = batch.operations.map((operation): EcdsaOutcome => {
        const key = keys.get(operation.key);
        try {
            if (!key) {
                throw new Error(`no key ${operation.key} on the signing thread`);
            }
            return operation.kind === 'sign'
                ? signLowS(key, operation.message)
                : verifyLowS(key, operation.message, operation.signature);
        } catch (error) {
            return { error: error instanceof Error ? error.message : String(error) };
        }
    });
    return { batch: batch.batch, outcomes };
}

parentPort?.on('message', (batch: EcdsaBatch) => parentPort?.postMessage(run(batch)));
