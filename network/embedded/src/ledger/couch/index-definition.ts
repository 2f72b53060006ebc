import { createHash } from 'node:crypto';
import { readJsonObject, type JsonObject, type JsonValue, marshalJson } from './json-value';
import { parseSort } from './find-request';
import { normalizeSelector, type Selector } from './selector';

/** A CouchDB JSON index (Mango `_index`), as a chaincode package defines it. */
export interface IndexDefinition {
    /** The design document, `_design/…`. */
    ddoc: string;
    name: string;
    /** The indexed fields, in order; CouchDB sorts a JSON index by them, then by document id. */
    fields: string[];
    direction: 'asc' | 'desc';
    /** A partial index holds only documents matching this; it serves a query only when named in `use_index`. */
    partialFilter?: Selector;
    /** The package file it came from, e.g. `META-INF/statedb/couchdb/indexes/indexOwner.json`. */
    file: string;
}

/** Where a package keeps index files for the chaincode's state and for a collection's. */
export const INDEX_DIR = 'META-INF/statedb/couchdb/indexes';
export const COLLECTION_INDEX_DIR = /^META-INF\/statedb\/couchdb\/collections\/([A-Za-z0-9_-]+)\/indexes\//;

const METADATA_FILES = [
    /^META-INF\/statedb\/couchdb\/indexes\/.*[.]json/,
    /^META-INF\/statedb\/couchdb\/collections\/[A-Za-z0-9_-]+\/indexes\/.*[.]json/,
];

/**
 * Checks a `META-INF/` file as `peer lifecycle chaincode package` does (Fabric's
 * `ccmetadata.ValidateMetadataFile`): only CouchDB index files are allowed there, and each must be
 * a JSON index definition. Returns Fabric's message for a file it refuses.
 */
export function metadataFileProblem(file: string, bytes: Uint8Array): string | undefined {
    if (!METADATA_FILES.some((pattern) => pattern.test(file))) {
        return unhandledDirectory(file);
    }
    const json = readJsonObject(bytes);
    if (!json) {
        return `Index metadata file [${file}] is not a valid JSON`;
    }
    const problem = indexJsonProblem(json);
    return problem ? `Index metadata file [${file}] is not a valid index definition: ${problem}` : undefined;
}

/** Fabric's `validateIndexJSON`: what it accepts is passed to CouchDB, which may still refuse it. */
function indexJsonProblem(json: JsonObject): string | undefined {
    for (const [key, value] of json) {
        switch (key) {
            case 'index': {
                if (!(value instanceof Map)) {
                    return 'Invalid entry, "index" must be a JSON';
                }
                const problem = indexMapProblem(value);
                if (problem) {
                    return problem;
                }
                break;
            }
            case 'ddoc':
                if (typeof value !== 'string') {
                    return 'Invalid entry, "ddoc" must be a string';
                }
                break;
            case 'name':
                if (typeof value !== 'string') {
                    return 'Invalid entry, "name" must be a string';
                }
                break;
            case 'type':
                if (value !== 'json') {
                    return 'Index type must be json';
                }
                break;
            default:
                return `Invalid Entry.  Entry ${key}`;
        }
    }
    return json.has('index') ? undefined : 'Index definition must include a "fields" definition';
}

function indexMapProblem(index: JsonObject): string | undefined {
    for (const [key, value] of index) {
        if (key === 'partial_filter_selector') {
            continue;
        }
        if (key !== 'fields') {
            return `Invalid Entry.  Entry ${key}`;
        }
        if (!Array.isArray(value)) {
            return 'Expecting a JSON array of fields';
        }
        for (const field of value.filter((item): item is JsonObject => item instanceof Map)) {
            for (const direction of field.values()) {
                if (typeof direction !== 'string') {
                    return 'Invalid field definition, fields must be in the form "fieldname":"sort"';
                }
                if (!['asc', 'desc'].includes(direction.toLowerCase())) {
                    return `Sort must be either "asc" or "desc".  "${direction}" was found.`;
                }
            }
        }
    }
    return undefined;
}

/** Fabric's `buildMetadataFileErrorMessage`: why a file under `META-INF/` is not where metadata may be. */
function unhandledDirectory(file: string): string {
    const slash = file.lastIndexOf('/');
    const dir = file.slice(0, slash + 1);
    const name = file.slice(slash + 1);
    if (!file.startsWith('META-INF/statedb')) {
        return `metadata file path must begin with META-INF/statedb, found: ${dir}`;
    }
    const parts = dir.replace(/\/+$/, '').split('/');
    if (parts.length < 4) {
        return `metadata file path must include a database and index directory: ${dir}`;
    }
    if (parts[2] !== 'couchdb') {
        return `database name [${parts[2]}] is not supported, valid options: [couchdb]`;
    }
    if (parts.length === 4 && parts[3] !== 'indexes') {
        return `metadata file path does not have an indexes directory: ${dir}`;
    }
    if (parts.length !== 6) {
        return `metadata file path for collections must include a collections and index directory: ${dir}`;
    }
    if (parts[3] !== 'collections' || parts[5] !== 'indexes') {
        return `metadata file path for collections must have a collections and indexes directory: ${dir}`;
    }
    if (!/^[A-Za-z0-9_-]+/.test(parts[4])) {
        return `collection name is not valid: ${parts[4]}`;
    }
    if (!/^.*[.]json/.test(name)) {
        return `artifact file name is not valid: ${name}`;
    }
    return `metadata file path or name is not supported: ${dir}`;
}

/**
 * An index file as CouchDB's `_index` reads it: `index.fields` (names or `{"name": "asc"|"desc"}`,
 * one direction), an optional `partial_filter_selector`, `ddoc` and `name` (generated from the
 * definition when absent). Throws CouchDB's reason when it would not create the index.
 */
export function parseIndexFile(file: string, bytes: Uint8Array): IndexDefinition {
    const json = readJsonObject(bytes);
    const index = json?.get('index');
    if (!json || !(index instanceof Map)) {
        throw new Error('Index is missing its definition.');
    }
    const sort = parseSort((index.get('fields') ?? null) as JsonValue);
    if (sort.fields.length === 0) {
        throw new Error('an index needs at least one field');
    }
    const partial = index.get('partial_filter_selector');
    const generated = createHash('sha1').update(marshalJson(index)).digest('hex');
    const ddoc = typeof json.get('ddoc') === 'string' ? (json.get('ddoc') as string) : generated;
    return {
        ddoc: ddoc.startsWith('_design/') ? ddoc : `_design/${ddoc}`,
        name: typeof json.get('name') === 'string' ? (json.get('name') as string) : generated,
        fields: sort.fields,
        direction: sort.direction,
        ...(partial instanceof Map && partial.size > 0 ? { partialFilter: normalizeSelector(partial) } : {}),
        file,
    };
}
