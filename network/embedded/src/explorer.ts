import { msp } from '@hyperledger/fabric-protos';
import {
    type BlockInfo,
    type ChainVerification,
    type CloseableAsyncIterable,
    type Explorer,
    type KeyModification,
    type NamespaceReadWriteSet,
    type Signer,
    signerOf,
    type TransactionInfo,
    validationCodeName,
} from '@zhelian/api';
import type { Block } from './ledger/block';
import type { BlockToLive } from './ledger/block-updates';
import { decodeResponsePayload, decodeTransaction } from './ledger/fabric-transaction';
import type { TxRwSet, Version } from './ledger/rwset';
import type { LedgerStore } from './ledger/store';
import { verifyLedger } from './ledger/verify-ledger';
import type { Deliver } from './peer/deliver';

/**
 * The embedded ledger's explorer: blocks and transactions decoded from the block store into
 * `@zhelian/api`'s backend-neutral shapes, key history from the history index, and verification
 * of the stored bytes and of the world state against a replay of the blocks.
 */
export class EmbeddedExplorer implements Explorer {
    readonly #store: LedgerStore;
    readonly #deliver: Deliver;
    readonly #blockToLive: BlockToLive;

    /** `blockToLive` tells verification when the blocks' private data expired. */
    constructor(store: LedgerStore, deliver: Deliver, blockToLive: BlockToLive) {
        this.#store = store;
        this.#deliver = deliver;
        this.#blockToLive = blockToLive;
    }

    async getHeight(): Promise<number> {
        return this.#store.height;
    }

    async getBlock(blockNumber: number): Promise<BlockInfo | undefined> {
        const block = await this.#store.getBlock(blockNumber);
        return block ? describeBlock(block) : undefined;
    }

    async getTransaction(txId: string): Promise<TransactionInfo | undefined> {
        const location = await this.#store.getTxLocation(txId);
        if (!location) {
            return undefined;
        }
        const block = await this.#store.getBlock(location.blockNum);
        return block ? describeTransaction(block, location.txNum) : undefined;
    }

    async getKeyHistory(chaincodeName: string, key: string): Promise<KeyModification[]> {
        const history: KeyModification[] = [];
        for await (const entry of this.#store.history(chaincodeName, key)) {
            history.push({
                txId: entry.txId,
                timestamp: isoTime(entry.timestamp),
                isDelete: entry.isDelete,
                value: entry.value,
            });
        }
        return history;
    }

    getBlocks(options: { startBlock?: number } = {}): Promise<CloseableAsyncIterable<BlockInfo>> {
        return this.#deliver.subscribe(options.startBlock, (committed) => [describeBlock(committed.block)]);
    }

    verifyChain(): Promise<ChainVerification> {
        return verifyLedger(this.#store, this.#blockToLive);
    }
}

function describeBlock(block: Block): BlockInfo {
    return {
        number: block.header.number,
        previousHash: block.header.previousHash,
        dataHash: block.header.dataHash,
        transactions: block.data.map((_, txNum) => describeTransaction(block, txNum)),
    };
}

function describeTransaction(block: Block, txNum: number): TransactionInfo {
    const envelope = decodeTransaction(block.data[txNum]);
    const payload = decodeResponsePayload(envelope.responsePayload);
    const code = block.metadata.validationCodes[txNum];
    return {
        txId: envelope.txId,
        blockNumber: block.header.number,
        txNumber: txNum,
        validationCode: code,
        validationCodeName: validationCodeName(code),
        timestamp: isoTime(envelope.timestamp),
        creator: describeSigner(envelope.creator),
        chaincodeName: envelope.chaincodeName,
        args: envelope.args.map((arg) => Buffer.from(arg).toString('utf8')),
        endorsers: envelope.endorsements.map((e) => describeSigner(e.endorser)),
        response: payload.response,
        event: payload.event,
        readWriteSets: describeRwSet(payload.rwset),
    };
}

function describeRwSet(rwset: TxRwSet): NamespaceReadWriteSet[] {
    const version = (v: Version | null) => (v ? { blockNumber: v.blockNum, txNumber: v.txNum } : null);
    return rwset.map((ns) => ({
        namespace: ns.namespace,
        reads: ns.reads.map((r) => ({ key: r.key, version: version(r.version) })),
        rangeReads: ns.rangeQueries.map((q) => ({
            startKey: q.startKey,
            endKey: q.endKey,
            exhausted: q.exhausted,
            reads: q.reads.map((r) => ({ key: r.key, version: version(r.version) })),
        })),
        writes: ns.writes,
        metadataWrites: ns.metadataWrites,
        collections: ns.collections.map((c) => ({
            collection: c.collection,
            reads: c.hashedReads.map((r) => ({ keyHash: r.keyHash, version: version(r.version) })),
            writes: c.hashedWrites,
        })),
    }));
}

function isoTime(timestamp: { seconds: number; nanos: number }): string {
    return new Date(timestamp.seconds * 1000 + Math.floor(timestamp.nanos / 1e6)).toISOString();
}

function describeSigner(serialized: Uint8Array): Signer {
    const identity = msp.SerializedIdentity.deserializeBinary(serialized);
    return signerOf(identity.getMspid(), identity.getIdBytes_asU8());
}
