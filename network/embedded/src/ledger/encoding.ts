import { createHash } from 'node:crypto';

/**
 * Ledger records are stored as JSON with byte arrays written as `{"$b64": "…"}`. Records are
 * always built with their fields in one fixed order, so the same record gives the same bytes
 * on every peer — that is what endorsement comparison and block hashes rely on.
 */
export function encodeRecord(record: unknown): Uint8Array {
    return Buffer.from(JSON.stringify(record, bytesToJson));
}

export function decodeRecord<T>(bytes: Uint8Array): T {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), jsonToBytes) as T;
}

function bytesToJson(this: Record<string, unknown>, key: string, value: unknown): unknown {
    // Buffer.toJSON runs before the replacer, so look at the holder's original value.
    const original = this[key];
    if (original instanceof Uint8Array) {
        return { $b64: Buffer.from(original.buffer, original.byteOffset, original.byteLength).toString('base64') };
    }
    return value;
}

function jsonToBytes(_key: string, value: unknown): unknown {
    if (value !== null && typeof value === 'object' && '$b64' in value) {
        return new Uint8Array(Buffer.from((value as { $b64: string }).$b64, 'base64'));
    }
    return value;
}

export function sha256(...parts: Uint8Array[]): Uint8Array {
    const hash = createHash('sha256');
    for (const part of parts) {
        hash.update(part);
    }
    return new Uint8Array(hash.digest());
}

export function sha256Hex(data: Uint8Array | string): string {
    return createHash('sha256').update(data).digest('hex');
}

export function toHex(bytes: Uint8Array): string {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function utf8(text: string): Uint8Array {
    return new Uint8Array(Buffer.from(text, 'utf8'));
}
