import { encodeRecord } from './encoding';
import type { StateUpdate } from './records';
import type { Version } from './rwset';

/*
 * The store's key layout (utf8 keys, so LevelDB's byte order is Fabric's UTF-8 key order):
 *   s\0<ns>\0<key>                 world state
 *   p\0<ns>\0<coll>\0<key>         private values
 *   h\0<ns>\0<coll>\0<keyHash>     private hashes
 *   k\0<ns>\0<hex key>\0<height>   history (height = 12 hex block ‖ 8 hex tx, sorts by height)
 *   b\0<12 hex block number>       blocks
 *   t\0<txId>                      transaction index
 *   x\0<12 hex block>\0<ns>\0<coll>\0<keyHash>   private data expiring with that block
 *   m\0<name>                      ledger metadata (savepoint, chaincode definitions, damage)
 */
export const SEP = '\u0000';
export const AFTER_SEP = '\u0001';

const hex12 = (n: number): string => n.toString(16).padStart(12, '0');

export function stateKey(ns: string, key: string): string {
    return `s${SEP}${ns}${SEP}${key}`;
}
export function privateKey(ns: string, coll: string, key: string): string {
    return `p${SEP}${ns}${SEP}${coll}${SEP}${key}`;
}
export function hashKey(ns: string, coll: string, keyHash: string): string {
    return `h${SEP}${ns}${SEP}${coll}${SEP}${keyHash}`;
}
export function historyPrefix(ns: string, key: string): string {
    // Hex keeps composite keys (which contain \0) from sharing a prefix with other keys.
    return `k${SEP}${ns}${SEP}${Buffer.from(key, 'utf8').toString('hex')}${SEP}`;
}
function heightSuffix(version: Version): string {
    return hex12(version.blockNum) + version.txNum.toString(16).padStart(8, '0');
}
export function blockKey(num: number): string {
    return `b${SEP}${hex12(num)}`;
}
export function txKey(txId: string): string {
    return `t${SEP}${txId}`;
}
export function expiryPrefix(expiringBlock: number): string {
    return `x${SEP}${hex12(expiringBlock)}${SEP}`;
}
export function metaKey(name: string): string {
    return `m${SEP}${name}`;
}

/** Where an update goes and what is written there (`null`: the key is deleted). */
export function entryOf(update: StateUpdate): [string, Uint8Array | null] {
    const [key, record] = recordOf(update);
    return [key, record === null ? null : encodeRecord(record)];
}

function recordOf(update: StateUpdate): [string, unknown] {
    switch (update.kind) {
        case 'state':
            return [stateKey(update.namespace, update.key), update.value];
        case 'private':
            return [privateKey(update.namespace, update.collection, update.key), update.value];
        case 'hash':
            return [hashKey(update.namespace, update.collection, update.keyHash), update.value];
        case 'history':
            return [historyPrefix(update.namespace, update.key) + heightSuffix(update.version), update.entry];
        case 'tx':
            return [txKey(update.txId), update.location];
        case 'expiry': {
            const { expiringBlock, namespace, collection, keyHash, committingBlock, key } = update.entry;
            return [
                `${expiryPrefix(expiringBlock)}${namespace}${SEP}${collection}${SEP}${keyHash}`,
                update.remove ? null : { committingBlock, key },
            ];
        }
    }
}

/** The parts of the store that are derived from the blocks, and where each starts. */
export const DERIVED = {
    state: 's',
    'private-hash': 'h',
    history: 'k',
    'transaction-index': 't',
    'expiry-schedule': 'x',
} as const;

export type DerivedPart = keyof typeof DERIVED;

/** What a stored key names, in people's terms: for reports of derived data that does not match the blocks. */
export function describeKey(dbKey: string): {
    namespace?: string;
    collection?: string;
    key?: string;
    keyHash?: string;
    txId?: string;
    block?: number;
} {
    const [space, ...parts] = dbKey.split(SEP);
    switch (space) {
        case 's':
            return { namespace: parts[0], key: parts.slice(1).join(SEP) };
        case 'p':
            return { namespace: parts[0], collection: parts[1], key: parts.slice(2).join(SEP) };
        case 'h':
            return { namespace: parts[0], collection: parts[1], keyHash: parts[2] };
        case 'k':
            return {
                namespace: parts[0],
                key: Buffer.from(parts[1], 'hex').toString('utf8'),
                block: parseInt(parts[2].slice(0, 12), 16),
            };
        case 't':
            return { txId: parts[0] };
        case 'x':
            return { block: parseInt(parts[0], 16), namespace: parts[1], collection: parts[2], keyHash: parts[3] };
        default:
            return {};
    }
}
