import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Contract, TxValidationCode } from '@zhelian/api';
import { openRichQueryNetwork, type RichQueryNetwork } from '../test/support/rich-query-network';
import { EmbeddedLedger } from './embedded-ledger';
import { loadTopology, type Topology } from './topology';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
const couchError = (error: string, reason: string) =>
    `error handling CouchDB request. Error:${error},  Status Code:400,  Reason:${reason}`;

type Network = RichQueryNetwork<EmbeddedLedger>;

async function openNetwork(topology: Partial<Topology>): Promise<Network> {
    return openRichQueryNetwork(async (dataDir) =>
        EmbeddedLedger.open({
            dataDir,
            topology: { ...(await loadTopology('test-network')), ...topology },
            syncCommits: false,
        }),
    );
}

const find = async (contract: Contract, query: object): Promise<{ key: string; value: string }[]> =>
    JSON.parse(text(await contract.evaluateTransaction('find', JSON.stringify(query))));
const keys = async (contract: Contract, query: object): Promise<string[]> =>
    (await find(contract, query)).map((row) => row.key);

describe('rich queries on a CouchDB state database, as Fabric with CouchDB', () => {
    let network: Network;
    let org1: Contract;

    beforeAll(async () => {
        network = await openNetwork({ stateDatabase: 'couchdb' });
        org1 = network.org1;
        await org1.submitTransaction('seed');
        const assets = [
            ['asset1', { docType: 'asset', owner: 'tom', size: 5, color: 'blue' }],
            ['asset2', { docType: 'asset', owner: 'ann', size: 15, color: 'red' }],
            ['asset3', { docType: 'asset', owner: 'tom', size: 10, color: 'red' }],
            ['asset4', { docType: 'asset', owner: 'Bob', size: 1 }],
            ['asset5', { docType: 'asset', size: 20, color: 'green' }],
        ].map(([key, value]) => [key, JSON.stringify(value)]);
        await org1.submitTransaction('putMany', JSON.stringify(assets));
    });

    afterAll(async () => {
        await network.close();
    });

    it("passes fabric-chaincode-node's query functional tests: an equality and a regex selector", async () => {
        const equals = JSON.stringify({ selector: { value: 'value0' } });
        expect(JSON.parse(text(await org1.evaluateTransaction('query', equals)))).toEqual([{ value: 'value0' }]);
        const regex = JSON.stringify({ selector: { value: { $regex: 'value[0-2]' } } });
        expect(JSON.parse(text(await org1.evaluateTransaction('query', regex)))).toEqual([
            { value: 'value0' },
            { value: 'value1' },
            { value: 'value2' },
        ]);
    });

    it('says which state database the network has', () => {
        expect(network.ledger.describe().stateDatabase).toBe('couchdb');
    });

    it('matches as CouchDB: $ne and $nin skip documents without the field, $not is pushed down, ICU string order', async () => {
        expect(await keys(org1, { selector: { docType: 'asset', owner: { $ne: 'tom' } } })).toEqual([
            'asset2',
            'asset4',
        ]);
        expect(await keys(org1, { selector: { docType: 'asset', $not: { owner: 'tom' } } })).toEqual([
            'asset2',
            'asset4',
        ]);
        expect(await keys(org1, { selector: { owner: { $or: [{ $eq: 'ann' }, { $eq: 'Bob' }] } } })).toEqual([
            'asset2',
            'asset4',
        ]);
        // ICU collation: "ann" < "Bob" < "tom" (code points would put "Bob" first).
        expect(await keys(org1, { selector: { owner: { $gt: 'ann' } } })).toEqual(['asset1', 'asset3', 'asset4']);
        // The planner picks indexSize for a selector on size, so the results come in size order.
        expect(await keys(org1, { selector: { size: { $gte: 10, $lt: 20 } } })).toEqual(['asset3', 'asset2']);
    });

    it('never hands _id or _rev to the chaincode, and returns JSON as Go re-marshals it', async () => {
        await org1.submitTransaction('put', 'unsorted', '{ "b": 1.50, "a": "<x>", "n": 10 }');
        expect(text(await org1.evaluateTransaction('get', 'unsorted'))).toBe('{"a":"\\u003cx\\u003e","b":1.5,"n":10}');
        const [row] = await find(org1, { selector: { _id: 'unsorted' } });
        expect(row).toEqual({ key: 'unsorted', value: '{"a":"\\u003cx\\u003e","b":1.5,"n":10}' });
        const [projected] = await find(org1, { selector: { _id: 'unsorted' }, fields: ['n', '_id'] });
        expect(projected.value).toBe('{"n":10}');
    });

    it('refuses fields starting with _ and keys starting with _, as Fabric refuses them on CouchDB', async () => {
        await expect(org1.submitTransaction('put', 'bad', '{"_id":"other","x":1}')).rejects.toThrow(
            /field \[_id\] is not valid for the CouchDB state database/,
        );
        await expect(org1.submitTransaction('put', 'bad', '{"~version":"1"}')).rejects.toThrow(
            /field \[~version\] is not valid for the CouchDB state database/,
        );
        await expect(org1.submitTransaction('put', '_design', '{}')).rejects.toThrow(
            /invalid key \[_design\], cannot begin with "_"/,
        );
        await expect(org1.evaluateTransaction('get', '_design')).rejects.toThrow(/cannot begin with "_"/);
        // Nested fields and values that are not JSON objects are not CouchDB's concern.
        await org1.submitTransaction('put', 'nested', '{"inner":{"_x":1}}');
        await org1.submitTransaction('put', 'list', '[{"_id":1}]');
    });

    it('does not query values that are not JSON objects, but finds them by _id and returns them as written', async () => {
        expect(await keys(org1, { selector: { $or: [{ _id: 'string' }, { _id: 'list' }] } })).toEqual([
            'list',
            'string',
        ]);
        const rows = await find(org1, { selector: { _id: { $in: ['string', 'list'] } } });
        expect(rows.map((row) => row.value)).toEqual(['[{"_id":1}]', 'string']);
        expect(await keys(org1, { selector: { value: { $exists: true } } })).toEqual([
            'jsonkey0',
            'jsonkey1',
            'jsonkey2',
            'jsonkey3',
            'jsonkey4',
        ]);
    });

    it('refuses a sort no index serves, with CouchDB words, and sorts with the package indexes', async () => {
        await expect(find(org1, { selector: { docType: 'asset' }, sort: [{ color: 'asc' }] })).rejects.toThrow(
            couchError('no_usable_index', 'No index exists for this sort, try indexing by the sort fields.'),
        );
        // indexOwner (docType, owner): docType is constant, so a sort by owner can use it.
        expect(await keys(org1, { selector: { docType: 'asset', owner: { $gt: null } }, sort: ['owner'] })).toEqual([
            'asset2',
            'asset4',
            'asset1',
            'asset3',
        ]);
        expect(
            await keys(org1, { selector: { docType: 'asset', size: { $gt: 0 } }, sort: [{ size: 'desc' }] }),
        ).toEqual(['asset5', 'asset2', 'asset3', 'asset1', 'asset4']);
        // Without a sort, the index the planner picks orders the results: (docType, owner), then the id.
        expect(
            await keys(org1, {
                selector: { docType: 'asset', owner: { $in: ['tom', 'ann'] } },
                use_index: 'indexOwnerDoc',
            }),
        ).toEqual(['asset2', 'asset1', 'asset3']);
        expect(await keys(org1, { selector: { docType: 'asset', owner: { $exists: true } } })).toEqual([
            'asset2',
            'asset4',
            'asset1',
            'asset3',
        ]);
    });

    it('refuses selectors and options CouchDB refuses, with its words', async () => {
        await expect(find(org1, { selector: { size: { $foo: 1 } } })).rejects.toThrow(
            couchError('invalid_operator', 'Invalid operator: $foo'),
        );
        await expect(find(org1, { selector: { size: { $in: 5 } } })).rejects.toThrow(
            couchError('bad_arg', 'Bad argument for operator $in: 5'),
        );
        await expect(find(org1, { selector: {}, limt: 5 })).rejects.toThrow(
            couchError('invalid_key', 'Invalid key limt for this request.'),
        );
        await expect(find(org1, { fields: ['a'] })).rejects.toThrow(
            couchError('missing_required_key', 'Missing required key: selector'),
        );
        await expect(find(org1, { selector: {}, fields: 'a' })).rejects.toThrow(/fields definition must be an array/);
        await expect(
            find(org1, { selector: { size: { $gt: 1 } }, sort: [{ size: 'asc' }, { owner: 'desc' }] }),
        ).rejects.toThrow(
            couchError('unsupported_mixed_sort', 'Sorts currently only support a single direction for all fields.'),
        );
    });

    it('pages with pageSize and CouchDB bookmarks, fetchedRecordsCount as Fabric returns it', async () => {
        const query = JSON.stringify({ selector: { docType: 'asset' } });
        const page = async (bookmark: string) =>
            JSON.parse(text(await org1.evaluateTransaction('page', query, '2', bookmark))) as {
                records: { key: string }[];
                bookmark: string;
                fetchedRecordsCount: number;
            };
        const first = await page('');
        expect(first.records.map((r) => r.key)).toEqual(['asset1', 'asset2']);
        expect(first.fetchedRecordsCount).toBe(2);
        expect(first.bookmark).not.toBe('');
        const second = await page(first.bookmark);
        expect(second.records.map((r) => r.key)).toEqual(['asset3', 'asset4']);
        const third = await page(second.bookmark);
        expect(third.records.map((r) => r.key)).toEqual(['asset5']);
        expect(third.fetchedRecordsCount).toBe(1);
        const past = await page(third.bookmark);
        expect(past).toEqual({ records: [], bookmark: third.bookmark, fetchedRecordsCount: 0 });
        // The limit in a query is Fabric's to set: it is replaced by the page size.
        const limited = JSON.stringify({ selector: { docType: 'asset' }, limit: 1 });
        expect(JSON.parse(text(await org1.evaluateTransaction('page', limited, '3', ''))).records).toHaveLength(3);
        expect(await find(org1, { selector: { docType: 'asset' }, limit: 1 })).toHaveLength(5);
        expect(await keys(org1, { selector: { docType: 'asset' }, skip: 3 })).toEqual(['asset4', 'asset5']);
        const empty = JSON.parse(
            text(await org1.evaluateTransaction('page', JSON.stringify({ selector: { docType: 'none' } }), '2', '')),
        );
        expect(empty).toEqual({ records: [], bookmark: 'nil', fetchedRecordsCount: 0 });
        await expect(org1.evaluateTransaction('page', query, '2', 'nil')).rejects.toThrow(
            couchError('invalid_bookmark', 'Invalid bookmark value: "nil"'),
        );
    });

    it('refuses a paginated query in a transaction that writes, either way round', async () => {
        const query = JSON.stringify({ selector: { docType: 'asset' } });
        await expect(org1.submitTransaction('pageThenWrite', query, 'w1')).rejects.toThrow(/paginated/);
        await expect(org1.submitTransaction('writeThenPage', query, 'w2')).rejects.toThrow(/paginated/);
        expect(text(await org1.submitTransaction('queryThenWrite', query, 'w3'))).toBe('5');
    });

    it('does not re-run rich queries at commit (no phantom check), but MVCC-checks the documents it returned', async () => {
        const reds = JSON.stringify({ selector: { color: 'red' } });
        // A red asset added between simulation and commit: no phantom for a rich query…
        const query = await org1.newProposal('queryThenWrite', { arguments: [reds, 'phantom-rich'] }).endorse();
        const range = await org1
            .newProposal('rangeThenWrite', { arguments: ['asset', 'asset~', 'phantom-range'] })
            .endorse();
        const add = await org1
            .newProposal('put', { arguments: ['asset6', '{"docType":"asset","color":"red"}'] })
            .endorse();
        expect((await (await add.submit()).getStatus()).code).toBe(TxValidationCode.VALID);
        expect((await (await query.submit()).getStatus()).code).toBe(TxValidationCode.VALID);
        // …where the same transaction over a key range is invalidated.
        expect((await (await range.submit()).getStatus()).code).toBe(TxValidationCode.PHANTOM_READ_CONFLICT);
        // A returned document changed meanwhile is a read conflict.
        const again = await org1.newProposal('queryThenWrite', { arguments: [reds, 'mvcc-rich'] }).endorse();
        await org1.submitTransaction('put', 'asset6', '{"docType":"asset","color":"red","size":2}');
        expect((await (await again.submit()).getStatus()).code).toBe(TxValidationCode.MVCC_READ_CONFLICT);
    });

    it('queries private data with its collection indexes; a peer outside the collection finds nothing', async () => {
        for (const [key, price] of [
            ['p1', 30],
            ['p2', 10],
            ['p3', 20],
        ] as const) {
            await org1.submit('putPrivate', {
                arguments: ['secrets', key],
                transientData: { value: JSON.stringify({ price }) },
            });
        }
        const query = JSON.stringify({ selector: { price: { $gt: 0 } }, sort: ['price'] });
        const found = JSON.parse(text(await org1.evaluateTransaction('findPrivate', 'secrets', query)));
        expect(found.map((row: { key: string }) => row.key)).toEqual(['p2', 'p3', 'p1']);
        expect(JSON.parse(text(await network.org2.evaluateTransaction('findPrivate', 'secrets', query)))).toEqual([]);
        await expect(org1.submitTransaction('findPrivateThenWrite', 'secrets', query, 'after-private')).rejects.toThrow(
            /private data/,
        );
    });
});

