import { z } from 'zod';
import type { Block, BlockHeader, BlockMetadata } from './block';
import { decodeRecord } from './encoding';

/*
 * How a block is stored: its transactions' bytes (Fabric envelopes, a few kB each) framed as they
 * are, after a short JSON of the header and metadata:
 *
 *     0x00 0x01 | u32 length | JSON {header, metadata} | u32 count | (u32 length | bytes) per transaction
 *
 * Lengths are big-endian. Blocks written before (data format 2 and older) are one JSON record with
 * every transaction in base64; a JSON record starts with `{`, so the first byte tells them apart
 * and both are read. A block of 100 transactions took about 2 ms of the event loop to write as
 * JSON and as long to read; framed, about 0.1 ms each way and a quarter less disk.
 */

const MARKER = 0x00;
const VERSION = 1;
const JSON_RECORD = 0x7b; // '{'

/**
 * A stored block that is neither a framed record nor a JSON one, is cut short, or whose header
 * or metadata lacks a field or holds the wrong kind of value.
 */
export class MalformedBlockRecordError extends Error {}

/**
 * What a block's header and metadata must hold before anything hashes them: a changed byte can
 * leave the JSON well formed but rename a field (`committedAt` → `committedAu`), and the block
 * must then be reported as damaged, not fail the verification that would report it.
 */
const BLOCK_HEAD = z.object({
    header: z.object({
        number: z.number().int().nonnegative(),
        previousHash: z.string(),
        dataHash: z.string(),
        hashing: z.literal('fabric').optional(),
    }),
    metadata: z.object({
        validationCodes: z.array(z.number().int().min(0).max(255)),
        committedAt: z.string(),
        commitHash: z.string(),
    }),
});

function checkHead(head: unknown): void {
    const checked = BLOCK_HEAD.safeParse(head);
    if (!checked.success) {
        const [issue] = checked.error.issues;
        throw new MalformedBlockRecordError(
            `the block record's ${issue.path.join('.') || 'head'} is malformed: ${issue.message}`,
        );
    }
}

export function encodeBlockRecord(block: Block): Uint8Array {
    const head = Buffer.from(JSON.stringify({ header: block.header, metadata: block.metadata }));
    const size = 2 + 4 + head.length + 4 + block.data.reduce((sum, tx) => sum + 4 + tx.length, 0);
    const record = Buffer.allocUnsafe(size);
    record[0] = MARKER;
    record[1] = VERSION;
    let at = record.writeUInt32BE(head.length, 2);
    at += head.copy(record, at);
    at = record.writeUInt32BE(block.data.length, at);
    for (const tx of block.data) {
        at = record.writeUInt32BE(tx.length, at);
        record.set(tx, at);
        at += tx.length;
    }
    return record;
}

export function decodeBlockRecord(bytes: Uint8Array): Block {
    if (bytes[0] === JSON_RECORD) {
        const block = decodeRecord<Block>(bytes);
        checkHead(block);
        if (!Array.isArray(block.data) || !block.data.every((tx) => tx instanceof Uint8Array)) {
            throw new MalformedBlockRecordError("the block record's data is not a list of transactions");
        }
        return block;
    }
    if (bytes[0] !== MARKER || bytes[1] !== VERSION) {
        throw new MalformedBlockRecordError(`not a block record (it starts with ${bytes[0]}, ${bytes[1]})`);
    }
    const record = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let at = 2;
    const take = (length: number): Buffer => {
        if (at + length > record.length) {
            throw new MalformedBlockRecordError(`the block record ends ${at + length - record.length} bytes short`);
        }
        const part = record.subarray(at, at + length);
        at += length;
        return part;
    };
    const length = (): number => take(4).readUInt32BE(0);
    const head: unknown = JSON.parse(take(length()).toString('utf8'));
    checkHead(head);
    const { header, metadata } = head as { header: BlockHeader; metadata: BlockMetadata };
    const data: Uint8Array[] = [];
    for (let count = length(); count > 0; count--) {
        data.push(new Uint8Array(take(length())));
    }
    if (at !== record.length) {
        throw new MalformedBlockRecordError(`the block record has ${record.length - at} bytes after its transactions`);
    }
    return { header, data, metadata };
}
