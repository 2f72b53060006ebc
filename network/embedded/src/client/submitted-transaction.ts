import type { Status, SubmittedTransaction } from '@zhelian/api';

export class SubmittedTransactionImpl implements SubmittedTransaction {
    readonly #txId: string;
    readonly #result: Uint8Array;
    readonly #status: Promise<Status>;

    constructor(txId: string, result: Uint8Array, status: Promise<Status>) {
        this.#txId = txId;
        this.#result = result;
        this.#status = status;
        // Reported through getStatus(); keep an unobserved rejection from crashing the process.
        status.catch(() => undefined);
    }

    getTransactionId(): string {
        return this.#txId;
    }

    getResult(): Uint8Array {
        return this.#result;
    }

    getStatus(): Promise<Status> {
        return this.#status;
    }
}
