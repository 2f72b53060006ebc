import { isUtf8 } from 'node:buffer';

/**
 * Bytes in a JSON answer: always base64 (exact), and the UTF-8 text beside it when the bytes are
 * text (chaincode values, payloads and events are JSON text here), so people and a UI can read it.
 */
export interface BytesJson {
    base64: string;
    text?: string;
}

function bytesJson(bytes: Uint8Array): BytesJson {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return isUtf8(buffer)
        ? { base64: buffer.toString('base64'), text: buffer.toString('utf8') }
        : { base64: buffer.toString('base64') };
}

/**
 * A value of the seam's types in its JSON form: bytes as {@link BytesJson}, block numbers
 * (`bigint`) as numbers. The remote backend (`@zhelian/remote`) reads this form back.
 */
export function jsonForm(value: unknown): unknown {
    if (value instanceof Uint8Array) {
        return bytesJson(value);
    }
    if (typeof value === 'bigint') {
        return Number(value);
    }
    if (Array.isArray(value)) {
        return value.map(jsonForm);
    }
    if (value !== null && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, jsonForm(field)]));
    }
    return value;
}

/**
 * A chaincode's answer as JSON: the parsed value when it is JSON text (as every zhelian
 * transaction returns), the text when it is other text, `null` when empty, else its base64.
 */
export function decodeResult(bytes: Uint8Array): unknown {
    if (bytes.byteLength === 0) {
        return null;
    }
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (!isUtf8(buffer)) {
        return { base64: buffer.toString('base64') };
    }
    const text = buffer.toString('utf8');
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return text;
    }
}
