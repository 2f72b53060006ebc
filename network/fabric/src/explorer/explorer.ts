import { common } from '@hyperledger/fabric-protos';
import type * as fabricGateway from '@hyperledger/fabric-gateway';
import {
    type BlockInfo,
    type ChainProblem,
    type ChainVerification,
    type CloseableAsyncIterable,
    type Explorer,
    type KeyModification,
    type TransactionInfo,
    TxValidationCode,
} from '@zhelian/api';
import { translated } from '../client/errors';
import { translatedIterable } from '../client/network';
import { blockDataHash, blockHeaderHash } from './block-hash';
import { describeBlock } from './block-decoder';

const BLOCK_CACHE_SIZE = 1000;

/**
 * The explorer of a Fabric channel, read through a peer: height, blocks and transactions from the
 * query system chaincode (qscc), live blocks from the deliver service, and two things Fabric's
 * peers do not offer outside chaincode, derived here from the blocks themselves:
 * - key history: every valid write of the key, found by reading the chain (cost grows with it);
 * - chain verification: every block's data hash and previous-block hash recomputed from the
 *   bytes the peer serves.
 */
export class FabricExplorer implements Explorer {
    readonly #reader: () => Promise<fabricGateway.Gateway>;
    readonly #channel: string;
    /** Committed blocks never change: the explorer keeps the last ones read (not for verification). */
    readonly #blocks = new Map<number, common.Block>();

    /** `reader` connects as an identity that may read the channel (its Readers policy). */
    constructor(reader: () => Promise<fabricGateway.Gateway>, channel: string) {
        this.#reader = reader;
        this.#channel = channel;
    }

    async getHeight(): Promise<number> {
        const bytes = await this.#qscc('GetChainInfo', this.#channel);
        return Number(common.BlockchainInfo.deserializeBinary(bytes).getHeight());
    }

    async getBlock(blockNumber: number): Promise<BlockInfo | undefined> {
        let block = this.#blocks.get(blockNumber);
        if (!block) {
            block = await this.#rawBlock(blockNumber);
            if (block) {
                this.#blocks.set(blockNumber, block);
                if (this.#blocks.size > BLOCK_CACHE_SIZE) {
                    this.#blocks.delete(this.#blocks.keys().next().value as number);
                }
            }
        }
        return block ? describeBlock(block) : undefined;
    }

    async getTransaction(txId: string): Promise<TransactionInfo | undefined> {
        let blockBytes: Uint8Array;
        try {
            blockBytes = await this.#qscc('GetBlockByTxID', this.#channel, txId);
        } catch (err) {
            if (/no such transaction|not found/i.test((err as Error).message)) {
                return undefined;
            }
            throw err;
        }
        const block = describeBlock(common.Block.deserializeBinary(blockBytes));
        return block.transactions.find((tx) => tx.txId === txId);
    }

    async getKeyHistory(chaincodeName: string, key: string): Promise<KeyModification[]> {
        const history: KeyModification[] = [];
        const height = await this.getHeight();
        for (let number = 0; number < height; number++) {
            const block = await this.getBlock(number);
            for (const tx of block?.transactions ?? []) {
                if (tx.validationCode !== TxValidationCode.VALID) {
                    continue;
                }
                for (const ns of tx.readWriteSets.filter((set) => set.namespace === chaincodeName)) {
                    for (const write of ns.writes.filter((w) => w.key === key)) {
                        history.push({
                            txId: tx.txId,
                            timestamp: tx.timestamp,
                            isDelete: write.isDelete,
                            value: write.isDelete ? new Uint8Array() : write.value,
                        });
                    }
                }
            }
        }
        return history.reverse();
    }

    async getBlocks(options: { startBlock?: number } = {}): Promise<CloseableAsyncIterable<BlockInfo>> {
        const gateway = await this.#reader();
        const network = gateway.getNetwork(this.#channel);
        const startBlock = options.startBlock === undefined ? undefined : BigInt(options.startBlock);
        const blocks = await translated(() => network.getBlockEvents(startBlock === undefined ? {} : { startBlock }));
        return translatedIterable(blocks, describeBlock);
    }

    async verifyChain(): Promise<ChainVerification> {
        const height = await this.getHeight();
        const problems: ChainProblem[] = [];
        let previousHeaderHash: Buffer | undefined;
        for (let number = 0; number < height; number++) {
            const block = await this.#rawBlock(number);
            const header = block?.getHeader();
            if (!block || !header) {
                problems.push({ blockNumber: number, reason: 'the peer did not return the block' });
                previousHeaderHash = undefined;
                continue;
            }
            if (!blockDataHash(block).equals(Buffer.from(header.getDataHash_asU8()))) {
                problems.push({ blockNumber: number, reason: "the block's transactions do not match its data hash" });
            }
            if (previousHeaderHash && !previousHeaderHash.equals(Buffer.from(header.getPreviousHash_asU8()))) {
                problems.push({
                    blockNumber: number,
                    reason: `its previous hash does not match block ${number - 1}'s header`,
                });
            }
            previousHeaderHash = blockHeaderHash(header);
        }
        return { ok: problems.length === 0, height, problems };
    }

    async #rawBlock(blockNumber: number): Promise<common.Block | undefined> {
        if (!Number.isInteger(blockNumber) || blockNumber < 0) {
            return undefined;
        }
        try {
            return common.Block.deserializeBinary(
                await this.#qscc('GetBlockByNumber', this.#channel, String(blockNumber)),
            );
        } catch (err) {
            // qscc: "Failed to get block number N, error Entry not found in index" past the tip.
            if (/not found/i.test((err as Error).message)) {
                return undefined;
            }
            throw err;
        }
    }

    async #qscc(fn: string, ...args: string[]): Promise<Uint8Array> {
        const gateway = await this.#reader();
        return translated(() =>
            gateway
                .getNetwork(this.#channel)
                .getContract('qscc')
                .evaluateTransaction(fn, ...args),
        );
    }
}
