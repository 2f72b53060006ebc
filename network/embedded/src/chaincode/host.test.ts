import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { peer } from '@hyperledger/fabric-protos';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
    ChaincodeClosedError,
    ChaincodeCrashedError,
    ChaincodeExecutionError,
    ChaincodeStartError,
    ChaincodeTimeoutError,
    DuplicateExecutionError,
} from './errors';
import type { ChaincodeResponse, KeyModification, KeyValue, RangePage, ShimRequestHandler } from './handler';
import {
    startChaincode,
    type ChaincodeHost,
    type ChaincodeHostOptions,
    type ChaincodeIsolation,
    type ChaincodePeer,
} from './host';
import { buildTestInvocation, createTestIdentity, type TestIdentity } from '../../test/support/test-proposal';

const FIXTURES = path.resolve(__dirname, '../../test/fixtures/chaincode');
const CHANNEL = 'zhelian';
const ORG1: ChaincodePeer = { id: 'peer0.org1', mspId: 'Org1MSP' };
const ORG2: ChaincodePeer = { id: 'peer0.org2', mspId: 'Org2MSP' };
const ORG3: ChaincodePeer = { id: 'peer0.org3', mspId: 'Org3MSP' };

/**
 * A test double for the transaction simulator (not under test here): a Map with sorted range
 * reads, that records what the chaincode asked for.
 */
class MemoryLedger implements ShimRequestHandler {
    readonly state = new Map<string, Uint8Array>();
    readonly metadata = new Map<string, Map<string, Uint8Array>>();
    readonly history = new Map<string, KeyModification[]>();
    readonly pageRequests: { startKey: string; endKey: string; pageSize: number; bookmark: string }[] = [];
    readonly invocations: { chaincodeName: string; channelId: string; args: string[] }[] = [];
    readonly purged: string[] = [];
    /** Per range read: how many results the host pulled and whether it closed the iterator. */
    readonly rangeReads: { pulled: number; closed: boolean }[] = [];
    failGetStateWith: string | undefined;
    /** Delays the first result of each range read, to outlast an execution timeout. */
    rangeDelayMs = 0;

    async getState(collection: string, key: string): Promise<Uint8Array> {
        if (this.failGetStateWith) {
            throw new Error(this.failGetStateWith);
        }
        return this.state.get(slot(collection, key)) ?? new Uint8Array();
    }

    async getPrivateDataHash(collection: string, key: string): Promise<Uint8Array> {
        const value = this.state.get(slot(collection, key));
        return value ? createHash('sha256').update(value).digest() : new Uint8Array();
    }

    async putState(collection: string, key: string, value: Uint8Array): Promise<void> {
        this.state.set(slot(collection, key), value);
    }

    async deleteState(collection: string, key: string): Promise<void> {
        this.state.delete(slot(collection, key));
    }

    async purgePrivateData(collection: string, key: string): Promise<void> {
        this.purged.push(slot(collection, key));
        this.state.delete(slot(collection, key));
    }

    async getStateMetadata(collection: string, key: string): Promise<Map<string, Uint8Array>> {
        return this.metadata.get(slot(collection, key)) ?? new Map();
    }

    async putStateMetadata(collection: string, key: string, name: string, value: Uint8Array): Promise<void> {
        const entries = this.metadata.get(slot(collection, key)) ?? new Map<string, Uint8Array>();
        entries.set(name, value);
        this.metadata.set(slot(collection, key), entries);
    }

    getStateByRange(collection: string, startKey: string, endKey: string): AsyncIterable<KeyValue> {
        const records = this.#range(collection, startKey, endKey);
        const read = { pulled: 0, closed: false };
        this.rangeReads.push(read);
        return {
            [Symbol.asyncIterator]: () => ({
                next: async () => {
                    if (read.pulled === 0 && this.rangeDelayMs > 0) {
                        await new Promise((resolve) => setTimeout(resolve, this.rangeDelayMs));
                    }
                    const value = records[read.pulled];
                    if (!value) {
                        return { done: true, value: undefined };
                    }
                    read.pulled++;
                    return { done: false, value };
                },
                return: async () => {
                    read.closed = true;
                    return { done: true, value: undefined };
                },
            }),
        };
    }

