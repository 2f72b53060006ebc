import { describe, expect, it } from 'vitest';
import type { TransactionEnvelope } from '../ledger/block';
import type { CommittedBlock, Committer, OrderedTransaction, PreparedBlock } from '../ledger/committer';
import { Orderer } from './orderer';

/**
 * The orderer's schedule, seen from a committer that records what it is asked and when: the
 * committer here is a stand-in, since what is tested is the order of the orderer's calls (the
 * real committer's verdicts are covered by the ledger's tests).
 */
class RecordingCommitter {
    readonly events: string[] = [];
    readonly #writes: (() => void)[] = [];

    prepare(transactions: OrderedTransaction[]): PreparedBlock {
        this.events.push(`prepare ${ids(transactions)}`);
        return { transactions, signatures: Promise.resolve([]) };
    }

    async commit({ transactions }: PreparedBlock): Promise<CommittedBlock> {
        this.events.push(`commit ${ids(transactions)}`);
        // Holds the block until the test lets it through, as a synced write would.
        await new Promise<void>((resolve) => this.#writes.push(resolve));
        this.events.push(`committed ${ids(transactions)}`);
        return {
            block: {} as CommittedBlock['block'],
            headerHash: '',
            transactions: transactions.map((tx, txNum) => ({
                txId: tx.envelope.txId,
                txNum,
                code: 0,
                chaincodeName: 'cc',
            })),
        };
    }

    /** Lets the oldest held block finish; resolves once the orderer has had a turn to react. */
    async release(): Promise<void> {
        this.#writes.shift()?.();
        await new Promise((resolve) => setImmediate(resolve));
    }

    get holding(): number {
        return this.#writes.length;
    }
}

const ids = (transactions: OrderedTransaction[]): string => transactions.map((tx) => tx.envelope.txId).join(',');
const transaction = (txId: string): OrderedTransaction => ({
    envelope: { txId } as TransactionEnvelope,
    privateWrites: [],
});

describe('orderer', () => {
    it('starts a block’s signature checks when it is cut, while the block before it is still committing', async () => {
        const committer = new RecordingCommitter();
        const orderer = new Orderer(
            committer as unknown as Committer,
            { maxTransactions: 2, timeoutMs: 1000 },
            () => {},
        );
        const committed = ['t1', 't2', 't3', 't4'].map((txId) => orderer.order(transaction(txId)));
        await new Promise((resolve) => setImmediate(resolve));

        // Both blocks are full, so both are cut at once; the second waits for the first to commit.
        expect(committer.events).toEqual(['prepare t1,t2', 'prepare t3,t4', 'commit t1,t2']);
        expect(committer.holding).toBe(1);

        await committer.release();
        expect(committer.events.slice(3)).toEqual(['committed t1,t2', 'commit t3,t4']);
        await committer.release();
        const results = await Promise.all(committed);
        expect(results.map((r) => r.transaction.txId)).toEqual(['t1', 't2', 't3', 't4']);
        expect(results.map((r) => r.transaction.txNum)).toEqual([0, 1, 0, 1]);
        await orderer.close();
    });
});
