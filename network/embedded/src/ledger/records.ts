import type { KeyModification } from '../chaincode/handler';
import type { Version } from './rwset';

/** A value with the height of the transaction that wrote it and the key's metadata. */
export interface VersionedValue {
    value: Uint8Array;
    version: Version;
    metadata: Record<string, Uint8Array>;
}

export interface VersionedKeyValue extends VersionedValue {
    key: string;
}

/** The hash a channel keeps for a private key: what every peer has, member or not. */
export interface HashedValue {
    valueHash: string;
    version: Version;
    metadata: Record<string, Uint8Array>;
}

/** Where a committed transaction sits and how it was judged. */
export interface TxLocation {
    blockNum: number;
    txNum: number;
    code: number;
}

/**
 * Private data due to expire (Fabric's expiry schedule): committed in `committingBlock`, purged
 * with the commit of `expiringBlock` = committingBlock + blockToLive + 1. `key` is known where the
 * private value was at hand; a replay of the blocks knows only the hash.
 */
export interface ExpiryEntry {
    expiringBlock: number;
    namespace: string;
    collection: string;
    keyHash: string;
    committingBlock: number;
    key?: string;
}

/** One change a block makes besides storing itself, ready to be written. */
export type StateUpdate =
    | { kind: 'state'; namespace: string; key: string; value: VersionedValue | null }
    | { kind: 'private'; namespace: string; collection: string; key: string; value: VersionedValue | null }
    | { kind: 'hash'; namespace: string; collection: string; keyHash: string; value: HashedValue | null }
    | { kind: 'history'; namespace: string; key: string; version: Version; entry: KeyModification }
    | { kind: 'tx'; txId: string; location: TxLocation }
    | { kind: 'expiry'; entry: ExpiryEntry; remove: boolean };

/**
 * The savepoint: how many blocks have their state applied, and the hashes of the last one. It is
 * written in the same atomic batch as the block, so it names the chain's tail exactly; on open
 * the stored tail is checked against it.
 */
export interface Savepoint {
    height: number;
    lastHeaderHash: string;
    lastCommitHash: string;
}
