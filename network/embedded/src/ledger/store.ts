import { Level } from 'level';
import type { KeyModification } from '../chaincode/handler';
import type { Block } from './block';
import { decodeBlockRecord, encodeBlockRecord } from './block-record';
import { type Damage, damageError, levelErrorCode } from './damage';
import { decodeRecord, encodeRecord } from './encoding';
import { claimLedger } from './process-claims';
import {
    AFTER_SEP,
    blockKey,
    DERIVED,
    type DerivedPart,
    describeKey,
    entryOf,
    expiryPrefix,
    hashKey,
    historyPrefix,
    metaKey,
    privateKey,
    SEP,
    stateKey,
    txKey,
} from './keys';
import type {
    ExpiryEntry,
    HashedValue,
    Savepoint,
    StateUpdate,
    TxLocation,
    VersionedKeyValue,
    VersionedValue,
} from './records';

/** How the store writes. */
export interface StoreOptions {
    /**
     * Sync every block commit (and every metadata write) to disk before it is acknowledged, as
     * Fabric's block store does; default true. Off, a power loss may take back acknowledged blocks.
     */
    sync?: boolean;
}

/** Metadata records: the savepoint (under its name in earlier versions) and recorded damage. */
const SAVEPOINT = 'tip';
const DAMAGE = 'damage';

/**
 * The peer's LevelDB: world state, private data, history, blocks and indexes in one database,
 * so that a block and everything it changes are written in one atomic batch.
 */
export class LedgerStore {
    readonly #db: Level<string, Uint8Array>;
    readonly #sync: boolean;
    #height = 0;
    #lastHeaderHash = '';
    #lastCommitHash = '';
    #damage: Damage | undefined;
    #exclusive: Promise<unknown> = Promise.resolve();
    /**
     * The blocks with which some private data expires, read once from the expiry schedule and
     * kept as blocks commit: most blocks have none, and asking LevelDB with an iterator for every
     * block cost three trips to its threads. Undefined until first needed, and after a rewrite.
     */
    #expiringBlocks: Set<number> | undefined;
    readonly #release: () => void;

    private constructor(db: Level<string, Uint8Array>, options: StoreOptions, release: () => void) {
        this.#db = db;
        this.#sync = options.sync ?? true;
        this.#release = release;
    }

    /**
     * Opens the LevelDB at `path`. A ledger this process has open already is refused with
     * `DATA_DIR_LOCKED` before LevelDB is asked (see {@link claimLedger}); another process's is
     * refused by LevelDB's lock.
     */
    static async open(path: string, options: StoreOptions = {}): Promise<LedgerStore> {
        const release = await claimLedger(path);
        const db = new Level<string, Uint8Array>(path, { keyEncoding: 'utf8', valueEncoding: 'view' });
        try {
            await db.open();
        } catch (err) {
            release();
            throw err;
        }
        const store = new LedgerStore(db, options, release);
        try {
            const savepoint = await store.getMeta<Savepoint>(SAVEPOINT);
            if (savepoint) {
                store.#height = savepoint.height;
                store.#lastHeaderHash = savepoint.lastHeaderHash;
                store.#lastCommitHash = savepoint.lastCommitHash;
            }
            store.#damage = await store.getMeta<Damage>(DAMAGE);
        } catch (err) {
            await store.close();
            throw err;
        }
        return store;
    }

    /** Where the LevelDB files are. */
    get location(): string {
        return this.#db.location;
    }

    /** What was found wrong with this store and not yet repaired (kept across restarts). */
    get damage(): Damage | undefined {
        return this.#damage;
    }

    /**
     * Marks the store damaged, durably: endorsements and commits are refused from now on, and
     * after a restart, until a rebuild repairs it. The first finding is kept.
     */
    async recordDamage(damage: Damage): Promise<void> {
        if (this.#damage) {
            return;
        }
        this.#damage = damage;
        await this.#db.put(metaKey(DAMAGE), encodeRecord(damage), { sync: true });
    }

