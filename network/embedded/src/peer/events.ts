import type { CloseableAsyncIterable } from '@zhelian/api';

/**
 * A push-to-pull bridge: listeners push items, one consumer pulls them with `for await`.
 * Closing ends the iteration and detaches the producer.
 */
export class EventQueue<T> implements CloseableAsyncIterable<T> {
    readonly #items: T[] = [];
    #waiting: ((result: IteratorResult<T>) => void) | undefined;
    #closed = false;
    readonly #onClose: () => void;

    constructor(onClose: () => void = () => undefined) {
        this.#onClose = onClose;
    }

    push(item: T): void {
        if (this.#closed) {
            return;
        }
        if (this.#waiting) {
            const resolve = this.#waiting;
            this.#waiting = undefined;
            resolve({ value: item, done: false });
        } else {
            this.#items.push(item);
        }
    }

    close(): void {
        if (this.#closed) {
            return;
        }
        this.#closed = true;
        this.#onClose();
        this.#waiting?.({ value: undefined, done: true });
        this.#waiting = undefined;
    }

    [Symbol.asyncIterator](): AsyncIterator<T> {
        return {
            next: () => {
                if (this.#items.length > 0) {
                    return Promise.resolve({ value: this.#items.shift() as T, done: false });
                }
                if (this.#closed) {
                    return Promise.resolve({ value: undefined, done: true });
                }
                return new Promise((resolve) => {
                    this.#waiting = resolve;
                });
            },
            return: () => {
                this.close();
                return Promise.resolve({ value: undefined, done: true });
            },
        };
    }
}
