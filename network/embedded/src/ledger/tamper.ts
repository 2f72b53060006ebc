import { ErrorCode, type TamperReport, type UndoTamperReport, ZhelianError } from '@zhelian/api';
import type { Block } from './block';
import type { BlockToLive } from './block-updates';
import { decodeBlockRecord, encodeBlockRecord } from './block-record';
import { damageError } from './damage';
import { decodeResponsePayload, decodeTransaction } from './fabric-transaction';
import type { LedgerStore } from './store';
import { verifyLedger } from './verify-ledger';

/*
 * The instructor's tampering tool, for the lesson on tamper detection: one stored byte of a block
 * changes, as if someone had edited the peer's block file, and verification must find it. The
 * byte is a digit of a value a transaction writes (a receipt's amount, a weight), inside the
 * transaction's Fabric bytes: the block's data hash no longer matches, while the header and
 * the chain of headers stay as they were — only recomputing the data hash finds it. The
 * original record is kept under a metadata record, so undo restores it byte for byte, after a
 * restart too; the damage a verification records meanwhile is what undo clears.
 */

/** The metadata record of a pending tampering: the report and the block record as it was. */
const TAMPER = 'tamper';

interface PendingTamper {
    report: TamperReport;
    /** The block record before the change, base64: undo writes it back as it was. */
    original: string;
}

/** Changes one byte of block `blockNumber`'s stored record; see `LedgerMaintenance.tamperBlock`. */
export function tamperBlock(store: LedgerStore, blockNumber: number): Promise<TamperReport> {
    return store.exclusive(async () => {
        const pending = await store.getMeta<PendingTamper>(TAMPER);
        if (pending) {
            throw new ZhelianError(
                ErrorCode.TAMPER_PENDING,
                `block ${pending.report.blockNumber} is already tampered with (since ${pending.report.tamperedAt}): ` +
                    'undo that first (`npx zhelian tamper --undo`); one tampering at a time keeps the lesson readable',
            );
        }
        if (store.damage) {
            throw damageError(store.location, store.damage);
        }
        if (!Number.isSafeInteger(blockNumber) || blockNumber < 0 || blockNumber >= store.height) {
            throw new ZhelianError(
                ErrorCode.BLOCK_NOT_FOUND,
                `there is no block ${blockNumber}: the chain holds blocks 0–${store.height - 1}`,
            );
        }
        const original = await store.getBlockBytes(blockNumber);
        if (!original) {
            throw new ZhelianError(ErrorCode.BLOCK_NOT_FOUND, `block ${blockNumber} is missing from the block store`);
        }
        const block = decodeBlockRecord(original);
        const target = findByte(block.data);
        if (!target) {
            throw new ZhelianError(
                ErrorCode.NOTHING_TO_TAMPER,
                `block ${blockNumber} has no transaction that writes a value (in Fabric's bytes) to change a byte of: choose another block`,
            );
        }
        const tx = block.data[target.txIndex];
        const oldByte = tx[target.offsetInTransaction];
        const newByte = changed(oldByte);
        const tampered = withByte(original, block, target.txIndex, target.offsetInTransaction, newByte);
        const report: TamperReport = {
            blockNumber,
            txIndex: target.txIndex,
            txId: target.txId,
            namespace: target.namespace,
            key: target.key,
            offsetInValue: target.offsetInValue,
            offsetInTransaction: target.offsetInTransaction,
            offsetInBlock: tampered.offset,
            oldByte,
            newByte,
            oldChar: String.fromCharCode(oldByte),
            newChar: String.fromCharCode(newByte),
            tamperedAt: new Date().toISOString(),
        };
        const record: PendingTamper = { report, original: Buffer.from(original).toString('base64') };
        await store.overwriteBlock(blockNumber, tampered.record, { name: TAMPER, value: record });
        return report;
    });
}

