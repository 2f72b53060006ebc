import type * as fabricGateway from '@hyperledger/fabric-gateway';
import { common } from '@hyperledger/fabric-protos';
import { describe, expect, it } from 'vitest';
import { PeerHeights } from './peer-heights';

/** A peer as PeerHeights sees it: its chain height (qscc), then the blocks it commits. */
class FakePeer {
    height = 5;
    #push: ((block: { getNumber(): number }) => void) | undefined;

    gateway(): fabricGateway.Gateway {
        const network = {
            getContract: () => ({
                evaluate: async () => {
                    const info = new common.BlockchainInfo();
                    info.setHeight(this.height);
                    return info.serializeBinary();
                },
            }),
            getFilteredBlockEvents: async () => {
                const queue: { getNumber(): number }[] = [];
                let wake: (() => void) | undefined;
                let closed = false;
                this.#push = (block) => {
                    queue.push(block);
                    wake?.();
                };
                return {
                    close: () => {
                        closed = true;
                        wake?.();
                    },
                    async *[Symbol.asyncIterator]() {
                        while (!closed) {
                            const next = queue.shift();
                            if (next) {
                                yield next;
                            } else {
                                await new Promise<void>((resolve) => (wake = resolve));
                            }
                        }
                    },
                };
            },
        };
        return { getNetwork: () => network } as unknown as fabricGateway.Gateway;
    }

    commit(): void {
        this.#push?.({ getNumber: () => this.height });
        this.height += 1;
    }
}

const settled = (promise: Promise<void>) =>
    Promise.race([promise.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 50))]);

describe('PeerHeights', () => {
    it('resolves once every organization’s peer has committed the block, not when the first has', async () => {
        const peers = { RegulatorMSP: new FakePeer(), CourtMSP: new FakePeer() };
        const heights = new PeerHeights(
            Object.keys(peers),
            async (mspId) => peers[mspId as keyof typeof peers].gateway(),
            'zhelian',
        );
        try {
            expect(await settled(heights.committedEverywhere(4n))).toBe(true);
            const waiting = heights.committedEverywhere(5n);
            peers.RegulatorMSP.commit();
            expect(await settled(waiting)).toBe(false);
            peers.CourtMSP.commit();
            expect(await settled(waiting)).toBe(true);
        } finally {
            heights.close();
        }
    });

    it('lets a waiter go when closed', async () => {
        const peer = new FakePeer();
        const heights = new PeerHeights(['RegulatorMSP'], async () => peer.gateway(), 'zhelian');
        const waiting = heights.committedEverywhere(9n);
        await new Promise((resolve) => setTimeout(resolve, 10));
        heights.close();
        expect(await settled(waiting)).toBe(true);
    });
});
