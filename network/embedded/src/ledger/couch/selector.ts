import { JsonNumber, type JsonObject, type JsonValue } from './json-value';
import { erlangTerm, QueryError } from './query-error';

/**
 * A Mango selector in CouchDB's normal form (`mango_selector:normalize`): implicit `$and`s and
 * `$eq`s made explicit, field names pushed down to the conditions as dotted paths, and negations
 * (`$not`, `$nor`) moved onto the conditions. A field named `''` is the value itself (inside
 * `$elemMatch` and `$allMatch`).
 */
export type Selector =
    | { kind: 'all' }
    | { kind: 'and'; args: Selector[] }
    | { kind: 'or'; args: Selector[] }
    | { kind: 'not'; arg: Selector }
    | { kind: 'field'; field: string; cond: Condition };

export type Condition =
    | { op: ComparisonOperator; arg: JsonValue }
    | { op: '$in' | '$nin' | '$all'; args: JsonValue[] }
    | { op: '$exists'; arg: boolean }
    | { op: '$type'; arg: string }
    | { op: '$mod'; divisor: number; remainder: number }
    | { op: '$regex'; regex: RegExp; source: string }
    | { op: '$size'; arg: number }
    | { op: '$elemMatch' | '$allMatch'; selector: Selector }
    | { op: '$not'; cond: Condition };

type ComparisonOperator = '$lt' | '$lte' | '$eq' | '$ne' | '$gte' | '$gt';

const NEGATED: Record<ComparisonOperator, ComparisonOperator> = {
    $lt: '$gte',
    $lte: '$gt',
    $eq: '$ne',
    $ne: '$eq',
    $gte: '$lt',
    $gt: '$lte',
};
const UNSUPPORTED = new Set(['$where', '$geoWithin', '$geoIntersects', '$near', '$nearSphere', '$text']);

/** Validates and normalizes a selector as CouchDB does, refusing with CouchDB's errors. */
export function normalizeSelector(raw: JsonValue): Selector {
    if (!(raw instanceof Map)) {
        throw QueryError.couch('invalid_selector_json', `Selector must be a JSON object, not: ${erlangTerm(raw)}`);
    }
    if (raw.size === 0) {
        return { kind: 'all' };
    }
    const selector = negations(toSelector(raw, ''));
    if (selector.kind === 'field' && selector.field === '') {
        throw QueryError.couch('invalid_selector', 'One or more conditions is missing a field name.');
    }
    return selector;
}

/** A selector object under a field path (`''` at the top and inside `$elemMatch`/`$allMatch`). */
function toSelector(object: JsonObject, path: string): Selector {
    if (object.size !== 1) {
        if (object.size === 0) {
            return { kind: 'field', field: path, cond: { op: '$eq', arg: object } };
        }
        return { kind: 'and', args: [...object].map(([key, value]) => toSelector(new Map([[key, value]]), path)) };
    }
    const [[key, value]] = object;
    switch (key) {
        case '$and':
        case '$or':
        case '$nor': {
            if (!Array.isArray(value)) {
                throw badArg(key, value);
            }
            const args = value.map((item) => (item instanceof Map ? toSelector(item, path) : condAt(path, item)));
            return key === '$and'
                ? { kind: 'and', args }
                : key === '$or'
                  ? { kind: 'or', args }
                  : { kind: 'and', args: args.map((arg): Selector => ({ kind: 'not', arg })) };
        }
        case '$not':
            if (!(value instanceof Map)) {
                throw badArg(key, value);
            }
            return { kind: 'not', arg: toSelector(value, path) };
    }
    if (key.startsWith('$')) {
        return { kind: 'field', field: path, cond: condition(key, value) };
    }
    const field = path === '' ? key : `${path}.${key}`;
    return value instanceof Map && value.size > 0 ? toSelector(value, field) : condAt(field, value);
}

function condAt(field: string, value: JsonValue): Selector {
    return { kind: 'field', field, cond: { op: '$eq', arg: value } };
}

/** One operator and its argument, checked as CouchDB's `norm_ops` checks it. */
function condition(op: string, arg: JsonValue): Condition {
    switch (op) {
        case '$lt':
        case '$lte':
        case '$eq':
        case '$ne':
        case '$gte':
        case '$gt':
            return { op, arg };
        case '$in':
        case '$nin':
        case '$all':
            if (!Array.isArray(arg)) {
                throw badArg(op, arg);
            }
            return { op, args: arg };
        case '$exists':
            if (typeof arg !== 'boolean') {
                throw badArg(op, arg);
            }
            return { op, arg };
        case '$type':
            if (typeof arg !== 'string') {
                throw badArg(op, arg);
            }
            return { op, arg };
        case '$mod':
            if (!Array.isArray(arg) || arg.length !== 2 || !arg.every(isInteger)) {
                throw badArg(op, arg);
            }
            return { op, divisor: (arg[0] as JsonNumber).value, remainder: (arg[1] as JsonNumber).value };
        case '$regex':
            if (typeof arg !== 'string') {
                throw badArg(op, arg);
            }
            try {
                return { op, regex: new RegExp(arg), source: arg };
            } catch {
                throw badArg(op, arg);
            }
        case '$size':
            if (!isInteger(arg) || (arg as JsonNumber).value < 0) {
                throw badArg(op, arg);
            }
            return { op, arg: (arg as JsonNumber).value };
        case '$elemMatch':
        case '$allMatch':
            if (!(arg instanceof Map)) {
                throw badArg(op, arg);
            }
            return { op, selector: negations(toSelector(arg, '')) };
    }
    if (UNSUPPORTED.has(op)) {
        throw QueryError.couch('not_supported', `Unsupported operator: ${op}`);
    }
    throw QueryError.couch('invalid_operator', `Invalid operator: ${op}`);
}

function isInteger(value: JsonValue): boolean {
    return value instanceof JsonNumber && /^-?\d+$/.test(value.literal);
}

function badArg(op: string, arg: JsonValue): QueryError {
    return QueryError.couch('bad_arg', `Bad argument for operator ${op}: ${erlangTerm(arg)}`);
}

/** CouchDB's `norm_negations`: `$not` moved down to the conditions, by De Morgan where it must. */
function negations(selector: Selector): Selector {
    switch (selector.kind) {
        case 'not':
            return negate(selector.arg);
        case 'and':
        case 'or':
            return { kind: selector.kind, args: selector.args.map(negations) };
        default:
            return selector;
    }
}

function negate(selector: Selector): Selector {
    switch (selector.kind) {
        case 'not':
            return negations(selector.arg);
        case 'and':
            return { kind: 'or', args: selector.args.map(negate) };
        case 'or':
            return { kind: 'and', args: selector.args.map(negate) };
        case 'all':
            return { kind: 'not', arg: selector };
        case 'field':
            return { kind: 'field', field: selector.field, cond: negateCondition(selector.cond) };
    }
}

function negateCondition(cond: Condition): Condition {
    switch (cond.op) {
        case '$lt':
        case '$lte':
        case '$eq':
        case '$ne':
        case '$gte':
        case '$gt':
            return { op: NEGATED[cond.op], arg: cond.arg };
        case '$in':
            return { op: '$nin', args: cond.args };
        case '$nin':
            return { op: '$in', args: cond.args };
        case '$exists':
            return { op: '$exists', arg: !cond.arg };
        case '$not':
            return cond.cond;
        default:
            return { op: '$not', cond };
    }
}
