import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Block } from './block';
import { decodeBlockRecord, encodeBlockRecord, MalformedBlockRecordError } from './block-record';
import { encodeRecord } from './encoding';

const block: Block = {
    header: { number: 7, previousHash: 'ab'.repeat(32), dataHash: 'cd'.repeat(32), hashing: 'fabric' },
    data: [new Uint8Array(randomBytes(4300)), new Uint8Array(0), new Uint8Array(randomBytes(12))],
    metadata: { validationCodes: [0, 11, 0], committedAt: '2026-11-30T04:00:00.000Z', commitHash: 'ef'.repeat(32) },
};

describe('stored block records', () => {
    it('give back the block they were made from, its transactions byte for byte', () => {
        const bytes = encodeBlockRecord(block);
        expect(decodeBlockRecord(bytes)).toEqual(block);
        expect(bytes.length).toBeLessThan(encodeRecord(block).length);
    });

    it('read the JSON records of blocks written before', () => {
        expect(decodeBlockRecord(encodeRecord(block))).toEqual(block);
    });

    it('refuse a record whose header or metadata lost a field or holds the wrong kind of value', () => {
        const renamed = Buffer.from(encodeBlockRecord(block));
        const at = renamed.indexOf('"committedAt"');
        renamed[at + 'committedA'.length + 1] ^= 0x01; // committedAt → committedAu: still JSON
        expect(() => decodeBlockRecord(renamed)).toThrow(/metadata\.committedAt is malformed/);

        const wrongKind = Buffer.from(encodeBlockRecord(block));
        wrongKind.write('k', wrongKind.indexOf('"fabric"') + 'fabri'.length + 1); // "fabrik": not a hashing
        expect(() => decodeBlockRecord(wrongKind)).toThrow(/header\.hashing is malformed/);

        const oldFormat = JSON.parse(Buffer.from(encodeRecord(block)).toString()) as Record<string, unknown>;
        delete (oldFormat.header as Record<string, unknown>).dataHash;
        expect(() => decodeBlockRecord(Buffer.from(JSON.stringify(oldFormat)))).toThrow(
            /header\.dataHash is malformed/,
        );
    });

    it('refuse bytes that are cut short, run on or are not a block record', () => {
        const bytes = encodeBlockRecord(block);
        for (const damaged of [
            bytes.subarray(0, bytes.length - 1),
            Uint8Array.from([...bytes, 0]),
            bytes.subarray(1),
        ]) {
            expect(() => decodeBlockRecord(damaged)).toThrow(MalformedBlockRecordError);
        }
    });
});
