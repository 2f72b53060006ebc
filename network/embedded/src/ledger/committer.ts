import { peer } from '@hyperledger/fabric-protos';
import type { ChaincodeEvent } from '../chaincode/handler';
import type { Block, BlockHeader, ProposalResponsePayload, TransactionEnvelope } from './block';
import { computeCommitHash, computeDataHash, computeHeaderHash } from './block';
import {
    type BlockToLive,
    blockToLiveOf,
    BlockUpdates,
    hashId,
    type PrivateWrites,
    stateId,
    transactionIndex,
} from './block-updates';
import type { CollectionDefinition } from './collections';
import { decodeResponsePayload, storedTransaction } from './fabric-transaction';
import {
    type KeyRead,
    type NamespaceRwSet,
    type RangeQueryRecord,
    type TxRwSet,
    type Version,
    versionEquals,
} from './rwset';
import { compareUtf8 } from './simulator';
import type { ExpiryEntry, HashedValue, VersionedValue } from './records';
import type { LedgerStore } from './store';

export type { PrivateWrites } from './block-updates';

/** An endorsing or signing identity as policies see it. */
export interface Signer {
    mspId: string;
    nodeOU: string;
}

/** The channel's rules a committer applies: signature checks and endorsement policies. */
export interface ValidationRules {
    /** Checks the client's signature and every endorsement; resolves with the valid endorsers. */
    verifyEnvelope(envelope: TransactionEnvelope): Promise<SignatureVerdict>;
    /** The chaincode-level policy of a namespace; undefined when the chaincode is not deployed. */
    chaincodePolicy(namespace: string): ((signers: Signer[]) => boolean) | undefined;
    /** A key-level policy (`VALIDATION_PARAMETER` metadata, a SignaturePolicyEnvelope). */
    keyPolicySatisfied(policy: Uint8Array, signers: Signer[]): boolean;
    /** A collection-level endorsement policy, when the collection defines one. */
    collectionPolicy(namespace: string, collection: string): ((signers: Signer[]) => boolean) | undefined;
}

/** What a transaction's signatures say: whether the client's is valid, and whose endorsements are. */
export interface SignatureVerdict {
    creatorValid: boolean;
    endorsers: Signer[];
}

/** A transaction ready for ordering: its envelope and the private values it carries on the side. */
export interface OrderedTransaction {
    envelope: TransactionEnvelope;
    /** Private writes by namespace and collection; they never enter the block. */
    privateWrites: PrivateWrites;
}

/**
 * A block cut by the orderer whose signature checks are under way: they need no state, so they
 * run while the blocks before it are validated and written.
 */
export interface PreparedBlock {
    transactions: OrderedTransaction[];
    signatures: Promise<SignatureVerdict[]>;
}

/** How one transaction of a committed block was judged. */
export interface CommittedTransaction {
    txId: string;
    txNum: number;
    code: number;
    chaincodeName: string;
    event?: ChaincodeEvent;
}

export interface CommittedBlock {
    block: Block;
    headerHash: string;
    transactions: CommittedTransaction[];
}

const VALIDATION_PARAMETER = 'VALIDATION_PARAMETER';

/**
 * Validates and commits blocks in order, as a Fabric committing peer does: duplicate txId (9),
 * endorsement policy (10), MVCC read conflict (11), phantom read (12); then writes the block,
 * valid state changes, history and private data, and purges the private data that expires with
 * the block, in one atomic batch.
 */
export class Committer {
    readonly #store: LedgerStore;
    readonly #rules: ValidationRules;
    readonly #blockToLive: BlockToLive;

    /** `collections` are the deployed chaincodes' collections, for their `blockToLive`. */
    constructor(
        store: LedgerStore,
        rules: ValidationRules,
        collections: (namespace: string) => ReadonlyMap<string, CollectionDefinition> = () => new Map(),
    ) {
        this.#store = store;
        this.#rules = rules;
        this.#blockToLive = blockToLiveOf(collections);
    }

