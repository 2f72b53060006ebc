import { setTimeout as sleep } from 'node:timers/promises';
import { CommitError, commitError, type Contract, validationCodeName } from '@zhelian/api';
import { CONFLICT_CODES, isEndorsementMismatch } from '../http/ledger-errors';
import { decodeResult } from '../http/json-form';
import type { CommittedEvents } from './committed-events';
import type { InFlight } from './in-flight';

/** A transaction's input as the routes gather it: positional arguments, private input, endorsers. */
export interface TransactionInput {
    args: string[];
    /** Fabric's transient map: reaches the chaincode, never the block. */
    transient?: Record<string, string>;
    /** Endorse (or evaluate) on these organizations' peers instead of the planned ones. */
    endorsingOrganizations?: string[];
}

/** What a committed transaction answers over HTTP. */
export interface TransactionOutcome {
    txId: string;
    blockNumber: number;
    validationCode: number;
    validationCodeName: string;
    /** The chaincode's answer: parsed JSON where it is JSON (see `decodeResult`). */
    result: unknown;
    /** The chaincode event it emitted, delivered because it committed VALID. */
    event: { name: string; payload: unknown } | null;
    /** How many times it was submitted: more than 1 after MVCC or phantom-read conflicts. */
    attempts: number;
}

export interface Submitted {
    outcome: TransactionOutcome;
    /** The result's exact bytes. */
    result: Uint8Array;
}

export interface TransactionRunnerOptions {
    /** Resubmissions after an MVCC or phantom-read conflict, or differing endorsements, before answering 409; default 3. */
    conflictRetries?: number;
}

/**
 * Submits and evaluates on behalf of requests. A submission waits for its block; one that lost an
 * MVCC or phantom-read race, or whose endorsers read different states (peers at different heights
 * while blocks commit), is endorsed and submitted again (against the newer state, so the chaincode
 * re-checks its rules) a bounded number of times, then refused.
 *
 * ```ts
 * const { outcome } = await runner.submit(contract, 'reimburseReceipt', { args: ['33010125', '1'] });
 * outcome.blockNumber; // the block it committed in
 * ```
 */
export class TransactionRunner {
    readonly #events: CommittedEvents;
    readonly #inFlight: InFlight;
    readonly #conflictRetries: number;

    constructor(events: CommittedEvents, inFlight: InFlight, options: TransactionRunnerOptions = {}) {
        this.#events = events;
        this.#inFlight = inFlight;
        this.#conflictRetries = options.conflictRetries ?? 3;
    }

    submit(contract: Contract, name: string, input: TransactionInput): Promise<Submitted> {
        return this.#inFlight.run(async () => {
            for (let attempt = 1; ; attempt++) {
                try {
                    return await this.#submitOnce(contract, name, input, attempt);
                } catch (err) {
                    const conflict =
                        (err instanceof CommitError && CONFLICT_CODES.includes(err.validationCode)) ||
                        isEndorsementMismatch(err);
                    if (!conflict || attempt > this.#conflictRetries) {
                        throw err;
                    }
                    // A short, growing, jittered pause lets the conflicting transactions' block commit first.
                    await sleep(attempt * (5 + Math.random() * 20));
                }
            }
        });
    }

    evaluate(contract: Contract, name: string, input: TransactionInput): Promise<Uint8Array> {
        return this.#inFlight.run(() => contract.evaluate(name, proposalOptions(input)));
    }

    async #submitOnce(contract: Contract, name: string, input: TransactionInput, attempt: number): Promise<Submitted> {
        const submitted = await contract.submitAsync(name, proposalOptions(input));
        const status = await submitted.getStatus();
        if (!status.successful) {
            throw commitError(status);
        }
        const result = submitted.getResult();
        const event = await this.#events.eventOf(status.transactionId);
        return {
            result,
            outcome: {
                txId: status.transactionId,
                blockNumber: Number(status.blockNumber),
                validationCode: status.code,
                validationCodeName: validationCodeName(status.code),
                result: decodeResult(result),
                event: event && { name: event.eventName, payload: decodeResult(event.payload) },
                attempts: attempt,
            },
        };
    }
}

function proposalOptions(input: TransactionInput) {
    return {
        arguments: input.args,
        ...(input.transient ? { transientData: input.transient } : {}),
        ...(input.endorsingOrganizations ? { endorsingOrganizations: input.endorsingOrganizations } : {}),
    };
}
