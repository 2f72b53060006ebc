import { performance } from 'node:perf_hooks';
import type { Contract } from '@zhelian/api';
import { EmbeddedLedger } from '@zhelian/embedded';
import { openRichQueryNetwork } from '@zhelian/embedded/test/support/rich-query-network';
import { percentile, report } from './measure';

/**
 * Child process of the benchmark: a rich query over JSON records on a CouchDB state database,
 * with and without a usable index, beside the range query that finds the same records, on the
 * embedded ledger's own rich-query fixture chaincode (its `META-INF` index `indexOwner` on
 * docType + owner); and the same range query on a LevelDB state database. Each query is
 * evaluated by one peer and counted inside the chaincode, so the figures are the query's cost,
 * not the response's. `node rich-query.js '{"records":10000,"rounds":10}'`.
 */
export interface RichQueryConfig {
    /** JSON records in the chaincode's state; a tenth of them belong to the queried owner. */
    records: number;
    /** Measured evaluations of each query, interleaved. */
    rounds: number;
}

export type RichQueryName =
    'rich query, no usable index' | 'rich query, index' | 'range query' | 'range query, LevelDB';

export interface RichQueryResult {
    name: RichQueryName;
    /** The query as the chaincode passes it (selector JSON, or the range's keys). */
    query: string;
    p50Ms: number;
    p99Ms: number;
    /** CPU time of this process (every thread: chaincode worker, LevelDB) per query, in µs. */
    cpuMicros: number;
}

export interface RichQueryReport {
    kind: 'rich-query';
    records: number;
    /** How many records each query finds. */
    found: number;
    results: RichQueryResult[];
}

const OWNERS = 10;
const OWNER = 'owner3';
const SEED_BATCH = 500;

interface Query {
    name: RichQueryName;
    query: string;
    run(contract: Contract): Promise<Uint8Array>;
}

const richQuery = (name: RichQueryName, query: object): Query => ({
    name,
    query: JSON.stringify(query),
    run: (contract) => contract.evaluateTransaction('countQuery', JSON.stringify(query)),
});

// Keys `asset:<owner>:<n>`: one owner's records are one key range.
const range = (name: RichQueryName): Query => ({
    name,
    query: `['asset:${OWNER}:', 'asset:${OWNER};')`,
    run: (contract) => contract.evaluateTransaction('countRange', `asset:${OWNER}:`, `asset:${OWNER};`),
});

/** A fresh test-network ledger with the fixture deployed and `records` assets written. */
async function openSeeded(
    stateDatabase: 'leveldb' | 'couchdb',
    records: number,
): Promise<{ contract: Contract; close(): Promise<void> }> {
    const network = await openRichQueryNetwork(
        (dataDir) => EmbeddedLedger.open({ dataDir, topology: 'test-network', stateDatabase, syncCommits: false }),
        `zhelian-bench-${stateDatabase}-`,
    );
    const contract = network.org1;
    for (let start = 0; start < records; start += SEED_BATCH) {
        const batch = [];
        for (let i = start; i < Math.min(records, start + SEED_BATCH); i++) {
            const owner = `owner${i % OWNERS}`;
            const value = { docType: 'asset', owner, size: i, color: ['blue', 'red', 'green'][i % 3] };
            batch.push([`asset:${owner}:${String(i).padStart(6, '0')}`, JSON.stringify(value)]);
        }
        await contract.submit('putMany', { arguments: [JSON.stringify(batch)], endorsingOrganizations: ['Org1MSP'] });
    }
    return { contract, close: () => network.close() };
}

async function main(): Promise<void> {
    const config = JSON.parse(process.argv[2] ?? '{}') as RichQueryConfig;
    const found = Math.ceil((config.records - 3) / OWNERS);
    const couch = await openSeeded('couchdb', config.records);
    const level = await openSeeded('leveldb', config.records);
    try {
        const queries: [Query, Contract][] = [
            // The index needs docType in the selector: with owner alone CouchDB reads every document.
            [richQuery('rich query, no usable index', { selector: { owner: OWNER } }), couch.contract],
            [
                richQuery('rich query, index', {
                    selector: { docType: 'asset', owner: OWNER },
                    use_index: ['_design/indexOwnerDoc', 'indexOwner'],
                }),
                couch.contract,
            ],
            [range('range query'), couch.contract],
            [range('range query, LevelDB'), level.contract],
        ];
        for (const [query, contract] of queries) {
            const count = Number(Buffer.from(await query.run(contract)).toString('utf8'));
            if (count !== found) {
                throw new Error(`${query.name} ${query.query} found ${count} records, not ${found}`);
            }
        }
        const latencies = queries.map(() => [] as number[]);
        const cpuMicros = queries.map(() => 0);
        // Interleaved, so that a busy moment of the machine falls on every query alike.
        for (let round = 0; round < config.rounds; round++) {
            for (const [i, [query, contract]] of queries.entries()) {
                const cpu = process.cpuUsage();
                const started = performance.now();
                await query.run(contract);
                latencies[i].push(performance.now() - started);
                const used = process.cpuUsage(cpu);
                cpuMicros[i] += used.user + used.system;
            }
        }
        await report({
            kind: 'rich-query',
            records: config.records,
            found,
            results: queries.map(([query], i) => {
                const sorted = [...latencies[i]].sort((a, b) => a - b);
                return {
                    name: query.name,
                    query: query.query,
                    p50Ms: percentile(sorted, 0.5),
                    p99Ms: percentile(sorted, 0.99),
                    cpuMicros: cpuMicros[i] / config.rounds,
                };
            }),
        });
    } finally {
        await couch.close();
        await level.close();
    }
}

main().catch((err: unknown) => {
    process.stderr.write(`rich-query: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
});
