import { peer } from '@hyperledger/fabric-protos';
import { computeHeaderHash } from './block';
import { type BlockToLive, BlockUpdates, transactionIndex } from './block-updates';
import { decodeResponsePayload, decodeTransaction } from './fabric-transaction';
import { type DerivedPart, entryOf, SEP } from './keys';
import type { ExpiryEntry, HashedValue, Savepoint, StateUpdate, VersionedValue } from './records';
import type { LedgerStore } from './store';

/** What the blocks say the derived parts of the store must hold, as the committer would have written it. */
export interface DerivedLedger {
    savepoint: Savepoint;
    /** Expected entries of each derived part: store key → stored bytes. */
    entries: Record<DerivedPart, Map<string, Uint8Array>>;
    /** The private data hashes the chain ends with (namespace \0 collection \0 key hash): what private values must match. */
    hashes: Map<string, HashedValue>;
    /** Expiry entries still pending at the end of the chain, by store key. */
    pendingExpiry: Map<string, ExpiryEntry>;
}

/**
 * Replays blocks 0 … height − 1 as a committing peer applied them — the valid transactions'
 * write sets, history, the transaction index and private data expiry — with the committer's own
 * code (`BlockUpdates`), and returns what the store's derived parts must hold. Validation is not
 * run again: the blocks carry their verdicts, which the commit hash chain protects, as Fabric's
 * `rebuild-dbs` recommits blocks with their stored validation flags. The whole derived state is
 * held in memory: about the size of the state and history.
 */
export async function replayChain(
    store: LedgerStore,
    height: number,
    blockToLive: BlockToLive,
): Promise<DerivedLedger> {
    const state = new Map<string, VersionedValue | null>();
    const hashes = new Map<string, HashedValue | null>();
    const entries: DerivedLedger['entries'] = {
        state: new Map(),
        'private-hash': new Map(),
        history: new Map(),
        'transaction-index': new Map(),
        'expiry-schedule': new Map(),
    };
    const schedule = new Map<number, Map<string, ExpiryEntry>>();
    let savepoint: Savepoint = { height: 0, lastHeaderHash: '', lastCommitHash: '' };
    for (let blockNum = 0; blockNum < height; blockNum++) {
        const block = await store.getBlock(blockNum);
        if (!block) {
            throw new Error(`block ${blockNum} is missing`);
        }
        const updates = new BlockUpdates({ blockNum, blockToLive, state, hashes });
        const envelopes = block.data.map((bytes) => decodeTransaction(bytes));
        envelopes.forEach((envelope, txNum) => {
            if (block.metadata.validationCodes[txNum] === peer.TxValidationCode.VALID) {
                const payload = decodeResponsePayload(envelope.responsePayload);
                updates.apply(payload.rwset, [], { blockNum, txNum }, envelope);
            }
        });
        // A replay holds no private values: only the hashes expire here.
        updates.expire([...(schedule.get(blockNum)?.values() ?? [])], () => undefined);
        schedule.delete(blockNum);
        const txIds = envelopes.map((envelope) => envelope.txId);
        for (const update of [...updates.updates, ...transactionIndex(block, txIds)]) {
            record(update, entries, schedule);
        }
        savepoint = {
            height: blockNum + 1,
            lastHeaderHash: computeHeaderHash(block.header),
            lastCommitHash: block.metadata.commitHash,
        };
    }
    for (const [id, value] of state) {
        if (value) {
            const [namespace, key] = splitOnce(id);
            const [dbKey, bytes] = entryOf({ kind: 'state', namespace, key, value });
            entries.state.set(dbKey, bytes as Uint8Array);
        }
    }
    const finalHashes = new Map<string, HashedValue>();
    for (const [id, value] of hashes) {
        if (value) {
            const [namespace, collection, keyHash] = id.split(SEP);
            const [dbKey, bytes] = entryOf({ kind: 'hash', namespace, collection, keyHash, value });
            entries['private-hash'].set(dbKey, bytes as Uint8Array);
            finalHashes.set(id, value);
        }
    }
    const pendingExpiry = new Map<string, ExpiryEntry>();
    for (const byKey of schedule.values()) {
        byKey.forEach((entry, dbKey) => pendingExpiry.set(dbKey, entry));
    }
    return { savepoint, entries, hashes: finalHashes, pendingExpiry };
}

/** History, the transaction index and the expiry schedule accumulate as the blocks are replayed. */
function record(
    update: StateUpdate,
    entries: DerivedLedger['entries'],
    schedule: Map<number, Map<string, ExpiryEntry>>,
): void {
    const part: DerivedPart | undefined =
        update.kind === 'history'
            ? 'history'
            : update.kind === 'tx'
              ? 'transaction-index'
              : update.kind === 'expiry'
                ? 'expiry-schedule'
                : undefined;
    if (!part) {
        return; // state and hashes are read from the working state at the end
    }
    const [dbKey, bytes] = entryOf(update);
    if (bytes === null) {
        entries[part].delete(dbKey);
    } else {
        entries[part].set(dbKey, bytes);
    }
    if (update.kind === 'expiry') {
        const { expiringBlock } = update.entry;
        const due = schedule.get(expiringBlock) ?? new Map<string, ExpiryEntry>();
        if (update.remove) {
            due.delete(dbKey);
        } else {
            due.set(dbKey, update.entry);
        }
        schedule.set(expiringBlock, due);
    }
}

function splitOnce(id: string): [string, string] {
    const at = id.indexOf(SEP);
    return [id.slice(0, at), id.slice(at + 1)];
}
