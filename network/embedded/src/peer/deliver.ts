import type { CloseableAsyncIterable } from '@zhelian/api';
import type { Block } from '../ledger/block';
import type { CommittedBlock } from '../ledger/committer';
import { decodeResponsePayload, decodeTransaction } from '../ledger/fabric-transaction';
import type { LedgerStore } from '../ledger/store';
import { EventQueue } from './events';

/**
 * The peer's deliver service: committed blocks to whoever listens, replayed from a start block
 * out of the block store and then live, as Fabric's Deliver does for event clients.
 *
 * ```ts
 * const deliver = new Deliver(store);
 * orderer = new Orderer(committer, cutting, (block) => deliver.publish(block));
 * const numbers = await deliver.subscribe(0, (committed) => [committed.block.header.number]);
 * ```
 */
export class Deliver {
    readonly #store: LedgerStore;
    readonly #listeners = new Set<(block: CommittedBlock) => void>();

    constructor(store: LedgerStore) {
        this.#store = store;
    }

    /** Tells every listener that `block` committed. */
    publish(block: CommittedBlock): void {
        for (const listener of this.#listeners) {
            listener(block);
        }
    }

    /**
     * What `itemsOf` makes of each committed block: from `startBlock` when given (replayed from
     * the store), then live. Blocks that commit during the replay are held back and delivered
     * after it, so none is lost or repeated.
     */
    async subscribe<T>(
        startBlock: number | undefined,
        itemsOf: (block: CommittedBlock) => T[],
    ): Promise<CloseableAsyncIterable<T>> {
        let detach = (): void => undefined;
        const queue = new EventQueue<T>(() => detach());
        const deliver = (block: CommittedBlock): void => itemsOf(block).forEach((item) => queue.push(item));
        const backlog: CommittedBlock[] = [];
        let replaying = startBlock !== undefined;
        const listener = (block: CommittedBlock): void => {
            if (replaying) {
                backlog.push(block);
            } else {
                deliver(block);
            }
        };
        this.#listeners.add(listener);
        detach = () => this.#listeners.delete(listener);
        if (startBlock !== undefined) {
            let next = startBlock;
            for (; next < this.#store.height; next++) {
                const block = await this.#store.getBlock(next);
                if (block) {
                    deliver(committedFromStored(block));
                }
            }
            backlog.filter((block) => block.block.header.number >= next).forEach(deliver);
            replaying = false;
        }
        return queue;
    }
}

/** Rebuilds the committer's verdicts from a stored block, for replay. */
function committedFromStored(block: Block): CommittedBlock {
    return {
        block,
        headerHash: '',
        transactions: block.data.map((bytes, txNum) => {
            const envelope = decodeTransaction(bytes);
            const payload = decodeResponsePayload(envelope.responsePayload);
            return {
                txId: envelope.txId,
                txNum,
                code: block.metadata.validationCodes[txNum],
                chaincodeName: envelope.chaincodeName,
                ...(payload.event
                    ? {
                          event: {
                              chaincodeName: envelope.chaincodeName,
                              txId: envelope.txId,
                              eventName: payload.event.eventName,
                              payload: payload.event.payload,
                          },
                      }
                    : {}),
            };
        }),
    };
}
