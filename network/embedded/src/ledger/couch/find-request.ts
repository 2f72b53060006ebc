import { isLosslessNumber, parse } from 'lossless-json';
import { JsonNumber, type JsonValue, readJsonObject } from './json-value';
import { erlangTerm, QueryError } from './query-error';
import { normalizeSelector, type Selector } from './selector';

/** A sort as CouchDB accepts it: field names, all in one direction. */
export interface Sort {
    fields: string[];
    direction: 'asc' | 'desc';
}

/** A Mango `_find` request after Fabric rewrote it and CouchDB checked it. */
export interface FindRequest {
    selector: Selector;
    sort?: Sort;
    /** The projection; Fabric adds `_id` and `~version` and takes them out again. */
    fields?: string[];
    skip: number;
    /** `use_index`: a design document, and optionally an index name in it. */
    useIndex?: { ddoc: string; name?: string };
    allowFallback: boolean;
}

type Check = (value: JsonValue) => void;

const boolean: Check = (value) => {
    if (typeof value !== 'boolean') {
        throw QueryError.couch('invalid_boolean', `Invalid boolean value: ${erlangTerm(value)}`);
    }
};
const nonNegativeInteger: Check = (value) => {
    if (!isInteger(value) || (value as JsonNumber).value < 0) {
        throw QueryError.couch(
            'invalid_non_neg_integer',
            `${erlangTerm(value)} is not an integer greater than or equal to zero`,
        );
    }
};
const positiveInteger: Check = (value) => {
    if (!isInteger(value) || (value as JsonNumber).value <= 0) {
        throw QueryError.couch('invalid_pos_integer', `${erlangTerm(value)} is not an integer greater than zero`);
    }
};

/**
 * The keys CouchDB's `_find` takes, in the order it checks them (`mango_opts:validate_find`);
 * `selector` is required. `limit` is Fabric's to set, `bookmark` comes from the paging.
 */
const FIND_KEYS: [string, Check | undefined][] = [
    ['selector', undefined],
    ['use_index', undefined],
    ['bookmark', undefined],
    ['limit', nonNegativeInteger],
    ['skip', nonNegativeInteger],
    ['sort', undefined],
    ['fields', undefined],
    ['partition', undefined],
    ['r', positiveInteger],
    ['conflicts', boolean],
    ['stale', undefined],
    ['update', boolean],
    ['stable', boolean],
    ['execution_stats', boolean],
    ['allow_fallback', boolean],
];

/**
 * Reads a chaincode's query string as Fabric and CouchDB do: Fabric decodes it (a JSON object;
 * `fields`, if present, must be an array), sets `limit` itself and adds the bookmark; CouchDB
 * checks every key and refuses unknown ones.
 */
export function parseFindRequest(query: string): FindRequest {
    const json = readJsonObject(Buffer.from(query, 'utf8'));
    if (!json) {
        throw new QueryError(describeJsonError(query));
    }
    if (json.has('fields') && !Array.isArray(json.get('fields'))) {
        throw new QueryError('fields definition must be an array');
    }
    for (const [key, check] of FIND_KEYS) {
        if (!json.has(key)) {
            if (key === 'selector') {
                throw QueryError.couch('missing_required_key', 'Missing required key: selector');
            }
            continue;
        }
        check?.(json.get(key) as JsonValue);
    }
    const unknown = [...json.keys()].find((key) => !FIND_KEYS.some(([known]) => known === key));
    if (unknown !== undefined) {
        throw QueryError.couch('invalid_key', `Invalid key ${unknown} for this request.`);
    }
    const partition = json.get('partition');
    if (partition !== undefined && partition !== '') {
        // Fabric's state databases are not partitioned.
        throw QueryError.couch('bad_request', '`partition` parameter is not supported in this db.');
    }
    const stale = json.get('stale');
    if (stale !== undefined && stale !== 'ok' && stale !== 'false' && stale !== false) {
        throw QueryError.couch(
            'unknown_error',
            `Unknown Error: mango_opts :: {invalid_ok_or_false_value,${erlangTerm(stale)}}`,
            500,
        );
    }
    const selector = normalizeSelector(json.get('selector') as JsonValue);
    const sort = json.has('sort') ? parseSort(json.get('sort') as JsonValue) : undefined;
    const skip = json.get('skip');
    const useIndex = parseUseIndex(json.get('use_index'));
    return {
        selector,
        ...(sort && sort.fields.length > 0 ? { sort } : {}),
        ...(json.has('fields') ? { fields: parseFields(json.get('fields') as JsonValue[]) } : {}),
        skip: skip instanceof JsonNumber ? skip.value : 0,
        ...(useIndex ? { useIndex } : {}),
        allowFallback: json.get('allow_fallback') !== false,
    };
}

