import type { MissingPrivateData, StateProblem, StateVerification } from '@zhelian/api';
import { hashId } from './block-updates';
import { decodeRecord, sha256Hex } from './encoding';
import { DERIVED, type DerivedPart, describeKey } from './keys';
import type { HashedValue, TxLocation, VersionedValue } from './records';
import type { DerivedLedger } from './replay';
import { type Version, versionEquals } from './rwset';
import type { LedgerStore } from './store';

/** An entry of a derived part where what is stored is not what the blocks derive. */
export interface Difference {
    part: DerivedPart;
    dbKey: string;
    /** What is stored; undefined when the entry is missing. */
    stored?: Uint8Array;
    /** What the blocks say; undefined when the entry should not be there. */
    expected?: Uint8Array;
}

/** A stored private value held against the hashes the blocks committed. */
export type PrivateValueCheck =
    | { dbKey: string; hashId: string; key: string; matches: true }
    | { dbKey: string; hashId: string; key: string; matches: false; reason: string };

/** Problems as reports list them: the first hundred, and how many there are in all. */
export class ProblemList {
    readonly listed: StateProblem[] = [];
    count = 0;

    add(problem: StateProblem): void {
        this.count++;
        if (this.listed.length < 100) {
            this.listed.push(problem);
        }
    }
}

/**
 * Compares the store's derived parts with what a replay of the blocks derived, and the stored
 * private values with the hashes the blocks committed. Every stored entry is read once.
 *
 * ```ts
 * const derived = await replayChain(store, store.height, blockToLive);
 * const { problemCount, problems } = await verifyState(store, derived);
 * ```
 */
export async function verifyState(store: LedgerStore, derived: DerivedLedger): Promise<StateVerification> {
    const checked: StateVerification['checked'] = {
        state: 0,
        'private-hash': 0,
        'private-value': 0,
        history: 0,
        'transaction-index': 0,
        'expiry-schedule': 0,
    };
    const problems = new ProblemList();
    for await (const difference of differences(store, derived, (part) => checked[part]++)) {
        problems.add(describeDifference(difference));
    }
    const held = new Set<string>();
    for await (const check of checkPrivateValues(store, derived)) {
        checked['private-value']++;
        if (check.matches) {
            held.add(check.hashId);
        } else {
            problems.add({ part: 'private-value', ...describeKey(check.dbKey), reason: check.reason });
        }
    }
    return {
        checked,
        problems: problems.listed,
        problemCount: problems.count,
        missingPrivateData: missingPrivateData(derived, held),
    };
}

/** Each derived entry that differs from what the blocks derive, part by part. */
export async function* differences(
    store: LedgerStore,
    derived: DerivedLedger,
    onStored: (part: DerivedPart) => void = () => undefined,
): AsyncIterable<Difference> {
    for (const part of Object.keys(DERIVED) as DerivedPart[]) {
        const expected = new Map(derived.entries[part]);
        for await (const [dbKey, stored] of store.derivedEntries(part)) {
            onStored(part);
            const want = expected.get(dbKey);
            expected.delete(dbKey);
            if (want === undefined || !sameEntry(part, stored, want)) {
                yield { part, dbKey, stored, ...(want ? { expected: want } : {}) };
            }
        }
        for (const [dbKey, want] of expected) {
            yield { part, dbKey, expected: want };
        }
    }
}

