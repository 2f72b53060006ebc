import type { BlockInfo, CloseableAsyncIterable, Explorer } from '@zhelian/api';

/** The chaincode event a committed transaction emitted, or `null`. */
export type TransactionEvent = { eventName: string; payload: Uint8Array } | null;

/**
 * The events of recently committed transactions, read from one live block stream. A submission
 * answers with its event: looking each one up by transaction id would read its whole block again
 * per transaction (a block of 64 read 64 times under load); here each block is read once. A
 * transaction the stream has not delivered within a moment is looked up by id instead.
 */
export class CommittedEvents {
    readonly #explorer: Explorer;
    readonly #limit: number;
    readonly #events = new Map<string, TransactionEvent>();
    readonly #waiting = new Map<string, ((event: TransactionEvent) => void)[]>();
    #stream: CloseableAsyncIterable<BlockInfo> | undefined;

    constructor(explorer: Explorer, limit = 10_000) {
        this.#explorer = explorer;
        this.#limit = limit;
    }

    /** Follows new blocks until {@link close}; a stream that cannot open leaves lookups by id. */
    async start(): Promise<void> {
        try {
            this.#stream = await this.#explorer.getBlocks();
        } catch {
            return;
        }
        void (async () => {
            try {
                for await (const block of this.#stream!) {
                    // Only valid transactions' events are delivered; only valid submissions are answered with one.
                    for (const tx of block.transactions.filter((candidate) => candidate.validationCode === 0)) {
                        this.#remember(
                            tx.txId,
                            tx.event && { eventName: tx.event.eventName, payload: tx.event.payload },
                        );
                    }
                }
            } catch {
                // The stream broke (the backend closed): lookups by id remain.
            }
        })();
    }

    /** The event of a transaction that has committed. */
    async eventOf(txId: string, waitMs = 1_000): Promise<TransactionEvent> {
        if (this.#events.has(txId)) {
            return this.#events.get(txId) ?? null;
        }
        if (this.#stream) {
            const delivered = await new Promise<TransactionEvent | undefined>((resolve) => {
                const timer = setTimeout(() => {
                    this.#forget(txId, deliver);
                    resolve(undefined);
                }, waitMs);
                const deliver = (event: TransactionEvent): void => {
                    clearTimeout(timer);
                    resolve(event);
                };
                this.#waiting.set(txId, [...(this.#waiting.get(txId) ?? []), deliver]);
            });
            if (delivered !== undefined) {
                return delivered;
            }
        }
        const tx = await this.#explorer.getTransaction(txId);
        return tx?.event ? { eventName: tx.event.eventName, payload: tx.event.payload } : null;
    }

    close(): void {
        this.#stream?.close();
    }

    #remember(txId: string, event: TransactionEvent): void {
        this.#events.set(txId, event);
        if (this.#events.size > this.#limit) {
            this.#events.delete(this.#events.keys().next().value as string);
        }
        const waiting = this.#waiting.get(txId);
        if (waiting) {
            this.#waiting.delete(txId);
            waiting.forEach((deliver) => deliver(event));
        }
    }

    #forget(txId: string, deliver: (event: TransactionEvent) => void): void {
        const rest = (this.#waiting.get(txId) ?? []).filter((candidate) => candidate !== deliver);
        if (rest.length > 0) {
            this.#waiting.set(txId, rest);
        } else {
            this.#waiting.delete(txId);
        }
    }
}