/** CouchDB's `mango_sort:new`: `"field"` or `{"field": "asc"|"desc"}`, one direction for all. */
export function parseSort(value: JsonValue): Sort {
    if (!Array.isArray(value)) {
        throw QueryError.couch('invalid_sort_json', `Sort must be an array of sort specs, not: ${erlangTerm(value)}`);
    }
    const specs = value.map((spec): [string, 'asc' | 'desc'] => {
        if (typeof spec === 'string' && spec !== '') {
            return [spec, 'asc'];
        }
        if (spec instanceof Map && spec.size === 1) {
            const [[field, direction]] = spec;
            if (direction === 'asc' || direction === 'desc') {
                return [field, direction];
            }
        }
        throw QueryError.couch('invalid_sort_field', `Invalid sort field: ${erlangTerm(spec)}`);
    });
    const directions = new Set(specs.map(([, direction]) => direction));
    if (directions.size > 1) {
        throw QueryError.couch(
            'unsupported_mixed_sort',
            'Sorts currently only support a single direction for all fields.',
        );
    }
    return { fields: specs.map(([field]) => field), direction: specs[0]?.[1] ?? 'asc' };
}

function parseFields(fields: JsonValue[]): string[] {
    for (const field of fields) {
        if (typeof field !== 'string') {
            throw QueryError.couch('invalid_field', `Invalid JSON for field spec: ${erlangTerm(field)}`);
        }
    }
    return fields as string[];
}

/** CouchDB's `validate_use_index`: `"ddoc"`, `"ddoc/name"`, `"_design/ddoc/name"`, `[ddoc]` or `[ddoc, name]`. */
function parseUseIndex(value: JsonValue | undefined): { ddoc: string; name?: string } | undefined {
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
        return undefined;
    }
    let parts: JsonValue[] | undefined;
    if (typeof value === 'string') {
        const [first, ...rest] = value.split('/');
        const tail = rest.join('/');
        parts = first === '_design' ? tail.split(/\/(.*)/s).filter((p) => p !== '') : tail ? [first, tail] : [first];
    } else if (Array.isArray(value) && value.length <= 2 && value.every((p) => typeof p === 'string')) {
        parts = value;
    }
    if (!parts || parts.length === 0 || parts.length > 2) {
        throw QueryError.couch('invalid_index_name', `Invalid index name: ${erlangTerm(value)}`);
    }
    const [ddoc, name] = parts as string[];
    return { ddoc: ddoc.startsWith('_design/') ? ddoc : `_design/${ddoc}`, ...(name ? { name } : {}) };
}

function isInteger(value: JsonValue): boolean {
    return value instanceof JsonNumber && /^-?\d+$/.test(value.literal);
}

/** Why Fabric cannot decode a query into a JSON object (Go's words for a JSON value of another type). */
function describeJsonError(query: string): string {
    let value: unknown;
    try {
        value = parse(query);
    } catch (err) {
        return `the query is not valid JSON: ${(err as Error).message}`;
    }
    const type =
        value === null
            ? 'null'
            : Array.isArray(value)
              ? 'array'
              : isLosslessNumber(value)
                ? 'number'
                : typeof value === 'boolean'
                  ? 'bool'
                  : 'string';
    return `json: cannot unmarshal ${type} into Go value of type map[string]interface {}`;
}