    /** Throws the ledger's damage, if it has any: what endorsing and committing peers ask first. */
    assertIntact(): void {
        if (this.#damage) {
            throw damageError(this.location, this.#damage);
        }
    }

    /** The number of the last block stored, whatever the savepoint says; undefined when there is none. */
    async lastStoredBlock(): Promise<number | undefined> {
        const prefix = `b${SEP}`;
        const [last] = await this.#guard(() =>
            this.#db.keys({ gte: prefix, lt: `b${AFTER_SEP}`, reverse: true, limit: 1 }).all(),
        );
        return last === undefined ? undefined : parseInt(last.slice(prefix.length), 16);
    }

    /** Number of committed blocks. */
    get height(): number {
        return this.#height;
    }

    get lastHeaderHash(): string {
        return this.#lastHeaderHash;
    }

    get lastCommitHash(): string {
        return this.#lastCommitHash;
    }

    /** Closes the database; only then may this process open it again (a failed close keeps it claimed). */
    async close(): Promise<void> {
        await this.#db.close();
        this.#release();
    }

    async getState(ns: string, key: string): Promise<VersionedValue | undefined> {
        return this.#getRecord<VersionedValue>(stateKey(ns, key));
    }

    /** World state keys in [startKey, endKey) of one namespace; `''` as endKey means no bound. */
    rangeState(ns: string, startKey: string, endKey: string): AsyncIterable<VersionedKeyValue> {
        return this.#range(`s${SEP}${ns}${SEP}`, startKey, endKey);
    }

    async getPrivate(ns: string, coll: string, key: string): Promise<VersionedValue | undefined> {
        return this.#getRecord<VersionedValue>(privateKey(ns, coll, key));
    }

    rangePrivate(ns: string, coll: string, startKey: string, endKey: string): AsyncIterable<VersionedKeyValue> {
        return this.#range(`p${SEP}${ns}${SEP}${coll}${SEP}`, startKey, endKey);
    }

    async getPrivates(
        keys: readonly { namespace: string; collection: string; key: string }[],
    ): Promise<(VersionedValue | undefined)[]> {
        return this.#getRecords<VersionedValue>(keys.map((k) => privateKey(k.namespace, k.collection, k.key)));
    }

    /** The private data scheduled to expire with the commit of block `blockNum`. */
    async expiringAt(blockNum: number): Promise<ExpiryEntry[]> {
        this.#expiringBlocks ??= await this.#scheduledBlocks();
        if (!this.#expiringBlocks.has(blockNum)) {
            return [];
        }
        const prefix = expiryPrefix(blockNum);
        const entries: ExpiryEntry[] = [];
        try {
            for await (const [key, value] of this.#db.iterator({ gte: prefix, lt: prefix.slice(0, -1) + AFTER_SEP })) {
                const [namespace, collection, keyHash] = key.slice(prefix.length).split(SEP);
                const { committingBlock, key: privateKeyName } = decodeRecord<{
                    committingBlock: number;
                    key?: string;
                }>(value);
                entries.push({
                    expiringBlock: blockNum,
                    namespace,
                    collection,
                    keyHash,
                    committingBlock,
                    ...(privateKeyName === undefined ? {} : { key: privateKeyName }),
                });
            }
        } catch (err) {
            throw await this.#corruption(err);
        }
        return entries;
    }

    async getPrivateHash(ns: string, coll: string, keyHash: string): Promise<HashedValue | undefined> {
        return this.#getRecord<HashedValue>(hashKey(ns, coll, keyHash));
    }

    /** Every committed change of a key, newest first. */
    async *history(ns: string, key: string): AsyncIterable<KeyModification> {
        const prefix = historyPrefix(ns, key);
        try {
            for await (const value of this.#db.values({ gte: prefix, lt: prefix + 'g', reverse: true })) {
                yield decodeRecord<KeyModification>(value);
            }
        } catch (err) {
            throw await this.#corruption(err);
        }
    }

    /** Many world state reads in one round trip (the committer prefetches a block's keys). */
    async getStates(keys: readonly { namespace: string; key: string }[]): Promise<(VersionedValue | undefined)[]> {
        return this.#getRecords<VersionedValue>(keys.map((k) => stateKey(k.namespace, k.key)));
    }

    async getPrivateHashes(
        keys: readonly { namespace: string; collection: string; keyHash: string }[],
    ): Promise<(HashedValue | undefined)[]> {
        return this.#getRecords<HashedValue>(keys.map((k) => hashKey(k.namespace, k.collection, k.keyHash)));
    }

