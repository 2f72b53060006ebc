import type { BlockInfo, KeyModification, TransactionInfo } from '@zhelian/api';

/**
 * The gateway's JSON form of the seam's types, read back: bytes arrive as `{base64, text?}`, block
 * numbers as numbers (the gateway's `jsonForm`).
 */
interface BytesJson {
    base64: string;
}

const isBytes = (value: unknown): value is BytesJson =>
    value !== null && typeof value === 'object' && typeof (value as BytesJson).base64 === 'string';

function bytesOf(value: BytesJson): Uint8Array {
    return new Uint8Array(Buffer.from(value.base64, 'base64'));
}

/**
 * Every `{base64, …}` object in a value back to bytes. The seam's explorer types hold no other
 * object with a `base64` field, so the form is unambiguous for them.
 */
function revive(value: unknown): unknown {
    if (isBytes(value)) {
        return bytesOf(value);
    }
    if (Array.isArray(value)) {
        return value.map(revive);
    }
    if (value !== null && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, revive(field)]));
    }
    return value;
}

export const blockOf = (json: unknown): BlockInfo => revive(json) as BlockInfo;
export const transactionOf = (json: unknown): TransactionInfo => revive(json) as TransactionInfo;
export const historyOf = (json: unknown): KeyModification[] => revive(json) as KeyModification[];
