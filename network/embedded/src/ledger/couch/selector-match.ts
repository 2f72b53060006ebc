import { compareIds, compareJson } from './collation';
import { JsonNumber, type JsonValue, marshalJson, parseFieldPath } from './json-value';
import type { Condition, Selector } from './selector';

/** Whether a document (or, inside `$elemMatch`, a value) matches: CouchDB's `mango_selector:match`. */
export function matches(selector: Selector, value: JsonValue): boolean {
    switch (selector.kind) {
        case 'all':
            return true;
        case 'and':
            return selector.args.every((arg) => matches(arg, value));
        case 'or':
            return selector.args.some((arg) => matches(arg, value));
        case 'not':
            return !matches(selector.arg, value);
        case 'field': {
            if (selector.field === '') {
                return matchCondition(selector.cond, value, compareJson);
            }
            const found = lookup(value, parseFieldPath(selector.field));
            if (found === NOT_FOUND) {
                return selector.cond.op === '$exists' && !selector.cond.arg;
            }
            if (found === BAD_PATH) {
                return false;
            }
            return matchCondition(selector.cond, found, selector.field === '_id' ? compareIdValues : compareJson);
        }
    }
}

type Compare = (a: JsonValue, b: JsonValue) => number;

function matchCondition(cond: Condition, value: JsonValue, compare: Compare): boolean {
    switch (cond.op) {
        case '$lt':
            return compare(value, cond.arg) < 0;
        case '$lte':
            return compare(value, cond.arg) <= 0;
        case '$eq':
            return compare(value, cond.arg) === 0;
        case '$ne':
            return compare(value, cond.arg) !== 0;
        case '$gte':
            return compare(value, cond.arg) >= 0;
        case '$gt':
            return compare(value, cond.arg) > 0;
        case '$in':
            return Array.isArray(value)
                ? cond.args.some((arg) => value.some((item) => compare(item, arg) === 0))
                : cond.args.some((arg) => compare(value, arg) === 0);
        case '$nin':
            return Array.isArray(value)
                ? !cond.args.some((arg) => value.some((item) => compare(item, arg) === 0))
                : cond.args.every((arg) => compare(value, arg) !== 0);
        case '$all': {
            if (!Array.isArray(value)) {
                return false;
            }
            // Erlang's lists:member: the same term, so 1 and 1.0 differ; or the one argument is the list.
            const terms = new Set(value.map(marshalJson));
            const hasAll = cond.args.every((arg) => terms.has(marshalJson(arg)));
            const isArg = cond.args.length === 1 && Array.isArray(cond.args[0]) && compare(cond.args[0], value) === 0;
            return hasAll || isArg;
        }
        case '$exists':
            return cond.arg;
        case '$type':
            return cond.arg === typeName(value);
        case '$mod':
            return (
                value instanceof JsonNumber &&
                /^-?\d+$/.test(value.literal) &&
                cond.divisor !== 0 &&
                value.value % cond.divisor === cond.remainder
            );
        case '$regex':
            return typeof value === 'string' && cond.regex.test(value);
        case '$size':
            return Array.isArray(value) && value.length === cond.arg;
        case '$elemMatch':
            return Array.isArray(value) && value.some((item) => matches(cond.selector, item));
        case '$allMatch':
            return Array.isArray(value) && value.length > 0 && value.every((item) => matches(cond.selector, item));
        case '$not':
            return !matchCondition(cond.cond, value, compare);
    }
}

/** `_id` compares as raw bytes when both sides are strings (`mango_json:cmp_raw`). */
function compareIdValues(a: JsonValue, b: JsonValue): number {
    return typeof a === 'string' && typeof b === 'string' ? compareIds(a, b) : compareJson(a, b);
}

function typeName(value: JsonValue): string {
    if (value === null) {
        return 'null';
    }
    if (typeof value === 'boolean') {
        return 'boolean';
    }
    if (value instanceof JsonNumber) {
        return 'number';
    }
    if (typeof value === 'string') {
        return 'string';
    }
    return Array.isArray(value) ? 'array' : 'object';
}

const NOT_FOUND = Symbol('not_found');
const BAD_PATH = Symbol('bad_path');

/** `mango_doc:get_field`: a missing field is not_found, a path through a scalar is bad_path. */
function lookup(doc: JsonValue, path: readonly string[]): JsonValue | typeof NOT_FOUND | typeof BAD_PATH {
    let value: JsonValue = doc;
    for (const part of path) {
        if (value instanceof Map) {
            const next = value.get(part);
            if (next === undefined) {
                return NOT_FOUND;
            }
            value = next;
        } else if (Array.isArray(value)) {
            if (!/^\d+$/.test(part)) {
                return BAD_PATH;
            }
            const next = value[Number(part)];
            if (next === undefined) {
                return NOT_FOUND;
            }
            value = next;
        } else {
            return BAD_PATH;
        }
    }
    return value;
}
