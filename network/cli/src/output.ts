/** Chaincode results are usually JSON; show them decoded when they are. */
export function decodeResult(bytes: Uint8Array): unknown {
    const text = Buffer.from(bytes).toString('utf8');
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/** Bytes (e.g. rwset values) as text when they are printable UTF-8, else as `{ base64 }`; never as `{"0":118,…}`. */
function displayBytes(bytes: Uint8Array): string | { base64: string } {
    try {
        const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        // eslint-disable-next-line no-control-regex -- control characters mark binary values such as a VALIDATION_PARAMETER protobuf
        if (!/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text)) {
            return text;
        }
    } catch {
        // not UTF-8: fall through to base64
    }
    return { base64: Buffer.from(bytes).toString('base64') };
}

/**
 * What the CLI prints: indented JSON (or one line per value, `indent` 0, for streams), block
 * numbers as numbers, bytes readable.
 */
export function formatJson(value: unknown, indent = 2): string {
    // `this[key]` is the value before `toJSON`: a Buffer would otherwise arrive as `{ type, data }`.
    function replacer(this: Record<string, unknown>, key: string, v: unknown): unknown {
        const original = this[key];
        return typeof original === 'bigint'
            ? Number(original)
            : original instanceof Uint8Array
              ? displayBytes(original)
              : v;
    }
    return JSON.stringify(value, replacer, indent) + '\n';
}