describe('query limits: internalQueryLimit and totalQueryLimit', () => {
    let network: Network;

    beforeAll(async () => {
        network = await openNetwork({
            stateDatabase: 'couchdb',
            queryLimits: { totalQueryLimit: 3, internalQueryLimit: 2 },
        });
        await network.org1.submitTransaction('seed');
    });

    afterAll(async () => {
        await network.close();
    });

    it('stops a query at totalQueryLimit and a page at the smaller of pageSize and totalQueryLimit', async () => {
        const query = { selector: { value: { $exists: true } } };
        expect(await keys(network.org1, query)).toEqual(['jsonkey0', 'jsonkey1', 'jsonkey2']);
        const page = JSON.parse(text(await network.org1.evaluateTransaction('page', JSON.stringify(query), '5', '')));
        expect(page.records.map((r: { key: string }) => r.key)).toEqual(['jsonkey0', 'jsonkey1', 'jsonkey2']);
        expect(page.fetchedRecordsCount).toBe(3);
        // Fabric's bookmark is CouchDB's after its last request of internalQueryLimit documents: past jsonkey3.
        const next = JSON.parse(
            text(await network.org1.evaluateTransaction('page', JSON.stringify(query), '5', page.bookmark)),
        );
        expect(next.records.map((r: { key: string }) => r.key)).toEqual(['jsonkey4']);
    });
});

