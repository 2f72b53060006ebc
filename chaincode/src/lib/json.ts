import stableStringify from 'fast-json-stable-stringify';
import { badInput } from './errors';

/**
 * Sorted-key JSON: the one serialization for everything the chaincode writes to state, puts in
 * an event or returns. Endorsing peers compare results byte for byte, so key order must never
 * depend on how an object was built.
 *
 * ```ts
 * canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }); // '{"a":[2,{"c":4,"d":3}],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
    return stableStringify(value);
}

/** {@link canonicalJson} as UTF-8 bytes, the form state and events store. */
export function canonicalBytes(value: unknown): Uint8Array {
    return Buffer.from(canonicalJson(value), 'utf8');
}

/** Parses a JSON transaction argument; a malformed one is refused with `E_BAD_INPUT`. */
export function parseJsonArgument(name: string, text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        throw badInput(`${name} is not valid JSON`);
    }
}
