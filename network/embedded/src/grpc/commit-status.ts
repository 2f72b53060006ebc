import type { PeerContext } from './peer-context';

/** Where and how a transaction committed. */
export interface TransactionStatus {
    code: number;
    blockNumber: number;
}

/**
 * A transaction's validation code and block, as Fabric's gateway finds it (commit/finder.go):
 * from the ledger when it has committed, else when its block commits. Listening starts before
 * the ledger is asked, so a commit in between is not missed. Undefined when `call` is
 * cancelled first (the client gave up).
 *
 * ```ts
 * const found = await transactionStatus(context, txId, call); // { code: 0, blockNumber: 7 }
 * ```
 */
export async function transactionStatus(
    context: PeerContext,
    txId: string,
    call: { on(event: 'cancelled', listener: () => void): unknown },
): Promise<TransactionStatus | undefined> {
    const commits = await context.deliver.subscribe(undefined, (committed) =>
        committed.transactions
            .filter((transaction) => transaction.txId === txId)
            .map((transaction) => ({ code: transaction.code, blockNumber: committed.block.header.number })),
    );
    try {
        const location = await context.store.getTxLocation(txId);
        if (location) {
            return { code: location.code, blockNumber: location.blockNum };
        }
        call.on('cancelled', () => commits.close());
        for await (const status of commits) {
            return status;
        }
        return undefined;
    } finally {
        commits.close();
    }
}