    /**
     * Starts checking the signatures of a block as soon as it is cut, off the event loop, so that
     * they are done by the time the blocks before it are committed: a block's own commit then
     * waits only on its state. What the checks find is judged in `commit`, in block order.
     */
    prepare(transactions: OrderedTransaction[]): PreparedBlock {
        const signatures = Promise.all(transactions.map((tx) => this.#rules.verifyEnvelope(tx.envelope)));
        // Read by `commit`; a block refused before that (a damaged ledger) must not leave it unhandled.
        signatures.catch(() => undefined);
        return { transactions, signatures };
    }

    /** Validates and commits one block; verification and rebuild wait for it, and it for them. */
    commit(block: PreparedBlock): Promise<CommittedBlock> {
        return this.#store.exclusive(() => this.#commit(block));
    }

    async #commit({ transactions, signatures: checkingSignatures }: PreparedBlock): Promise<CommittedBlock> {
        // A damaged ledger refuses the block before validating it against state that may be wrong.
        this.#store.assertIntact();
        const blockNum = this.#store.height;
        const data = transactions.map((tx) => storedTransaction(tx.envelope));
        const header: BlockHeader = {
            number: blockNum,
            previousHash: this.#store.lastHeaderHash,
            dataHash: computeDataHash(data),
            hashing: 'fabric',
        };
        const payloads = transactions.map((tx) => decodeResponsePayload(tx.envelope.responsePayload));
        const expiring = await this.#store.expiringAt(blockNum);
        const [pending, expiringPrivate, signatures] = await Promise.all([
            prefetch(
                this.#store,
                blockNum,
                payloads.map((p) => p.rwset),
                expiring,
                this.#blockToLive,
            ),
            privateVersions(this.#store, expiring),
            checkingSignatures,
        ]);
        const committedTxIds = await this.#store.getTxLocations(transactions.map((tx) => tx.envelope.txId));
        const seenTxIds = new Set<string>();
        const results: CommittedTransaction[] = [];

        for (const [txNum, { envelope, privateWrites }] of transactions.entries()) {
            const payload = payloads[txNum];
            const duplicate = seenTxIds.has(envelope.txId) || committedTxIds[txNum] !== undefined;
            const code = duplicate
                ? peer.TxValidationCode.DUPLICATE_TXID
                : await this.#validate(signatures[txNum], payload, pending);
            seenTxIds.add(envelope.txId);
            const result: CommittedTransaction = {
                txId: envelope.txId,
                txNum,
                code,
                chaincodeName: envelope.chaincodeName,
            };
            if (code === peer.TxValidationCode.VALID) {
                pending.apply(payload.rwset, privateWrites, { blockNum, txNum }, envelope);
                if (payload.event) {
                    result.event = {
                        chaincodeName: payload.chaincodeName,
                        txId: envelope.txId,
                        eventName: payload.event.eventName,
                        payload: payload.event.payload,
                    };
                }
            }
            results.push(result);
        }
        pending.expire(expiring, expiringPrivate);

        const headerHash = computeHeaderHash(header);
        const validationCodes = results.map((r) => r.code);
        const committedAt = new Date().toISOString();
        const commitHash = computeCommitHash(this.#store.lastCommitHash, headerHash, validationCodes, committedAt);
        const block: Block = { header, data, metadata: { validationCodes, committedAt, commitHash } };
        const txIds = results.map((r) => r.txId);
        await this.#store.commit(block, headerHash, [...pending.updates, ...transactionIndex(block, txIds)]);
        return { block, headerHash, transactions: results };
    }

    async #validate(
        { creatorValid, endorsers }: SignatureVerdict,
        payload: ProposalResponsePayload,
        pending: BlockUpdates,
    ): Promise<number> {
        if (!creatorValid) {
            return peer.TxValidationCode.BAD_CREATOR_SIGNATURE;
        }
        if (!this.#endorsementSatisfied(payload, endorsers, pending)) {
            return peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE;
        }
        for (const ns of payload.rwset) {
            if (!this.#readsCurrent(ns, pending)) {
                return peer.TxValidationCode.MVCC_READ_CONFLICT;
            }
        }
        for (const ns of payload.rwset) {
            for (const query of ns.rangeQueries) {
                if (!(await rangeUnchanged(this.#store, ns.namespace, query, pending))) {
                    return peer.TxValidationCode.PHANTOM_READ_CONFLICT;
                }
            }
        }
        return peer.TxValidationCode.VALID;
    }

    /**
     * Fabric's default validation, per written namespace: a key with a key-level policy needs that
     * policy; any other write needs the chaincode's policy; private writes need their collection's
     * policy when it has one.
     */
    #endorsementSatisfied(payload: ProposalResponsePayload, endorsers: Signer[], pending: BlockUpdates): boolean {
        const written = payload.rwset.filter(
            (ns) =>
                ns.writes.length + ns.metadataWrites.length > 0 ||
                ns.collections.some((c) => c.hashedWrites.length > 0),
        );
        if (written.length === 0) {
            // A read-only transaction is still checked against the invoked chaincode's policy.
            const policy = this.#rules.chaincodePolicy(payload.chaincodeName);
            return policy !== undefined && policy(endorsers);
        }
        return written.every((ns) => this.#namespaceEndorsed(ns, endorsers, pending));
    }

    #namespaceEndorsed(ns: NamespaceRwSet, endorsers: Signer[], pending: BlockUpdates): boolean {
        const chaincodePolicy = this.#rules.chaincodePolicy(ns.namespace);
        if (!chaincodePolicy) {
            return false;
        }
        let needsChaincodePolicy = false;
        for (const key of new Set([...ns.writes.map((w) => w.key), ...ns.metadataWrites.map((w) => w.key)])) {
            const keyPolicy = pending.getState(ns.namespace, key)?.metadata[VALIDATION_PARAMETER];
            if (keyPolicy && keyPolicy.length > 0) {
                if (!this.#rules.keyPolicySatisfied(keyPolicy, endorsers)) {
                    return false;
                }
            } else {
                needsChaincodePolicy = true;
            }
        }
        for (const collection of ns.collections.filter((c) => c.hashedWrites.length > 0)) {
            const collectionPolicy = this.#rules.collectionPolicy(ns.namespace, collection.collection);
            if (collectionPolicy) {
                if (!collectionPolicy(endorsers)) {
                    return false;
                }
            } else {
                needsChaincodePolicy = true;
            }
        }
        return !needsChaincodePolicy || chaincodePolicy(endorsers);
    }

    #readsCurrent(ns: NamespaceRwSet, pending: BlockUpdates): boolean {
        for (const read of ns.reads) {
            const current = pending.getState(ns.namespace, read.key);
            if (!versionEquals(current?.version ?? null, read.version)) {
                return false;
            }
        }
        for (const collection of ns.collections) {
            for (const read of collection.hashedReads) {
                const current = pending.getHash(ns.namespace, collection.collection, read.keyHash);
                if (!versionEquals(current?.version ?? null, read.version)) {
                    return false;
                }
            }
        }
        return true;
    }
}

/** Re-runs a recorded range query against current state; any added, removed or changed key is a phantom. */
async function rangeUnchanged(
    store: LedgerStore,
    namespace: string,
    query: RangeQueryRecord,
    pending: BlockUpdates,
): Promise<boolean> {
    const last = query.reads.at(-1)?.key;
    if (!query.exhausted && last === undefined) {
        return true;
    }
    const now = await currentRange(store, pending, namespace, query.startKey, query.endKey);
    const relevant = query.exhausted ? now : now.filter((read) => compareUtf8(read.key, last as string) <= 0);
    if (relevant.length !== query.reads.length) {
        return false;
    }
    return relevant.every(
        (read, i) => read.key === query.reads[i].key && versionEquals(read.version, query.reads[i].version),
    );
}

/**
 * The block's working state, with every key it reads or writes (and every hash that expires
 * with it) fetched in one round trip up front, so validation does not wait on the database once
 * per key while endorsements compete for the event loop.
 */
async function prefetch(
    store: LedgerStore,
    blockNum: number,
    rwsets: TxRwSet[],
    expiring: ExpiryEntry[],
    blockToLive: BlockToLive,
): Promise<BlockUpdates> {
    const stateKeys = new Map<string, { namespace: string; key: string }>();
    const hashKeys = new Map<string, { namespace: string; collection: string; keyHash: string }>();
    for (const ns of rwsets.flat()) {
        for (const key of [
            ...ns.reads.map((r) => r.key),
            ...ns.writes.map((w) => w.key),
            ...ns.metadataWrites.map((m) => m.key),
        ]) {
            stateKeys.set(stateId(ns.namespace, key), { namespace: ns.namespace, key });
        }
        for (const c of ns.collections) {
            for (const keyHash of [...c.hashedReads.map((r) => r.keyHash), ...c.hashedWrites.map((w) => w.keyHash)]) {
                hashKeys.set(hashId(ns.namespace, c.collection, keyHash), {
                    namespace: ns.namespace,
                    collection: c.collection,
                    keyHash,
                });
            }
        }
    }
    for (const { namespace, collection, keyHash } of expiring) {
        hashKeys.set(hashId(namespace, collection, keyHash), { namespace, collection, keyHash });
    }
    const [states, hashes] = await Promise.all([
        store.getStates([...stateKeys.values()]),
        store.getPrivateHashes([...hashKeys.values()]),
    ]);
    const state = new Map<string, VersionedValue | null>();
    const hashed = new Map<string, HashedValue | null>();
    [...stateKeys.keys()].forEach((id, i) => state.set(id, states[i] ?? null));
    [...hashKeys.keys()].forEach((id, i) => hashed.set(id, hashes[i] ?? null));
    return new BlockUpdates({ blockNum, blockToLive, state, hashes: hashed });
}

/** The committed versions of the private values that expire with a block, before the block. */
async function privateVersions(
    store: LedgerStore,
    expiring: ExpiryEntry[],
): Promise<(entry: ExpiryEntry) => Version | undefined> {
    const withKey = expiring.filter((entry) => entry.key !== undefined);
    const values = await store.getPrivates(
        withKey.map(({ namespace, collection, key }) => ({ namespace, collection, key: key as string })),
    );
    const versions = new Map(withKey.map((entry, i) => [entry, values[i]?.version]));
    return (entry) => versions.get(entry);
}

/** A range of public keys as it stands after the block's earlier valid transactions. */
async function currentRange(
    store: LedgerStore,
    pending: BlockUpdates,
    namespace: string,
    startKey: string,
    endKey: string,
): Promise<KeyRead[]> {
    const byKey = new Map<string, Version>();
    for await (const entry of store.rangeState(namespace, startKey, endKey)) {
        byKey.set(entry.key, entry.version);
    }
    for (const { namespace: ns, key, value } of pending.changedStates()) {
        if (ns !== namespace) {
            continue;
        }
        const inRange = compareUtf8(key, startKey) >= 0 && (endKey === '' || compareUtf8(key, endKey) < 0);
        if (!inRange) {
            continue;
        }
        if (value === null) {
            byKey.delete(key);
        } else {
            byKey.set(key, value.version);
        }
    }
    return [...byKey.entries()].sort(([a], [b]) => compareUtf8(a, b)).map(([key, version]) => ({ key, version }));
}
