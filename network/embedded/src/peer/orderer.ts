import type { BlockCutting } from '../topology';
import type {
    CommittedBlock,
    CommittedTransaction,
    Committer,
    OrderedTransaction,
    PreparedBlock,
} from '../ledger/committer';

interface Waiting {
    transaction: OrderedTransaction;
    resolve(result: { block: CommittedBlock; transaction: CommittedTransaction }): void;
    reject(err: Error): void;
}

/**
 * Cuts transactions into blocks and hands them to the committer one at a time, in order (each
 * block's signature checks start when it is cut, see `Committer.prepare`). A block
 * is cut when it is full, when its first transaction has waited `timeoutMs`, or (unless
 * `cutWhenIdle` is false) as soon as the committer is idle.
 */
export class Orderer {
    readonly #committer: Committer;
    readonly #cutting: BlockCutting;
    readonly #onBlock: (block: CommittedBlock) => void;
    #queue: Waiting[] = [];
    #timer: NodeJS.Timeout | undefined;
    #committing: Promise<void> = Promise.resolve();
    #busy = false;
    #cutScheduled = false;
    #closed = false;

    constructor(committer: Committer, cutting: BlockCutting, onBlock: (block: CommittedBlock) => void) {
        this.#committer = committer;
        this.#cutting = cutting;
        this.#onBlock = onBlock;
    }

    /** Resolves once the transaction's block is committed, with the committer's verdict. */
    order(transaction: OrderedTransaction): Promise<{ block: CommittedBlock; transaction: CommittedTransaction }> {
        if (this.#closed) {
            return Promise.reject(
                new Error(`the orderer is shut down; transaction ${transaction.envelope.txId} was not ordered`),
            );
        }
        return new Promise((resolve, reject) => {
            this.#queue.push({ transaction, resolve, reject });
            if (this.#queue.length >= this.#cutting.maxTransactions) {
                this.#cut();
            } else if (!this.#busy && this.#cutting.cutWhenIdle !== false) {
                this.#scheduleCut();
            } else if (!this.#timer) {
                this.#timer = setTimeout(() => this.#cut(), this.#cutting.timeoutMs);
            }
        });
    }

    /** Cuts what is pending and waits until every block is committed. */
    async close(): Promise<void> {
        this.#closed = true;
        this.#cut();
        await this.#committing;
    }

    /** Cut after the current turn of the event loop, so simultaneous arrivals share a block. */
    #scheduleCut(): void {
        if (!this.#cutScheduled) {
            this.#cutScheduled = true;
            setImmediate(() => {
                this.#cutScheduled = false;
                this.#cut();
            });
        }
    }

    #cut(): void {
        clearTimeout(this.#timer);
        this.#timer = undefined;
        if (this.#queue.length === 0) {
            return;
        }
        const batch = this.#queue.splice(0, this.#cutting.maxTransactions);
        if (this.#queue.length > 0 && !this.#timer) {
            this.#timer = setTimeout(() => this.#cut(), this.#cutting.timeoutMs);
        }
        this.#busy = true;
        const prepared = this.#committer.prepare(batch.map((w) => w.transaction));
        this.#committing = this.#committing.then(() => this.#commit(batch, prepared));
    }

    async #commit(batch: Waiting[], prepared: PreparedBlock): Promise<void> {
        let block: CommittedBlock;
        try {
            block = await this.#committer.commit(prepared);
        } catch (err) {
            for (const waiting of batch) {
                waiting.reject(err as Error);
            }
            this.#afterCommit();
            return;
        }
        this.#onBlock(block);
        batch.forEach((waiting, i) => waiting.resolve({ block, transaction: block.transactions[i] }));
        this.#afterCommit();
    }

    #afterCommit(): void {
        this.#busy = false;
        if (this.#queue.length === 0) {
            return;
        }
        if (this.#cutting.cutWhenIdle !== false || this.#queue.length >= this.#cutting.maxTransactions) {
            this.#cut();
        } else if (!this.#timer) {
            this.#timer = setTimeout(() => this.#cut(), this.#cutting.timeoutMs);
        }
    }
}