    async getStateByRangePage(
        startKey: string,
        endKey: string,
        pageSize: number,
        bookmark: string,
    ): Promise<RangePage> {
        this.pageRequests.push({ startKey, endKey, pageSize, bookmark });
        const all = this.#range('', bookmark || startKey, endKey);
        const records = all.slice(0, pageSize);
        return { records, bookmark: all[pageSize]?.key ?? '', fetchedCount: records.length };
    }

    getQueryResult(): AsyncIterable<KeyValue> {
        throw new Error('ExecuteQuery not supported for leveldb');
    }

    async getQueryResultPage(): Promise<RangePage> {
        throw new Error('ExecuteQueryWithMetadata not supported for leveldb');
    }

    async *getHistoryForKey(key: string): AsyncIterable<KeyModification> {
        yield* this.history.get(key) ?? [];
    }

    async invokeChaincode(chaincodeName: string, channelId: string, args: Uint8Array[]): Promise<ChaincodeResponse> {
        const text = args.map((arg) => Buffer.from(arg).toString());
        this.invocations.push({ chaincodeName, channelId, args: text });
        if (chaincodeName === 'missing') {
            throw new Error(`chaincode ${chaincodeName} not found on channel ${channelId}`);
        }
        return { status: 200, message: 'called', payload: Buffer.from(`echo:${text.join(',')}`) };
    }

    #range(collection: string, startKey: string, endKey: string): KeyValue[] {
        const prefix = collection + '\0';
        return [...this.state.entries()]
            .filter(([stored]) => stored.startsWith(prefix))
            .map(([stored, value]) => ({ key: stored.slice(prefix.length), value }))
            .filter(({ key }) => compare(key, startKey) >= 0 && (endKey === '' || compare(key, endKey) < 0))
            .sort((a, b) => compare(a.key, b.key));
    }
}

function slot(collection: string, key: string): string {
    return `${collection}\0${key}`;
}