/** Restores the tampered block; see `LedgerMaintenance.undoTamper`. */
export async function undoTamper(store: LedgerStore, blockToLive: BlockToLive): Promise<UndoTamperReport> {
    const { restored, clearedDamage } = await store.exclusive(async () => {
        const pending = await store.getMeta<PendingTamper>(TAMPER);
        if (!pending) {
            throw new ZhelianError(ErrorCode.NO_TAMPER, 'no block is tampered with: there is nothing to undo');
        }
        // The ledger was intact when the byte changed (tampering refuses a damaged one), so damage
        // recorded since is what a verification found of it; LevelDB's own corruption is not.
        const damage = store.damage;
        const clear = damage?.kind === 'inconsistent';
        await store.overwriteBlock(
            pending.report.blockNumber,
            Buffer.from(pending.original, 'base64'),
            { name: TAMPER, value: null },
            { clearDamage: clear },
        );
        return { restored: pending.report, clearedDamage: clear ? damage?.what : undefined };
    });
    // Anything else found wrong is recorded again, and the ledger keeps refusing.
    const verification = await verifyLedger(store, blockToLive);
    return { restored, ...(clearedDamage ? { clearedDamage } : {}), verification };
}

export async function pendingTamper(store: LedgerStore): Promise<TamperReport | undefined> {
    return (await store.getMeta<PendingTamper>(TAMPER))?.report;
}

/** Where in a block the byte to change is: the report's fields a block alone determines. */
type Target = Pick<TamperReport, 'txIndex' | 'txId' | 'namespace' | 'key' | 'offsetInValue' | 'offsetInTransaction'>;

/**
 * The first digit (else the first letter) of the first value written in the block, located in
 * the transaction's bytes: the value is inside the endorsed response payload's read-write set,
 * which the envelope carries as it is.
 */
function findByte(data: Uint8Array[]): Target | undefined {
    for (const [txIndex, bytes] of data.entries()) {
        if (bytes[0] === 0x7b) {
            continue; // a transaction stored as JSON (data format 1): its values are base64 there
        }
        let envelope;
        try {
            envelope = decodeTransaction(bytes);
        } catch {
            continue;
        }
        const tx = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const payloadAt = tx.indexOf(Buffer.from(envelope.responsePayload));
        if (payloadAt < 0) {
            continue;
        }
        for (const ns of decodeResponsePayload(envelope.responsePayload).rwset) {
            for (const write of ns.writes) {
                const value = Buffer.from(write.value);
                const offsetInValue = pick(value);
                const valueAt = offsetInValue === undefined ? -1 : tx.indexOf(value, payloadAt);
                if (write.isDelete || offsetInValue === undefined || valueAt < 0) {
                    continue;
                }
                return {
                    txIndex,
                    txId: envelope.txId,
                    namespace: ns.namespace,
                    key: write.key,
                    offsetInValue,
                    offsetInTransaction: valueAt + offsetInValue,
                };
            }
        }
    }
    return undefined;
}

const isDigit = (byte: number): boolean => byte >= 0x30 && byte <= 0x39;
const isLetter = (byte: number): boolean => (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7a;

function pick(value: Buffer): number | undefined {
    const digit = value.findIndex(isDigit);
    if (digit >= 0) {
        return digit;
    }
    const letter = value.findIndex(isLetter);
    return letter >= 0 ? letter : value.length > 0 ? 0 : undefined;
}

/** A digit becomes the next digit (9 → 1, never a leading zero), a letter changes case, anything else flips its low bit. */
function changed(byte: number): number {
    if (isDigit(byte)) {
        return byte === 0x39 ? 0x31 : byte + 1;
    }
    return isLetter(byte) ? byte ^ 0x20 : byte ^ 0x01;
}

/**
 * The block record with one byte of transaction `txIndex` changed, and where that byte is in it.
 * A framed record (data format 3) changes in that one byte; an older JSON record, whose
 * transactions are base64, is written framed with the byte changed (undo restores the original).
 */
function withByte(
    original: Uint8Array,
    block: Block,
    txIndex: number,
    offsetInTransaction: number,
    newByte: number,
): { record: Uint8Array; offset: number } {
    const data = block.data.map((tx, index) => {
        const copy = new Uint8Array(tx);
        if (index === txIndex) {
            copy[offsetInTransaction] = newByte;
        }
        return copy;
    });
    const record = original[0] === 0x7b ? encodeBlockRecord({ ...block, data }) : new Uint8Array(original);
    const after = block.data.slice(txIndex).reduce((sum, tx) => sum + 4 + tx.length, 0);
    const offset = record.length - after + 4 + offsetInTransaction;
    record[offset] = newByte;
    return { record, offset };
}