describe('rich queries on a LevelDB state database', () => {
    let network: Network;

    beforeAll(async () => {
        network = await openNetwork({});
        await network.org1.submitTransaction('seed');
    });

    afterAll(async () => {
        await network.close();
    });

    it('answers that they are not supported, as Fabric with LevelDB; values and keys are not CouchDB-checked', async () => {
        const query = JSON.stringify({ selector: { value: 'value0' } });
        // Fabric's words, as its peer's handler hands them to the chaincode.
        const refusal = (request: string, call: string) =>
            new RegExp(`${request} failed: transaction ID: [0-9a-f]{64}: ${call} not supported for leveldb$`);
        await expect(network.org1.evaluateTransaction('query', query)).rejects.toThrow(
            refusal('GET_QUERY_RESULT', 'ExecuteQuery'),
        );
        await expect(network.org1.evaluateTransaction('page', query, '2', '')).rejects.toThrow(
            refusal('GET_QUERY_RESULT', 'ExecuteQueryWithMetadata'),
        );
        await expect(network.org1.evaluateTransaction('findPrivate', 'secrets', query)).rejects.toThrow(
            refusal('GET_QUERY_RESULT', 'ExecuteQuery'),
        );
        await network.org1.submitTransaction('put', '_key', '{ "_id": "x", "b": 1 }');
        expect(text(await network.org1.evaluateTransaction('get', '_key'))).toBe('{ "_id": "x", "b": 1 }');
        expect(network.ledger.describe().stateDatabase).toBe('leveldb');
    });

    it('keeps the state database the data dir was created with', async () => {
        const dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-statedb-'));
        const topology = await loadTopology('test-network');
        await (await EmbeddedLedger.open({ dataDir, topology })).close();
        await expect(
            EmbeddedLedger.open({ dataDir, topology: { ...topology, stateDatabase: 'couchdb' } }),
        ).rejects.toThrow(/keeps its world state for a leveldb state database/);
        await expect(EmbeddedLedger.open({ dataDir, stateDatabase: 'couchdb' })).rejects.toThrow(
            /keeps its world state for a leveldb state database; topology test-network asks for couchdb/,
        );
        await rm(dataDir, { recursive: true, force: true });
    });

    it('takes the state database from the options, over the topology, for a new data dir', async () => {
        const dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-statedb-'));
        const ledger = await EmbeddedLedger.open({ dataDir, topology: 'test-network', stateDatabase: 'couchdb' });
        expect(ledger.describe().stateDatabase).toBe('couchdb');
        await ledger.close();
        const reopened = await EmbeddedLedger.open({ dataDir });
        expect(reopened.describe().stateDatabase).toBe('couchdb');
        await reopened.close();
        // A topology that names no state database opens it as it is (the CLI's --topology on every command).
        const named = await EmbeddedLedger.open({ dataDir, topology: 'test-network' });
        expect(named.describe().stateDatabase).toBe('couchdb');
        await named.close();
        await rm(dataDir, { recursive: true, force: true });
    });
});
