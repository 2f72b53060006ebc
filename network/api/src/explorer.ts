import type { CloseableAsyncIterable } from './client/events';

/** Who signed: an MSP ID and the certificate's subject. */
export interface Signer {
    mspId: string;
    /** The certificate subject, e.g. `CN=zheyi, OU=client, O=member.zhelian.example`. */
    subject: string;
}

/** The height (block, transaction) of the write a read saw; `null` when the key did not exist. */
export interface KeyVersion {
    blockNumber: number;
    txNumber: number;
}

export interface KeyRead {
    key: string;
    version: KeyVersion | null;
}

export interface KeyWrite {
    key: string;
    isDelete: boolean;
    value: Uint8Array;
}

/** A range the chaincode iterated, re-checked at commit for phantoms. */
export interface RangeRead {
    startKey: string;
    endKey: string;
    /** Whether the chaincode read to the end of the range. */
    exhausted: boolean;
    reads: KeyRead[];
}

/** What the channel sees of a private data collection: hashes only. */
export interface CollectionHashes {
    collection: string;
    reads: { keyHash: string; version: KeyVersion | null }[];
    /**
     * Hex SHA-256 of each key and value; `valueHash` is empty for a delete. `isPurge` marks a
     * delete by `purgePrivateData`, as Fabric's `KVWriteHash.is_purge`.
     */
    writes: { keyHash: string; isDelete: boolean; valueHash: string; isPurge?: boolean }[];
}

/** One chaincode's part of a transaction's read-write set. */
export interface NamespaceReadWriteSet {
    namespace: string;
    reads: KeyRead[];
    rangeReads: RangeRead[];
    writes: KeyWrite[];
    /** Keys whose metadata (e.g. a key-level endorsement policy) the transaction set. */
    metadataWrites: { key: string; entries: Record<string, Uint8Array> }[];
    collections: CollectionHashes[];
}

/**
 * A transaction's anatomy, in the order it lived: the proposal (creator, chaincode, arguments),
 * the endorsements, its place in a block, and the committing peers' verdict.
 */
export interface TransactionInfo {
    txId: string;
    blockNumber: number;
    /** Position in the block. */
    txNumber: number;
    /** Fabric's `TxValidationCode`; 0 is VALID. */
    validationCode: number;
    validationCodeName: string;
    /** The proposal's timestamp, ISO-8601. */
    timestamp: string;
    creator: Signer;
    chaincodeName: string;
    /** The chaincode function and its arguments, as text. */
    args: string[];
    endorsers: Signer[];
    response: { status: number; message: string; payload: Uint8Array };
    event: { eventName: string; payload: Uint8Array } | null;
    readWriteSets: NamespaceReadWriteSet[];
}

export interface BlockInfo {
    number: number;
    /** Hex hash of the previous block's header; empty for block 0. */
    previousHash: string;
    /** Hex hash over the block's transactions. */
    dataHash: string;
    transactions: TransactionInfo[];
}

/** One committed change of a key, as `getHistoryForKey` returns it. */
export interface KeyModification {
    txId: string;
    /** The transaction's timestamp, ISO-8601. */
    timestamp: string;
    isDelete: boolean;
    value: Uint8Array;
}

/** A block whose stored bytes no longer match what was committed. */
export interface ChainProblem {
    blockNumber: number;
    reason: string;
}

/**
 * An entry derived from the blocks — world state, a private data hash or value, history, the
 * transaction index, the private data expiry schedule — that does not match what they say.
 */
export interface StateProblem {
    part: 'state' | 'private-hash' | 'private-value' | 'history' | 'transaction-index' | 'expiry-schedule';
    /** The chaincode. */
    namespace?: string;
    collection?: string;
    /** The key, where it is known; a private data hash is known by its key's hash. */
    key?: string;
    keyHash?: string;
    txId?: string;
    /** The block involved, where there is one (a history entry's, an expiry's). */
    blockNumber?: number;
    reason: string;
}

/** A private value the blocks committed (its hash is on the channel) that no member peer holds any more. */
export interface MissingPrivateData {
    namespace: string;
    collection: string;
    keyHash: string;
}

/** World state and everything else derived from the blocks, re-derived and compared with what is stored. */
export interface StateVerification {
    /** Entries compared, by part. */
    checked: Record<StateProblem['part'], number>;
    /** The first problems found (at most 100). */
    problems: StateProblem[];
    /** How many there are in all. */
    problemCount: number;
    /**
     * Not a failure: as on Fabric, a member peer may lack private data (Fabric reconciles it from
     * other peers; here only a backup has it).
     */
    missingPrivateData: MissingPrivateData[];
}

export interface ChainVerification {
    ok: boolean;
    /** Blocks checked. */
    height: number;
    problems: ChainProblem[];
    /**
     * Where the backend can re-derive it from the blocks: world state, private data, history and
     * indexes compared with what is stored. Absent when the blocks themselves failed.
     */
    state?: StateVerification;
    /** Damage the ledger had found and recorded (it refuses to endorse and commit until repaired). */
    damage?: string;
    /** What to do about what was found, for people. */
    remedy?: string;
}

/**
 * What a block explorer reads from a channel, in types that do not depend on the backend.
 *
 * ```ts
 * const explorer = backend.explorer;
 * const block = await explorer.getBlock((await explorer.getHeight()) - 1);
 * const tx = await explorer.getTransaction(block!.transactions[0].txId);
 * const blocks = await explorer.getBlocks({ startBlock: 0 });
 * for await (const b of blocks) console.log(b.number, b.transactions.map((t) => t.validationCodeName));
 * ```
 */
export interface Explorer {
    /** Number of committed blocks. */
    getHeight(): Promise<number>;
    getBlock(blockNumber: number): Promise<BlockInfo | undefined>;
    getTransaction(txId: string): Promise<TransactionInfo | undefined>;
    /** Every committed change of a chaincode's public key, newest first. */
    getKeyHistory(chaincodeName: string, key: string): Promise<KeyModification[]>;
    /**
     * Committed blocks, valid and invalid transactions alike: replayed from `startBlock` when
     * given, then live. Close the iterable to stop.
     */
    getBlocks(options?: { startBlock?: number }): Promise<CloseableAsyncIterable<BlockInfo>>;
    /**
     * Recomputes every hash of the chain and names each block whose stored bytes changed; where
     * the backend can, also replays the blocks and names each key of the world state (and of the
     * data derived with it) that does not match them. Only where the backend holds the blocks
     * itself (absent otherwise).
     */
    verifyChain?(): Promise<ChainVerification>;
}
