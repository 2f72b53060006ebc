/**
 * Work in progress — requests being answered, ledger work (submissions waiting for their block,
 * evaluations) — counted so that a shutdown can wait for it: a transaction the server accepted is
 * finished, and answered, before the backend closes.
 */
export class InFlight {
    #count = 0;
    #idle: (() => void)[] = [];

    get count(): number {
        return this.#count;
    }

    async run<T>(work: () => Promise<T>): Promise<T> {
        const end = this.begin();
        try {
            return await work();
        } finally {
            end();
        }
    }

    /** Counts something in progress until the returned function is called (once). */
    begin(): () => void {
        this.#count++;
        let ended = false;
        return () => {
            if (ended) {
                return;
            }
            ended = true;
            if (--this.#count === 0) {
                this.#idle.splice(0).forEach((resolve) => resolve());
            }
        };
    }

    /** Resolves when nothing is in flight. */
    drained(): Promise<void> {
        return this.#count === 0 ? Promise.resolve() : new Promise((resolve) => this.#idle.push(resolve));
    }
}
