import { compareUtf8, JsonNumber, type JsonValue } from './json-value';

/**
 * Strings in CouchDB's view collation are compared by ICU's root collator (so `a` < `A` < `b`);
 * Node's Intl.Collator is the same library with the same root rules.
 */
const icu = new Intl.Collator('und');

/**
 * CouchDB's collation of JSON values (`mango_json:cmp`, the order of views and Mango
 * comparisons): null < false < true < numbers < strings < arrays < objects; arrays and objects
 * element by element, the shorter first when one is a prefix of the other.
 */
export function compareJson(a: JsonValue, b: JsonValue): number {
    const rank = typeRank(a) - typeRank(b);
    if (rank !== 0) {
        return Math.sign(rank);
    }
    if (a instanceof JsonNumber && b instanceof JsonNumber) {
        return Math.sign(a.value - b.value);
    }
    if (typeof a === 'string' && typeof b === 'string') {
        return Math.sign(icu.compare(a, b));
    }
    if (Array.isArray(a) && Array.isArray(b)) {
        for (let i = 0; i < Math.min(a.length, b.length); i++) {
            const order = compareJson(a[i], b[i]);
            if (order !== 0) {
                return order;
            }
        }
        return Math.sign(a.length - b.length);
    }
    if (a instanceof Map && b instanceof Map) {
        const left = [...a];
        const right = [...b];
        for (let i = 0; i < Math.min(left.length, right.length); i++) {
            const order = compareJson(left[i][0], right[i][0]) || compareJson(left[i][1], right[i][1]);
            if (order !== 0) {
                return order;
            }
        }
        return Math.sign(left.length - right.length);
    }
    return 0; // null, or booleans of the same value
}

/** Document ids compare as raw bytes (`mango_json:cmp_raw`, `_all_docs` order), which is LevelDB's key order. */
export function compareIds(a: string, b: string): number {
    return Math.sign(compareUtf8(a, b));
}

function typeRank(value: JsonValue): number {
    if (value === null) {
        return 0;
    }
    if (value === false) {
        return 1;
    }
    if (value === true) {
        return 2;
    }
    if (value instanceof JsonNumber) {
        return 3;
    }
    if (typeof value === 'string') {
        return 4;
    }
    return Array.isArray(value) ? 5 : 6;
}
