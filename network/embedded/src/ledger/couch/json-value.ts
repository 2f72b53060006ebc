import { parse } from 'lossless-json';

/** A JSON number as CouchDB keeps it: the literal it gives back, and its value for comparisons. */
export class JsonNumber {
    readonly value: number;

    constructor(readonly literal: string) {
        this.value = Number(literal);
    }
}

/** Objects are maps in Go's key order (UTF-8 bytes): Fabric hands CouchDB its values marshalled by Go. */
export type JsonObject = Map<string, JsonValue>;
export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;

/**
 * A world-state value read the way Fabric's CouchDB state database reads it: a JSON object
 * (Go's `json.Unmarshal` into a map succeeds and is not nil) becomes a document; anything else —
 * an array, a string, a number, `null`, bytes that are not JSON — is stored as a binary
 * attachment and comes back as it was written.
 */
export function readJsonObject(bytes: Uint8Array): JsonObject | undefined {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    if (!/^[ \t\n\r]*\{/.test(text)) {
        return undefined;
    }
    let tree: unknown;
    try {
        tree = parse(text, undefined, (literal) => new JsonNumber(couchNumberLiteral(literal)));
    } catch (err) {
        if (!/Duplicate key/.test((err as Error).message)) {
            return undefined;
        }
        // Go keeps the last of duplicate keys, as JSON.parse does; such values lose their number literals.
        tree = JSON.parse(text, (_key, value: unknown) =>
            typeof value === 'number' ? new JsonNumber(couchNumberLiteral(String(value))) : value,
        );
    }
    return toJsonValue(tree) as JsonObject;
}

function toJsonValue(value: unknown): JsonValue {
    if (value === null || typeof value === 'boolean' || typeof value === 'string' || value instanceof JsonNumber) {
        return value;
    }
    if (Array.isArray(value)) {
        return value.map(toJsonValue);
    }
    const entries = Object.entries(value as Record<string, unknown>).map(([key, inner]): [string, JsonValue] => [
        key,
        toJsonValue(inner),
    ]);
    return new Map(entries.sort(([a], [b]) => compareUtf8(a, b)));
}

/**
 * A number as it comes back from CouchDB: integers exactly (CouchDB keeps them as integers of any
 * size), other numbers as the shortest form of their double, with `.0` when they are whole
 * (`1.50` → `1.5`, `1e2` → `100.0`), as CouchDB's JSON encoder writes doubles.
 */
function couchNumberLiteral(literal: string): string {
    if (/^-?\d+$/.test(literal)) {
        return BigInt(literal).toString();
    }
    const shortest = String(Number(literal));
    return /[.e]/.test(shortest) ? shortest : `${shortest}.0`;
}

/**
 * The bytes Fabric's CouchDB state database returns for a document: Go's `json.Marshal` of the
 * document's fields — keys sorted, no spaces, `<`, `>` and `&` escaped as Go escapes them.
 */
export function marshalJson(value: JsonValue): string {
    if (value === null) {
        return 'null';
    }
    if (typeof value === 'boolean') {
        return String(value);
    }
    if (typeof value === 'string') {
        return goQuote(value);
    }
    if (value instanceof JsonNumber) {
        return value.literal;
    }
    if (Array.isArray(value)) {
        return `[${value.map(marshalJson).join(',')}]`;
    }
    return `{${[...value].map(([key, inner]) => `${goQuote(key)}:${marshalJson(inner)}`).join(',')}}`;
}

const GO_ESCAPES: Record<string, string> = {
    '"': '\\"',
    '\\': '\\\\',
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
    '\b': '\\b',
    '\f': '\\f',
};
const HTML_AND_LINE_SEPARATORS = new Set(['<', '>', '&', '\u2028', '\u2029']);
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A string as Go's encoding/json writes it (HTML-safe escaping, lone surrogates as U+FFFD). */
function goQuote(text: string): string {
    let quoted = '"';
    for (const ch of text.replace(LONE_SURROGATE, '\ufffd')) {
        const escape = GO_ESCAPES[ch];
        if (escape !== undefined) {
            quoted += escape;
        } else if (ch < ' ' || HTML_AND_LINE_SEPARATORS.has(ch)) {
            quoted += `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
        } else {
            quoted += ch;
        }
    }
    return `${quoted}"`;
}

/**
 * CouchDB's field paths: dot-separated names, a backslash escapes a dot (`"a\\.b"` is the one
 * field `a.b`).
 */
export function parseFieldPath(field: string): string[] {
    const parts: string[] = [];
    let current = '';
    for (let i = 0; i < field.length; i++) {
        const ch = field[i];
        if (ch === '\\' && i + 1 < field.length) {
            current += field[++i];
        } else if (ch === '.') {
            parts.push(current);
            current = '';
        } else {
            current += ch;
        }
    }
    parts.push(current);
    return parts;
}

/**
 * The value at a field path, as CouchDB's `mango_doc:get_field`: object fields by name, array
 * elements by a whole-number index; `undefined` when the path leads nowhere.
 */
export function getField(doc: JsonValue, path: readonly string[]): JsonValue | undefined {
    let value: JsonValue | undefined = doc;
    for (const part of path) {
        if (value instanceof Map) {
            value = value.get(part);
        } else if (Array.isArray(value) && /^\d+$/.test(part)) {
            value = value[Number(part)];
        } else {
            return undefined;
        }
        if (value === undefined) {
            return undefined;
        }
    }
    return value;
}

/** CouchDB's `fields` projection: only the named fields, nested where their paths are. */
export function project(doc: JsonObject, fields: readonly string[]): JsonObject {
    const result: JsonObject = new Map();
    for (const field of fields) {
        const path = parseFieldPath(field);
        const value = getField(doc, path);
        if (value === undefined) {
            continue;
        }
        let target = result;
        for (const part of path.slice(0, -1)) {
            let next = target.get(part);
            if (!(next instanceof Map)) {
                next = new Map();
                target.set(part, next);
            }
            target = next;
        }
        target.set(path[path.length - 1], value);
    }
    return sortDeep(result);
}

function sortDeep(object: JsonObject): JsonObject {
    return new Map(
        [...object]
            .sort(([a], [b]) => compareUtf8(a, b))
            .map(([key, value]): [string, JsonValue] => [key, value instanceof Map ? sortDeep(value) : value]),
    );
}

const SURROGATES = /[\ud800-\udfff]/;

/** Go's string order, which is UTF-8 byte order (the same as UTF-16 order when no surrogates are involved). */
export function compareUtf8(a: string, b: string): number {
    if (!SURROGATES.test(a) && !SURROGATES.test(b)) {
        return a < b ? -1 : a > b ? 1 : 0;
    }
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