/** Each stored private value, and whether it matches the hash (and version) the blocks committed for its key. */
export async function* checkPrivateValues(
    store: LedgerStore,
    derived: DerivedLedger,
): AsyncIterable<PrivateValueCheck> {
    for await (const [dbKey, bytes] of store.privateEntries()) {
        const { namespace = '', collection = '', key = '' } = describeKey(dbKey);
        const id = hashId(namespace, collection, sha256Hex(key));
        const hashed = derived.hashes.get(id);
        const value = decodeRecord<VersionedValue>(bytes);
        const base = { dbKey, hashId: id, key };
        if (!hashed) {
            yield {
                ...base,
                matches: false,
                reason: 'no hash on the channel for this key: its data expired, was purged or deleted, or was never committed',
            };
        } else if (sha256Hex(value.value) !== hashed.valueHash) {
            yield { ...base, matches: false, reason: 'the value does not match the hash the blocks committed' };
        } else if (!versionEquals(value.version, hashed.version)) {
            yield {
                ...base,
                matches: false,
                reason: `the value is at version ${height(value.version)}, the blocks' hash at ${height(hashed.version)}`,
            };
        } else {
            yield { ...base, matches: true };
        }
    }
}

/** Hashes the blocks committed whose private value is held by no member peer here. */
export function missingPrivateData(derived: DerivedLedger, held: Set<string>): MissingPrivateData[] {
    return [...derived.hashes.keys()]
        .filter((id) => !held.has(id))
        .map((id) => {
            const [namespace, collection, keyHash] = id.split('\u0000');
            return { namespace, collection, keyHash };
        });
}

/** Expiry entries are compared by the block they were committed in: a replay does not know the private keys. */
function sameEntry(part: DerivedPart, stored: Uint8Array, expected: Uint8Array): boolean {
    if (part === 'expiry-schedule') {
        const committing = (bytes: Uint8Array) => decodeRecord<{ committingBlock: number }>(bytes).committingBlock;
        return committing(stored) === committing(expected);
    }
    return Buffer.from(stored).equals(Buffer.from(expected));
}

function describeDifference({ part, dbKey, stored, expected }: Difference): StateProblem {
    const { block, ...where } = describeKey(dbKey);
    const located = { part, ...where, ...(block === undefined ? {} : { blockNumber: block }) };
    if (!stored) {
        return { ...located, reason: `missing: the blocks ${missingWhat(part, expected as Uint8Array)}` };
    }
    if (!expected) {
        return { ...located, reason: 'stored, but the blocks hold no valid transaction that leaves it there' };
    }
    return { ...located, reason: changedWhat(part, stored, expected) };
}

function missingWhat(part: DerivedPart, expected: Uint8Array): string {
    switch (part) {
        case 'state':
        case 'private-hash':
            return `wrote it at ${height(decodeRecord<VersionedValue>(expected).version)}`;
        case 'transaction-index': {
            const location = decodeRecord<TxLocation>(expected);
            return `hold it at ${height({ blockNum: location.blockNum, txNum: location.txNum })}`;
        }
        default:
            return 'say it should be there';
    }
}

function changedWhat(part: DerivedPart, storedBytes: Uint8Array, expectedBytes: Uint8Array): string {
    if (part === 'state' || part === 'private-hash') {
        const stored = decodeRecord<VersionedValue & HashedValue>(storedBytes);
        const expected = decodeRecord<VersionedValue & HashedValue>(expectedBytes);
        if (!versionEquals(stored.version, expected.version)) {
            return `version ${height(stored.version)} stored, the blocks wrote it at ${height(expected.version)}`;
        }
        if (part === 'private-hash' || !Buffer.from(stored.value).equals(Buffer.from(expected.value))) {
            return `the stored ${part === 'state' ? 'value' : 'hash'} is not what the blocks wrote at ${height(expected.version)}`;
        }
        return 'its metadata (e.g. a key-level endorsement policy) is not what the blocks wrote';
    }
    if (part === 'transaction-index') {
        const stored = decodeRecord<TxLocation>(storedBytes);
        const expected = decodeRecord<TxLocation>(expectedBytes);
        return `indexed at ${height(stored)} with code ${stored.code}; the blocks hold it at ${height(expected)} with code ${expected.code}`;
    }
    return 'the stored entry is not what the blocks derive';
}

function height(version: Version | TxLocation): string {
    return `block ${version.blockNum}, tx ${version.txNum}`;
}
