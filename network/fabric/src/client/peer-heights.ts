import { common } from '@hyperledger/fabric-protos';
import type * as fabricGateway from '@hyperledger/fabric-gateway';

/** How long a submit waits for the slowest peer before it returns anyway (a peer may be down). */
const SETTLE_TIMEOUT_MS = 5_000;

/**
 * Each organization's peer's ledger height, followed through a filtered-block stream from that
 * peer. Fabric reports a commit from the client's own peer only; other organizations' peers commit
 * the same block a little later, and a proposal endorsed there meanwhile reads the state before it.
 * Zhelian's `submit` waits here until every peer has the block, so that what a transaction wrote is
 * what the next one reads on every peer, as on the embedded ledger (docs/fabric.md).
 *
 * ```ts
 * const heights = new PeerHeights(['RegulatorMSP', 'CourtMSP'], (mspId) => adminGateway(mspId), 'zhelian');
 * await heights.committedEverywhere(status.blockNumber);
 * ```
 */
export class PeerHeights {
    readonly #orgs: string[];
    readonly #gatewayOf: (mspId: string) => Promise<fabricGateway.Gateway>;
    readonly #channel: string;
    readonly #heights = new Map<string, bigint>();
    readonly #streams: fabricGateway.CloseableAsyncIterable<unknown>[] = [];
    #started: Promise<void> | undefined;
    #waiters: { blockNumber: bigint; resolve: () => void }[] = [];
    #closed = false;

    constructor(orgs: string[], gatewayOf: (mspId: string) => Promise<fabricGateway.Gateway>, channel: string) {
        this.#orgs = orgs;
        this.#gatewayOf = gatewayOf;
        this.#channel = channel;
    }

    /** Resolves once every organization's peer has committed `blockNumber`, or after a few seconds. */
    async committedEverywhere(blockNumber: bigint): Promise<void> {
        this.#started ??= this.#start().catch(() => undefined);
        await this.#started;
        if (this.#closed || this.#reached(blockNumber)) {
            return;
        }
        await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, SETTLE_TIMEOUT_MS);
            this.#waiters.push({
                blockNumber,
                resolve: () => {
                    clearTimeout(timer);
                    resolve();
                },
            });
        });
    }

    close(): void {
        this.#closed = true;
        this.#streams.forEach((stream) => stream.close());
        this.#waiters.forEach((waiter) => waiter.resolve());
        this.#waiters = [];
    }

    async #start(): Promise<void> {
        await Promise.all(this.#orgs.map((mspId) => this.#follow(mspId).catch(() => this.#retry(mspId))));
    }

    /** Reads the peer's height, then follows its blocks from there. */
    async #follow(mspId: string): Promise<void> {
        const network = (await this.#gatewayOf(mspId)).getNetwork(this.#channel);
        const info = common.BlockchainInfo.deserializeBinary(
            await network.getContract('qscc').evaluate('GetChainInfo', {
                arguments: [this.#channel],
                endorsingOrganizations: [mspId],
            }),
        );
        const height = BigInt(info.getHeight());
        this.#heights.set(mspId, height);
        this.#wake();
        const blocks = await network.getFilteredBlockEvents({ startBlock: height });
        this.#streams.push(blocks);
        void (async () => {
            try {
                for await (const block of blocks) {
                    this.#heights.set(mspId, BigInt(block.getNumber()) + 1n);
                    this.#wake();
                }
            } catch {
                // The stream broke (the peer restarted): follow it again, below.
            }
            this.#retry(mspId);
        })();
    }

    /** Follows the peer again a second later, unless closed; meanwhile waiters fall back to their timeout. */
    #retry(mspId: string): void {
        if (!this.#closed) {
            setTimeout(() => void this.#follow(mspId).catch(() => this.#retry(mspId)), 1_000).unref();
        }
    }

    #reached(blockNumber: bigint): boolean {
        return this.#orgs.every((mspId) => (this.#heights.get(mspId) ?? 0n) > blockNumber);
    }

    #wake(): void {
        const ready = this.#waiters.filter((waiter) => this.#reached(waiter.blockNumber));
        this.#waiters = this.#waiters.filter((waiter) => !ready.includes(waiter));
        ready.forEach((waiter) => waiter.resolve());
    }
}