    async getTxLocations(txIds: readonly string[]): Promise<(TxLocation | undefined)[]> {
        return this.#getRecords<TxLocation>(txIds.map(txKey));
    }

    async getBlock(num: number): Promise<Block | undefined> {
        const bytes = await this.#guard(() => this.#db.get(blockKey(num)));
        return bytes === undefined ? undefined : decodeBlockRecord(bytes);
    }

    /** The stored bytes of a block, for integrity checks that must see exactly what is on disk. */
    async getBlockBytes(num: number): Promise<Uint8Array | undefined> {
        return this.#guard(() => this.#db.get(blockKey(num)));
    }

    async getTxLocation(txId: string): Promise<TxLocation | undefined> {
        return this.#getRecord<TxLocation>(txKey(txId));
    }

    async getMeta<T>(name: string): Promise<T | undefined> {
        return this.#getRecord<T>(metaKey(name));
    }

    async putMeta(name: string, value: unknown): Promise<void> {
        await this.#db.put(metaKey(name), encodeRecord(value), { sync: this.#sync });
    }

    /**
     * Runs `work` alone among the store's exclusive work: the committer holds it for each block,
     * verification and rebuild for their whole run, so neither sees a block half applied.
     */
    exclusive<T>(work: () => Promise<T>): Promise<T> {
        const run = this.#exclusive.then(work);
        this.#exclusive = run.catch(() => undefined);
        return run;
    }

    /**
     * Write a block, its transaction index and every valid change in one LevelDB batch: after a
     * crash the ledger holds the whole block or none of it. The batch is synced to disk (unless the
     * store was opened with `sync: false`) before the block is acknowledged; one batch per block
     * is the group commit that keeps that affordable.
     */
    async commit(block: Block, headerHash: string, updates: StateUpdate[]): Promise<void> {
        this.assertIntact();
        const batch = this.#db.batch();
        for (const update of updates) {
            const [key, value] = entryOf(update);
            if (value === null) {
                batch.del(key);
            } else {
                batch.put(key, value);
            }
        }
        batch.put(blockKey(block.header.number), encodeBlockRecord(block));
        const savepoint: Savepoint = {
            height: block.header.number + 1,
            lastHeaderHash: headerHash,
            lastCommitHash: block.metadata.commitHash,
        };
        batch.put(metaKey(SAVEPOINT), encodeRecord(savepoint));
        await this.#guard(() => batch.write({ sync: this.#sync }));
        for (const update of updates) {
            if (update.kind === 'expiry' && !update.remove) {
                this.#expiringBlocks?.add(update.entry.expiringBlock);
            }
        }
        // What expired with this block went in the same batch; no later block schedules it again.
        this.#expiringBlocks?.delete(block.header.number);
        this.#height = savepoint.height;
        this.#lastHeaderHash = savepoint.lastHeaderHash;
        this.#lastCommitHash = savepoint.lastCommitHash;
    }

    /** Every stored entry of a part derived from the blocks, as raw bytes, in key order. */
    async *derivedEntries(part: DerivedPart): AsyncIterable<[string, Uint8Array]> {
        yield* this.#entries(DERIVED[part]);
    }

    /** Every stored private value, as raw bytes, in key order. */
    async *privateEntries(): AsyncIterable<[string, Uint8Array]> {
        yield* this.#entries('p');
    }

    /**
     * Replaces derived data in one atomic, synced batch, as a rebuild does: the entries to write
     * (`null` deletes), the savepoint of the chain they were derived from, and the recorded damage
     * cleared. A crash leaves the store as it was before, or rebuilt.
     */
    async rewrite(entries: [string, Uint8Array | null][], savepoint: Savepoint): Promise<void> {
        const batch = this.#db.batch();
        for (const [key, value] of entries) {
            if (value === null) {
                batch.del(key);
            } else {
                batch.put(key, value);
            }
        }
        batch.put(metaKey(SAVEPOINT), encodeRecord(savepoint));
        batch.del(metaKey(DAMAGE));
        this.#expiringBlocks = undefined;
        await this.#guard(() => batch.write({ sync: true }));
        this.#height = savepoint.height;
        this.#lastHeaderHash = savepoint.lastHeaderHash;
        this.#lastCommitHash = savepoint.lastCommitHash;
        this.#damage = undefined;
    }