function compare(a: string, b: string): number {
    return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function text(response: ChaincodeResponse): string {
    return Buffer.from(response.payload).toString();
}

let identity: TestIdentity;
const hosts: ChaincodeHost[] = [];

/** Starts a fixture chaincode for Org1's peer, closed after all tests. */
async function startFixture(fixture: string, options: Partial<ChaincodeHostOptions>): Promise<ChaincodeHost> {
    const started = await startChaincode({
        name: fixture,
        packageDir: path.join(FIXTURES, fixture),
        peers: [ORG1],
        output: () => undefined,
        ...options,
    });
    hosts.push(started);
    return started;
}

function invocation(chaincodeName: string, args: string[], transient?: Record<string, Uint8Array>) {
    return buildTestInvocation({ identity, channelId: CHANNEL, chaincodeName, args, transient });
}

function run(
    target: ChaincodeHost,
    ledger: ShimRequestHandler,
    args: string[],
    peer = ORG1,
): Promise<ChaincodeResponse> {
    return target.execute(peer, invocation(target.name, args), ledger);
}

beforeAll(async () => {
    identity = await createTestIdentity('Org1MSP', 'alice');
});

afterAll(async () => {
    await Promise.all(hosts.map((started) => started.close()));
});
// The whole suite runs once per isolation: both must behave the same, with the same errors.
describe.each<ChaincodeIsolation>(['worker', 'process'])('chaincode host in a %s', (isolation) => {
    const host = (fixture: string, options: Partial<ChaincodeHostOptions> = {}) =>
        startFixture(fixture, { isolation, ...options });
    const start = (options: Omit<ChaincodeHostOptions, 'peers'>) =>
        startChaincode({ isolation, peers: [ORG1], ...options });

    describe('chaincode host: shim requests through the real fabric-shim', () => {
        let kv: ChaincodeHost;
        beforeAll(async () => {
            kv = await host('kv', { batchSize: 7 });
        });

        it('puts, gets and deletes public state', async () => {
            const ledger = new MemoryLedger();
            expect((await run(kv, ledger, ['put', 'a', 'apple'])).status).toBe(200);
            expect(Buffer.from(ledger.state.get(slot('', 'a')) as Uint8Array).toString()).toBe('apple');
            expect(text(await run(kv, ledger, ['get', 'a']))).toBe('apple');
            expect((await run(kv, ledger, ['del', 'a'])).status).toBe(200);
            expect(ledger.state.has(slot('', 'a'))).toBe(false);
            expect(text(await run(kv, ledger, ['get', 'a']))).toBe('');
        });

        it('answers several concurrent requests of one transaction in order', async () => {
            const ledger = new MemoryLedger();
            for (const key of ['k1', 'k2', 'k3', 'k4']) {
                await ledger.putState('', key, Buffer.from(`v-${key}`));
            }
            const response = await run(kv, ledger, ['getMany', JSON.stringify(['k1', 'k2', 'k3', 'k4', 'none'])]);
            expect(JSON.parse(text(response))).toEqual(['v-k1', 'v-k2', 'v-k3', 'v-k4', '']);
        });

        it('hands the chaincode the proposal: creator, transaction id, channel and transient data', async () => {
            const call = invocation('kv', ['whoami'], { secret: Buffer.from('s') });
            const response = await kv.execute(ORG1, call, new MemoryLedger());
            const who = JSON.parse(text(response));
            expect(who).toMatchObject({
                mspId: 'Org1MSP',
                txId: call.txId,
                channelId: CHANNEL,
                transientKeys: ['secret'],
            });
            expect(who.id).toContain('CN=alice');
        });

        it('serves a range query in batches, with has_more, across QUERY_STATE_NEXT', async () => {
            const ledger = new MemoryLedger();
            for (let i = 0; i < 20; i++) {
                await ledger.putState('', `item${String(i).padStart(2, '0')}`, Buffer.from(String(i)));
            }
            await ledger.putState('', 'other', Buffer.from('x'));
            const results = JSON.parse(text(await run(kv, ledger, ['range', 'item', 'item~'])));
            expect(results.map((kv: KeyValue) => kv.key)).toEqual(
                Array.from({ length: 20 }, (_, i) => `item${String(i).padStart(2, '0')}`),
            );
            expect(results[19].value).toBe('19');
            expect(ledger.rangeReads.at(-1)).toEqual({ pulled: 20, closed: true });
        });

        it('reads one batch plus one look-ahead result, and closes the iterator when the chaincode stops early', async () => {
            const ledger = new MemoryLedger();
            for (let i = 0; i < 20; i++) {
                await ledger.putState('', `item${String(i).padStart(2, '0')}`, Buffer.from(String(i)));
            }
            const first = JSON.parse(text(await run(kv, ledger, ['rangeFirst', 'item', '', '3'])));
            expect(first).toEqual(['item00', 'item01', 'item02']);
            // batchSize 7: the first batch plus the result that proves has_more.
            expect(ledger.rangeReads.at(-1)).toEqual({ pulled: 8, closed: true });
        });

        it('stops a query at totalQueryLimit', async () => {
            const limited = await host('kv', { batchSize: 4, totalQueryLimit: 10 });
            const ledger = new MemoryLedger();
            for (let i = 0; i < 20; i++) {
                await ledger.putState('', `item${String(i).padStart(2, '0')}`, Buffer.from(String(i)));
            }
            const results = JSON.parse(text(await run(limited, ledger, ['range', '', ''])));
            expect(results).toHaveLength(10);
        });

        it('passes pagination (page size, bookmark) to the simulator and its metadata back', async () => {
            const ledger = new MemoryLedger();
            for (let i = 0; i < 12; i++) {
                await ledger.putState('', `page${String(i).padStart(2, '0')}`, Buffer.from(String(i)));
            }
            const first = JSON.parse(text(await run(kv, ledger, ['rangePage', 'page', 'page~', '5', ''])));
            expect(first.keys).toEqual(['page00', 'page01', 'page02', 'page03', 'page04']);
            expect(first.metadata).toEqual({ bookmark: 'page05', fetchedRecordsCount: 5 });

            const second = JSON.parse(
                text(await run(kv, ledger, ['rangePage', 'page', 'page~', '5', first.metadata.bookmark])),
            );
            expect(second.keys).toEqual(['page05', 'page06', 'page07', 'page08', 'page09']);
            expect(ledger.pageRequests.at(-1)).toEqual({
                startKey: 'page',
                endKey: 'page~',
                pageSize: 5,
                bookmark: 'page05',
            });

            // A page larger than a batch still arrives whole, as Fabric sends it.
            const whole = JSON.parse(text(await run(kv, ledger, ['rangePage', 'page', 'page~', '50', ''])));
            expect(whole.keys).toHaveLength(12);
            expect(whole.metadata).toEqual({ bookmark: '', fetchedRecordsCount: 12 });
        });

        it('returns history with key modifications and timestamps', async () => {
            const ledger = new MemoryLedger();
            ledger.history.set('h', [
                { txId: 'tx2', value: new Uint8Array(), isDelete: true, timestamp: { seconds: 1700000100, nanos: 5 } },
                {
                    txId: 'tx1',
                    value: Buffer.from('first'),
                    isDelete: false,
                    timestamp: { seconds: 1700000000, nanos: 0 },
                },
            ]);
            const history = JSON.parse(text(await run(kv, ledger, ['history', 'h'])));
            expect(history).toEqual([
                { txId: 'tx2', value: '', isDelete: true, seconds: 1700000100, nanos: 5 },
                { txId: 'tx1', value: 'first', isDelete: false, seconds: 1700000000, nanos: 0 },
            ]);
        });

        it('round-trips state metadata (key-level endorsement policies)', async () => {
            const ledger = new MemoryLedger();
            await run(kv, ledger, ['setEndorsementPolicy', 'asset1', 'policy-bytes']);
            expect(
                Buffer.from(
                    ledger.metadata.get(slot('', 'asset1'))?.get('VALIDATION_PARAMETER') as Uint8Array,
                ).toString(),
            ).toBe('policy-bytes');
            expect(text(await run(kv, ledger, ['getEndorsementPolicy', 'asset1']))).toBe('policy-bytes');

            await run(kv, ledger, ['setPrivateEndorsementPolicy', 'secrets', 'asset1', 'private-policy']);
            expect(text(await run(kv, ledger, ['getPrivateEndorsementPolicy', 'secrets', 'asset1']))).toBe(
                'private-policy',
            );
        });

        it('handles private data: transient put, get, hash, range, delete and purge', async () => {
            const ledger = new MemoryLedger();
            const put = invocation('kv', ['putPrivate', 'secrets', 'p1'], { value: Buffer.from('hidden') });
            expect((await kv.execute(ORG1, put, ledger)).status).toBe(200);
            await kv.execute(
                ORG1,
                invocation('kv', ['putPrivate', 'secrets', 'p2'], { value: Buffer.from('also') }),
                ledger,
            );

            expect(text(await run(kv, ledger, ['getPrivate', 'secrets', 'p1']))).toBe('hidden');
            expect(text(await run(kv, ledger, ['getPrivateHash', 'secrets', 'p1']))).toBe(
                createHash('sha256').update('hidden').digest('hex'),
            );
            expect(JSON.parse(text(await run(kv, ledger, ['privateRange', 'secrets', 'p', 'q'])))).toEqual([
                { key: 'p1', value: 'hidden' },
                { key: 'p2', value: 'also' },
            ]);
            await run(kv, ledger, ['delPrivate', 'secrets', 'p1']);
            expect(ledger.state.has(slot('secrets', 'p1'))).toBe(false);
            await run(kv, ledger, ['purgePrivate', 'secrets', 'p2']);
            expect(ledger.purged).toEqual([slot('secrets', 'p2')]);
        });

        it('returns the chaincode event stamped with chaincode name and transaction id', async () => {
            const call = invocation('kv', ['emit', 'AssetCreated', '{"id":"a1"}']);
            const response = await kv.execute(ORG1, call, new MemoryLedger());
            expect(response.event).toBeDefined();
            expect(response.event?.eventName).toBe('AssetCreated');
            expect(response.event?.chaincodeName).toBe('kv');
            expect(response.event?.txId).toBe(call.txId);
            expect(Buffer.from(response.event?.payload as Uint8Array).toString()).toBe('{"id":"a1"}');
            expect((await run(kv, new MemoryLedger(), ['get', 'x'])).event).toBeUndefined();
        });

        it('invokes another chaincode on this channel or on a named one', async () => {
            const ledger = new MemoryLedger();
            const same = JSON.parse(text(await run(kv, ledger, ['call', 'other', JSON.stringify(['fn', 'x']), ''])));
            expect(same).toEqual({ status: 200, message: 'called', payload: 'echo:fn,x' });
            await run(kv, ledger, ['call', 'other', JSON.stringify(['fn']), 'elsewhere']);
            expect(ledger.invocations).toEqual([
                { chaincodeName: 'other', channelId: CHANNEL, args: ['fn', 'x'] },
                { chaincodeName: 'other', channelId: 'elsewhere', args: ['fn'] },
            ]);
        });

        it('turns a failing simulator call into a rejected promise inside the chaincode', async () => {
            const ledger = new MemoryLedger();
            ledger.failGetStateWith = 'E_DENIED: collection secrets is not readable by Org1MSP';
            const response = await run(kv, ledger, ['get', 'a']);
            expect(response.status).toBe(500);
            // Fabric's handler names the request and the transaction before the ledger's reason.
            expect(response.message).toMatch(
                /^GET_STATE failed: transaction ID: [0-9a-f]{64}: E_DENIED: collection secrets is not readable by Org1MSP$/,
            );

            const missing = await run(kv, new MemoryLedger(), ['call', 'missing', JSON.stringify(['fn']), '']);
            expect(missing.status).toBe(500);
            expect(missing.message).toMatch(
                new RegExp(
                    `^INVOKE_CHAINCODE failed: transaction ID: [0-9a-f]{64}: chaincode missing not found on channel ${CHANNEL}$`,
                ),
            );

            const rich = await run(kv, new MemoryLedger(), ['richQuery', '{"selector":{}}']);
            expect(rich.status).toBe(500);
            expect(rich.message).toMatch(
                /^GET_QUERY_RESULT failed: transaction ID: [0-9a-f]{64}: ExecuteQuery not supported for leveldb$/,
            );
        });

        it('sends INIT with is_init for an init invocation', async () => {
            const ledger = new MemoryLedger();
            const call = { ...invocation('kv', ['put', 'initialized', 'yes']), isInit: true };
            expect((await kv.execute(ORG1, call, ledger)).status).toBe(200);
            expect(Buffer.from(ledger.state.get(slot('', 'initialized')) as Uint8Array).toString()).toBe('yes');
        });

        it("fails an execution whose proposal cannot be read, with the shim's reason", async () => {
            const call = invocation('kv', ['get', 'a']);
            const undecodable = kv.execute(
                ORG1,
                { ...call, signedProposal: Uint8Array.from([0x0a, 0xff]) },
                new MemoryLedger(),
            );
            await expect(undecodable).rejects.toBeInstanceOf(ChaincodeExecutionError);
            await expect(undecodable).rejects.toThrow('the signed proposal cannot be decoded');

            const garbage = new peer.SignedProposal();
            garbage.setProposalBytes(Uint8Array.from([0x0a, 0x02, 0x08]));
            const rejected = kv.execute(
                ORG1,
                { ...call, signedProposal: garbage.serializeBinary() },
                new MemoryLedger(),
            );
            await expect(rejected).rejects.toMatchObject({ code: 'CHAINCODE_EXECUTION_FAILED', txId: call.txId });
            await expect(rejected).rejects.toThrow('Failed extracting proposal from signedProposal');
            expect(text(await run(kv, new MemoryLedger(), ['get', 'a']))).toBe('');
        });

        it('returns status 500 with the message when the contract throws', async () => {
            const response = await run(kv, new MemoryLedger(), ['fail', 'E_RULE: not allowed']);
            expect(response).toMatchObject({ status: 500, message: 'E_RULE: not allowed' });
        });

        it('runs 200 executions in parallel, including one transaction on three peers at once', async () => {
            const ledger = new MemoryLedger();
            const peers = [ORG1, ORG2, ORG3];
            const shared = invocation('kv', ['put', 'shared', 'same']);
            const runs: Promise<ChaincodeResponse>[] = peers.map((peer) => kv.execute(peer, shared, ledger));
            for (let i = 0; i < 200; i++) {
                runs.push(run(kv, ledger, ['put', `c${i}`, `v${i}`], peers[i % peers.length]));
            }
            const responses = await Promise.all(runs);
            expect(responses.every((response) => response.status === 200)).toBe(true);
            expect(ledger.state.size).toBe(201);
            expect(Buffer.from(ledger.state.get(slot('', 'c199')) as Uint8Array).toString()).toBe('v199');
        });

        it('refuses the same transaction twice on one peer stream', async () => {
            const hangs = await host('hangs', { executionTimeoutMs: 1000 });
            const call = invocation('hangs', ['hang']);
            const first = hangs.execute(ORG1, call, new MemoryLedger());
            await expect(hangs.execute(ORG1, call, new MemoryLedger())).rejects.toBeInstanceOf(DuplicateExecutionError);
            await expect(first).rejects.toBeInstanceOf(ChaincodeTimeoutError);
        });
    });

    describe('chaincode host: what the chaincode sees', () => {
        it(`runs the chaincode in ${isolation === 'worker' ? 'a worker thread of this process' : 'a child process'}`, async () => {
            const surroundings = await host('surroundings');
            const pid = text(await run(surroundings, new MemoryLedger(), ['pid']));
            expect(pid === String(process.pid)).toBe(isolation === 'worker');
        });

        it("sets Fabric's chaincode environment, with the host's extra variables over it", async () => {
            const surroundings = await host('surroundings', { env: { ZHELIAN_PROBE: 'set by the host' } });
            const env = async (name: string) => text(await run(surroundings, new MemoryLedger(), ['env', name]));
            expect(await env('CORE_CHAINCODE_ID_NAME')).toBe('surroundings');
            expect(await env('CORE_CHAINCODE_LOGGING_LEVEL')).toBe('WARNING');
            expect(await env('ZHELIAN_PROBE')).toBe('set by the host');
            expect(await env('PATH')).toBe(process.env.PATH);
        });

        it("runs each peer's own instance, which reads the peer's MSP ID from its start", async () => {
            const surroundings = await host('surroundings', {
                peers: [ORG1, ORG2],
                env: { CORE_PEER_LOCALMSPID: 'NotThePeersMSP' },
            });
            const call = (args: string[], peer: ChaincodePeer) =>
                run(surroundings, new MemoryLedger(), args, peer).then(text);
            for (const peer of [ORG1, ORG2]) {
                expect(await call(['mspId'], peer)).toBe(peer.mspId);
                expect(await call(['mspIdAtLoad'], peer)).toBe(peer.mspId);
            }
            await call(['setGlobal', 'set on org1'], ORG1);
            expect(await call(['getGlobal'], ORG1)).toBe('set on org1');
            expect(await call(['getGlobal'], ORG2)).toBe('');
            // A peer the host did not start with gets its instance on first use.
            expect(await call(['mspId'], ORG3)).toBe(ORG3.mspId);
        });

        it('gives each chaincode its own global', async () => {
            const first = await host('surroundings');
            const second = await host('surroundings');
            await run(first, new MemoryLedger(), ['setGlobal', 'first']);
            expect(text(await run(first, new MemoryLedger(), ['getGlobal']))).toBe('first');
            expect(text(await run(second, new MemoryLedger(), ['getGlobal']))).toBe('');
        });

        it("passes the chaincode's stdout and stderr to the output option", async () => {
            let output = '';
            const surroundings = await host('surroundings', { output: (chunk) => (output += chunk) });
            await run(surroundings, new MemoryLedger(), ['print', 'hello']);
            await vi.waitFor(() => {
                expect(output).toContain('stdout: hello\n');
                expect(output).toContain('stderr: hello\n');
            });
        });
    });

    describe('chaincode host: what the shim does for nothing is skipped', () => {
        it('writes the log messages at or above the level, and only those, as the level changes', async () => {
            let output = '';
            const surroundings = await host('surroundings', { output: (chunk) => (output += chunk) });
            const call = (args: string[]) => run(surroundings, new MemoryLedger(), args);
            await call(['log', 'debug', 'below the level']);
            await call(['log', 'warn', 'at the level']);
            await vi.waitFor(() => expect(output).toContain('at the level'));
            expect(output).not.toContain('below the level');
            await call(['setLogLevel', 'DEBUG']);
            await call(['log', 'debug', 'now at the level']);
            await vi.waitFor(() => expect(output).toContain('now at the level'));
        });

        it("gives ClientIdentity the creator's certificate each time, and the chaincode its own X.509 parser", async () => {
            const surroundings = await host('surroundings');
            const ids = [];
            for (let i = 0; i < 3; i++) {
                ids.push(text(await run(surroundings, new MemoryLedger(), ['clientId'])));
            }
            expect(new Set(ids).size).toBe(1);
            expect(ids[0]).toBe('x509::/CN=alice/O=Org1MSP::/CN=alice/O=Org1MSP Org1MSP');
            expect(text(await run(surroundings, new MemoryLedger(), ['parseCreatorTwice']))).toBe('distinct');
        });
    });

    describe('chaincode host: failures', () => {
        it('returns status 500 when a contract throws, and keeps serving', async () => {
            const throws = await host('throws');
            const ledger = new MemoryLedger();
            const response = await run(throws, ledger, ['explode']);
            expect(response).toMatchObject({ status: 500, message: 'E_EXPLODED: the contract threw on purpose' });
            expect(text(await run(throws, ledger, ['ping']))).toBe('pong');
        });

        it('times out a transaction that never settles, without restarting the chaincode', async () => {
            const hangs = await host('hangs', { executionTimeoutMs: 1000 });
            const call = invocation('hangs', ['hang']);
            const error = await hangs.execute(ORG1, call, new MemoryLedger()).catch((caught: unknown) => caught);
            expect(error).toBeInstanceOf(ChaincodeTimeoutError);
            expect(error).toMatchObject({
                code: 'CHAINCODE_TIMEOUT',
                chaincodeName: 'hangs',
                txId: call.txId,
                timeoutMs: 1000,
            });
            // Give the liveness probe time to answer; the process must survive it.
            await new Promise((resolve) => setTimeout(resolve, 1200));
            expect(text(await run(hangs, new MemoryLedger(), ['hangsStarted']))).toBe('1');
        });

        it('closes the iterators of an execution that timed out while reading them', async () => {
            const kv = await host('kv', { executionTimeoutMs: 1000, batchSize: 2 });
            const ledger = new MemoryLedger();
            for (const key of ['a', 'b', 'c', 'd']) {
                await ledger.putState('', key, Buffer.from(key));
            }
            ledger.rangeDelayMs = 3000;
            await expect(run(kv, ledger, ['range', '', ''])).rejects.toBeInstanceOf(ChaincodeTimeoutError);
            expect(ledger.rangeReads).toEqual([{ pulled: 0, closed: true }]);
        });

        it("kills a peer's chaincode whose event loop is blocked and restarts it on the next execution", async () => {
            const busy = await host('busy-loop', { executionTimeoutMs: 300, peers: [ORG1, ORG2] });
            // Settled at once: they time out while the other peer's instance is still being asked.
            const outcome = (execution: Promise<unknown>) =>
                execution.then(
                    () => 'completed',
                    (err: unknown) => err,
                );
            const spinning = outcome(busy.execute(ORG1, invocation('busy-loop', ['spin']), new MemoryLedger()));
            const stuck = outcome(busy.execute(ORG1, invocation('busy-loop', ['ping']), new MemoryLedger()));
            // Each peer runs its own instance: the other peer's keeps answering meanwhile.
            expect(text(await run(busy, new MemoryLedger(), ['ping'], ORG2))).toBe('pong');
            expect(await spinning).toBeInstanceOf(ChaincodeTimeoutError);
            expect(await stuck).toBeInstanceOf(ChaincodeTimeoutError);
            await new Promise((resolve) => setTimeout(resolve, 500));
            expect(text(await run(busy, new MemoryLedger(), ['ping']))).toBe('pong');
        });

        it('fails executions in flight when the chaincode exits, and restarts it', async () => {
            const exits = await host('exits', { executionTimeoutMs: 5000 });
            const hangs = await host('hangs', { executionTimeoutMs: 5000 });
            const quit = invocation('exits', ['quit', '3']);
            const error = await exits.execute(ORG1, quit, new MemoryLedger()).catch((caught: unknown) => caught);
            expect(error).toBeInstanceOf(ChaincodeCrashedError);
            expect(error).toMatchObject({
                code: 'CHAINCODE_CRASHED',
                chaincodeName: 'exits',
                exitCode: 3,
                signal: null,
                txIds: [quit.txId],
            });
            expect((error as Error).message).toContain(quit.txId);
            expect((error as Error).message).toContain(
                `${isolation === 'worker' ? 'worker thread' : 'process'} exited with code 3`,
            );

            // The other host never noticed; the crashed one comes back on next use.
            expect(text(await run(hangs, new MemoryLedger(), ['ping']))).toBe('pong');
            expect(text(await run(exits, new MemoryLedger(), ['ping']))).toBe('pong');
        });

        it('isolates hosts: one crashing leaves another answering in the same moment', async () => {
            const exits = await host('exits');
            const kv = await host('kv');
            const ledger = new MemoryLedger();
            const [crash, answer] = await Promise.allSettled([
                run(exits, ledger, ['quit', '1']),
                run(kv, ledger, ['put', 'alive', 'yes']),
            ]);
            expect(crash.status === 'rejected' && crash.reason).toBeInstanceOf(ChaincodeCrashedError);
            expect(answer.status === 'fulfilled' && answer.value.status).toBe(200);
        });

        it('reports a package that cannot load with its output', async () => {
            const error = await start({
                name: 'broken',
                packageDir: path.join(FIXTURES, 'broken'),
                output: () => undefined,
            }).catch((caught: unknown) => caught);
            expect(error).toBeInstanceOf(ChaincodeStartError);
            expect(error).toMatchObject({
                code: 'CHAINCODE_START_FAILED',
                chaincodeName: 'broken',
                packageDir: path.join(FIXTURES, 'broken'),
            });
            expect((error as ChaincodeStartError).outputTail).toContain('missing-module-on-purpose');
            expect((error as Error).message).toContain("Cannot find module './missing-module-on-purpose'");
        });

        it('reports a directory without a chaincode package', async () => {
            const error = await start({
                name: 'nothing',
                packageDir: path.join(FIXTURES, 'no-such-package'),
                output: () => undefined,
            }).catch((caught: unknown) => caught);
            expect(error).toBeInstanceOf(ChaincodeStartError);
            expect((error as Error).message).toBe(
                `Chaincode nothing (${path.join(FIXTURES, 'no-such-package')}) failed to start: no such directory`,
            );

            const empty = await start({ name: 'empty', packageDir: FIXTURES, output: () => undefined }).catch(
                (caught: unknown) => caught,
            );
            expect(empty).toBeInstanceOf(ChaincodeStartError);
            expect((empty as Error).message).toContain('package.json');
        });

        it('refuses a package built on a fabric-shim older than 2.5', async () => {
            const packageDir = await mkdtemp(path.join(tmpdir(), 'old-shim-'));
            const shimDir = path.join(packageDir, 'node_modules', 'fabric-shim');
            await mkdir(shimDir, { recursive: true });
            await writeFile(
                path.join(shimDir, 'package.json'),
                JSON.stringify({ name: 'fabric-shim', version: '2.2.3', main: 'index.js' }),
            );
            await writeFile(path.join(shimDir, 'index.js'), 'module.exports = {};\n');
            await writeFile(
                path.join(packageDir, 'package.json'),
                JSON.stringify({ name: 'old', version: '1.0.0', main: 'index.js' }),
            );
            await writeFile(path.join(packageDir, 'index.js'), 'module.exports.contracts = [];\n');
            try {
                const error = await start({ name: 'old', packageDir, output: () => undefined }).catch(
                    (caught: unknown) => caught,
                );
                expect(error).toBeInstanceOf(ChaincodeStartError);
                expect((error as Error).message).toContain(
                    'fabric-shim 2.2.3 is not supported: the chaincode package needs fabric-shim 2.5 or later',
                );
            } finally {
                await rm(packageDir, { recursive: true, force: true });
            }
        });

        it('fails executions in flight and refuses new ones once closed', async () => {
            const hangs = await start({
                name: 'hangs',
                packageDir: path.join(FIXTURES, 'hangs'),
                output: () => undefined,
            });
            // Connect this peer's stream first, so that the hanging transaction is in flight at close.
            expect(text(await run(hangs, new MemoryLedger(), ['ping']))).toBe('pong');
            const call = invocation('hangs', ['hang']);
            const pending = hangs.execute(ORG1, call, new MemoryLedger());
            await new Promise((resolve) => setTimeout(resolve, 50));
            await hangs.close();
            await expect(pending).rejects.toMatchObject({ code: 'CHAINCODE_CLOSED', txId: call.txId });
            await expect(run(hangs, new MemoryLedger(), ['ping'])).rejects.toBeInstanceOf(ChaincodeClosedError);
        });
    });
});

describe('chaincode host isolation', () => {
    it('runs the chaincode in a worker thread of this process by default', async () => {
        const surroundings = await startFixture('surroundings', {});
        expect(text(await run(surroundings, new MemoryLedger(), ['pid']))).toBe(String(process.pid));
    });
});
