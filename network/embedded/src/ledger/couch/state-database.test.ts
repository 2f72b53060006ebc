import { describe, expect, it } from 'vitest';
import { metadataFileProblem, parseIndexFile } from './index-definition';
import { StateDatabase } from './state-database';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');
const text = (value: Uint8Array): string => Buffer.from(value).toString('utf8');

/** A CouchDB state database without indexes (none are deployed in these tests). */
const couch = () => StateDatabase.couchdb({ getMeta: async () => undefined } as never);

describe('values read from a CouchDB state database', () => {
    it('come back as Go re-marshals a CouchDB document: sorted keys, Go escaping, numbers as CouchDB keeps them', async () => {
        const db = await couch();
        expect(text(db.readValue(bytes('{"b": [1.50, 1e2, -0, 12345678901234567890], "a": "<é>&\\u2028"}')))).toBe(
            '{"a":"\\u003cé\\u003e\\u0026\\u2028","b":[1.5,100.0,0,12345678901234567890]}',
        );
        expect(text(db.readValue(bytes('[1, 2]')))).toBe('[1, 2]');
        expect(text(db.readValue(bytes('not json')))).toBe('not json');
        expect(text(db.readValue(bytes('{"a":1,"a":2}')))).toBe('{"a":2}');
        expect(text(StateDatabase.leveldb().readValue(bytes('{"b": 1, "a": 2}')))).toBe('{"b": 1, "a": 2}');
    });

    it("refuse on write what Fabric's ValidateKeyValue refuses for CouchDB: top-level _ fields, ~version, _ keys", async () => {
        const db = await couch();
        expect(() => db.checkWrite('k', bytes('{"a":1,"_rev":"1-x"}'))).toThrow(
            'field [_rev] is not valid for the CouchDB state database',
        );
        expect(() => db.checkWrite('k', bytes('{"~version":1}'))).toThrow('field [~version] is not valid');
        expect(() => db.checkWrite('_k', bytes('{}'))).toThrow('invalid key [_k], cannot begin with "_"');
        expect(() => db.checkWrite('k', bytes('{"a":{"_b":1}}'))).not.toThrow();
        expect(() => db.checkWrite('k', bytes('["_x"]'))).not.toThrow();
        expect(() => StateDatabase.leveldb().checkWrite('_k', bytes('{"_id":1}'))).not.toThrow();
    });
});

describe('index files in a chaincode package', () => {
    it("are checked as `peer lifecycle chaincode package` checks META-INF, with Fabric's messages", () => {
        const index = 'META-INF/statedb/couchdb/indexes/indexOwner.json';
        expect(metadataFileProblem(index, bytes('{"index":{"fields":["owner"]},"type":"json"}'))).toBeUndefined();
        expect(metadataFileProblem(index, bytes('{"index":{"fields":[{"owner":"up"}]}}'))).toBe(
            `Index metadata file [${index}] is not a valid index definition: Sort must be either "asc" or "desc".  "up" was found.`,
        );
        expect(metadataFileProblem(index, bytes('{"ddoc":"x"}'))).toBe(
            `Index metadata file [${index}] is not a valid index definition: Index definition must include a "fields" definition`,
        );
        expect(metadataFileProblem(index, bytes('nope'))).toBe(`Index metadata file [${index}] is not a valid JSON`);
        expect(metadataFileProblem('META-INF/readme.txt', bytes(''))).toBe(
            'metadata file path must begin with META-INF/statedb, found: META-INF/',
        );
        expect(metadataFileProblem('META-INF/statedb/leveldb/indexes/a.json', bytes('{}'))).toBe(
            'database name [leveldb] is not supported, valid options: [couchdb]',
        );
    });

    it('are read as CouchDB creates a JSON index: one direction, ddoc and name', () => {
        const file = 'META-INF/statedb/couchdb/indexes/a.json';
        expect(
            parseIndexFile(file, bytes('{"index":{"fields":[{"size":"desc"}]},"ddoc":"sizeDoc","name":"size"}')),
        ).toEqual({ ddoc: '_design/sizeDoc', name: 'size', fields: ['size'], direction: 'desc', file });
        expect(() => parseIndexFile(file, bytes('{"index":{"fields":[{"a":"asc"},{"b":"desc"}]}}'))).toThrow(
            'Sorts currently only support a single direction for all fields.',
        );
    });
});