    /**
     * Replaces a stored block's bytes as they are, with a metadata record (`null` deletes it), in
     * one synced batch; `clearDamage` also drops the recorded damage. Only the instructor's
     * tampering tool (`tamper.ts`) writes a block this way: the committer alone writes blocks.
     */
    async overwriteBlock(
        num: number,
        bytes: Uint8Array,
        meta: { name: string; value: unknown },
        options: { clearDamage?: boolean } = {},
    ): Promise<void> {
        const batch = this.#db.batch();
        batch.put(blockKey(num), bytes);
        if (meta.value === null) {
            batch.del(metaKey(meta.name));
        } else {
            batch.put(metaKey(meta.name), encodeRecord(meta.value));
        }
        if (options.clearDamage) {
            batch.del(metaKey(DAMAGE));
        }
        await this.#guard(() => batch.write({ sync: true }));
        if (options.clearDamage) {
            this.#damage = undefined;
        }
    }

    /** Direct access to the database, for integrity tests that tamper with stored bytes. */
    get database(): Level<string, Uint8Array> {
        return this.#db;
    }

    /** The blocks the stored expiry schedule names. */
    async #scheduledBlocks(): Promise<Set<number>> {
        const blocks = new Set<number>();
        for await (const [key] of this.derivedEntries('expiry-schedule')) {
            blocks.add(describeKey(key).block as number);
        }
        return blocks;
    }

    /*
     * Records are read synchronously: a key the ledger reads is small and mostly in LevelDB's
     * memtable or block cache, where a read takes about a microsecond, while an asynchronous one
     * costs 7–16 µs of CPU between the event loop and libuv's pool (measured on this ledger's
     * keys). Endorsement and commit read a few keys per transaction; blocks and iterations stay
     * asynchronous.
     */
    async #getRecord<T>(key: string): Promise<T | undefined> {
        const bytes = await this.#guard(async () => this.#db.getSync(key));
        return bytes === undefined ? undefined : decodeRecord<T>(bytes);
    }

    async #getRecords<T>(keys: string[]): Promise<(T | undefined)[]> {
        const values = await this.#guard(async () => keys.map((key) => this.#db.getSync(key)));
        return values.map((bytes) => (bytes === undefined ? undefined : decodeRecord<T>(bytes)));
    }

    async *#range(prefix: string, startKey: string, endKey: string): AsyncIterable<VersionedKeyValue> {
        const upper = endKey === '' ? prefix.slice(0, -1) + AFTER_SEP : prefix + endKey;
        try {
            for await (const [key, value] of this.#db.iterator({ gte: prefix + startKey, lt: upper })) {
                yield { key: key.slice(prefix.length), ...decodeRecord<VersionedValue>(value) };
            }
        } catch (err) {
            throw await this.#corruption(err);
        }
    }

    async *#entries(space: string): AsyncIterable<[string, Uint8Array]> {
        try {
            yield* this.#db.iterator({ gte: `${space}${SEP}`, lt: `${space}${AFTER_SEP}` });
        } catch (err) {
            throw await this.#corruption(err);
        }
    }

    /** Runs a LevelDB operation; corruption it meets marks the store damaged. */
    async #guard<T>(work: () => Promise<T>): Promise<T> {
        try {
            return await work();
        } catch (err) {
            throw await this.#corruption(err);
        }
    }

    /** LevelDB corruption becomes recorded damage and the ledger's refusal; other errors pass unchanged. */
    async #corruption(err: unknown): Promise<unknown> {
        if (levelErrorCode(err) !== 'LEVEL_CORRUPTION') {
            return err;
        }
        const cause = (err as Error).cause instanceof Error ? ((err as Error).cause as Error) : (err as Error);
        const damage: Damage = {
            kind: 'corrupt',
            what: `LevelDB met corruption while reading or writing (${cause.message})`,
        };
        // Writing the finding may fail on a corrupt database; the refusal stands in memory regardless.
        await this.recordDamage(damage).catch(() => undefined);
        return damageError(this.location, this.#damage ?? damage);
    }
}
