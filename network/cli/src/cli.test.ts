import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, requireBuiltCli, type Run, runZhelian, SEMANTICS_CHAINCODE, ZHELIAN_BIN } from '../test/support/bin';

// The CLI as users run it (`npx zhelian`): the bin npm linked at install, one process per
// command, a data dir on disk.
const STACK_LINE = /^ {4}at /m;

interface InvokeReport {
    txId: string;
    blockNumber: number;
    validationCode: number;
    validationCodeName: string;
    result: unknown;
}

describe('zhelian CLI', () => {
    let dataDir: string;
    let run: (...args: string[]) => Promise<Run>;
    let firstTx: InvokeReport;

    async function height(): Promise<number> {
        const { code, stdout } = await run('verify');
        expect(code).toBe(0);
        return (JSON.parse(stdout) as { height: number }).height;
    }

    beforeAll(async () => {
        requireBuiltCli();
        dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-cli-'));
        run = (...args) => runZhelian('--data', dataDir, '--topology', 'test-network', ...args);
        const deployed = await run('deploy', SEMANTICS_CHAINCODE);
        expect(deployed.stderr).toBe('');
        expect(deployed.code).toBe(0);
        expect(JSON.parse(deployed.stdout)).toMatchObject({
            name: 'semantics',
            sequence: 1,
            policy: 'MAJORITY Endorsement',
            collections: [],
        });
    });

    afterAll(async () => {
        await rm(dataDir, { recursive: true, force: true });
    });

    it('invokes a transaction and prints its id, block, validation code and decoded result', async () => {
        const invoked = await run('invoke', 'semantics', 'semantics:put', 'k', 'v', '--as', 'Org1MSP:user1');
        expect(invoked.stderr).toBe('');
        expect(invoked.code).toBe(0);
        firstTx = JSON.parse(invoked.stdout) as InvokeReport;
        expect(firstTx).toEqual({
            txId: expect.stringMatching(/^[0-9a-f]{64}$/),
            blockNumber: 0,
            validationCode: 0,
            validationCodeName: 'VALID',
            result: '',
        });

        const echoed = await run('invoke', 'semantics', 'semantics:putThenGet', 'k', 'w');
        expect(echoed.code).toBe(0);
        // The decoded result: Fabric returns the committed value, not the transaction's own write.
        expect(JSON.parse(echoed.stdout)).toMatchObject({ blockNumber: 1, validationCode: 0, result: 'v' });
    });

    it('queries without ordering a block', async () => {
        const before = await height();
        const queried = await run('query', 'semantics', 'semantics:get', 'k', '--as', 'Org2MSP:user1');
        expect(queried.code).toBe(0);
        expect(JSON.parse(queried.stdout)).toBe('w');
        expect(await height()).toBe(before);
    });

    it('reports a chaincode error on stderr with a non-zero exit and no stack trace', async () => {
        const before = await height();
        const failed = await run('invoke', 'semantics', 'semantics:fail', 'E_X: no');
        expect(failed.code).not.toBe(0);
        expect(failed.stdout).toBe('');
        expect(failed.stderr).toMatch(/^zhelian: .*E_X: no/m);
        expect(failed.stderr).not.toMatch(STACK_LINE);
        expect(await height()).toBe(before);
    });

    it('exits non-zero when the transaction commits invalid, after printing its validation code', async () => {
        // Metadata only sticks to an existing key; then restrict it to an org that cannot endorse,
        // and name the endorsers, as the gateway's own plan would find none.
        expect((await run('invoke', 'semantics', 'semantics:put', 'locked', 'a')).code).toBe(0);
        expect((await run('invoke', 'semantics', 'semantics:restrict', 'locked', '["Org3MSP"]')).code).toBe(0);
        const rejected = await run(
            'invoke',
            'semantics',
            'semantics:put',
            'locked',
            'b',
            '--endorsing-orgs',
            'Org1MSP',
        );
        expect(rejected.code).not.toBe(0);
        expect(JSON.parse(rejected.stdout)).toMatchObject({
            validationCode: 10,
            validationCodeName: 'ENDORSEMENT_POLICY_FAILURE',
        });
        expect(rejected.stderr).toMatch(/^zhelian: .*ENDORSEMENT_POLICY_FAILURE/m);
        expect(rejected.stderr).not.toMatch(STACK_LINE);
        expect(JSON.parse((await run('query', 'semantics', 'semantics:get', 'locked')).stdout)).toBe('a');
    });

    it('passes transient data to private data collections deployed from a collections file', async () => {
        const collections = path.join(dataDir, '..', `${path.basename(dataDir)}-collections.json`);
        await writeFile(
            collections,
            JSON.stringify([
                {
                    name: 'shared',
                    policy: "OR('Org1MSP.member','Org2MSP.member')",
                    requiredPeerCount: 0,
                    maxPeerCount: 1,
                    blockToLive: 0,
                    memberOnlyRead: true,
                    memberOnlyWrite: true,
                },
            ]),
        );
        try {
            const upgraded = await run('deploy', SEMANTICS_CHAINCODE, '--collections', collections);
            expect(upgraded.code).toBe(0);
            expect(JSON.parse(upgraded.stdout)).toMatchObject({
                name: 'semantics',
                sequence: 2,
                collections: ['shared'],
            });
        } finally {
            await rm(collections, { force: true });
        }

        const written = await run(
            'invoke',
            'semantics',
            'semantics:putPrivate',
            'shared',
            'pk',
            '--transient',
            '{"value":"secret"}',
            '--as',
            'Org1MSP:user1',
        );
        expect(written.stderr).toBe('');
        expect(written.code).toBe(0);
        const { txId } = JSON.parse(written.stdout) as InvokeReport;
        const read = await run('query', 'semantics', 'semantics:getPrivate', 'shared', 'pk', '--as', 'Org2MSP:user1');
        expect(read.code).toBe(0);
        expect(JSON.parse(read.stdout)).toBe('secret');

        // The block holds the hashes, never the value.
        const shown = await run('tx', txId);
        expect(shown.stdout).not.toContain('secret');
        expect(JSON.parse(shown.stdout)).toMatchObject({
            readWriteSets: [
                {
                    namespace: 'semantics',
                    collections: [
                        {
                            collection: 'shared',
                            writes: [
                                {
                                    keyHash: expect.stringMatching(/^[0-9a-f]{64}$/),
                                    isDelete: false,
                                    valueHash: expect.stringMatching(/^[0-9a-f]{64}$/),
                                },
                            ],
                        },
                    ],
                },
            ],
        });
    });

    it('lists blocks with their transactions and validation codes', async () => {
        const listed = await run('blocks');
        expect(listed.code).toBe(0);
        const { height: total, blocks } = JSON.parse(listed.stdout) as {
            height: number;
            blocks: {
                number: number;
                previousHash: string;
                transactions: { txId: string; fn: string; code: string }[];
            }[];
        };
        expect(blocks).toHaveLength(total);
        expect(blocks.map((b) => b.number)).toEqual([...Array(total).keys()]);
        expect(blocks[0].transactions).toEqual([
            { txId: firstTx.txId, chaincode: 'semantics', fn: 'semantics:put', code: 'VALID' },
        ]);
        expect(blocks.flatMap((b) => b.transactions.map((t) => t.code))).toContain('ENDORSEMENT_POLICY_FAILURE');
        expect(blocks[1].previousHash).toMatch(/^[0-9a-f]{64}$/);

        const tail = await run('blocks', '--from', String(total - 1));
        expect((JSON.parse(tail.stdout) as { blocks: unknown[] }).blocks).toHaveLength(1);
    });

    it('passes transient data to a query, and evaluates on a named organization', async () => {
        const queried = await run('query', 'semantics', 'semantics:transient', 'v', '--transient', '{"v":"hello"}');
        expect(queried.stderr).toBe('');
        // The fixture answers with the value's SHA-256, so the value never leaves the chaincode.
        expect(JSON.parse(queried.stdout)).toBe(createHash('sha256').update('hello').digest('hex'));
        const named = await run(
            'query',
            'semantics',
            'semantics:get',
            'k',
            '--as',
            'Org1MSP:user1',
            '--endorsing-orgs',
            'Org2MSP',
        );
        expect(named.code).toBe(0);
        expect(JSON.parse(named.stdout)).toBe('w');
    });

    it("lists and replays a chaincode's events, of valid transactions only, one JSON line each", async () => {
        const listed = await run('events', 'semantics');
        expect(listed.stderr).toBe('');
        expect(listed.code).toBe(0);
        const events = listed.stdout
            .trimEnd()
            .split('\n')
            .map(
                (line) =>
                    JSON.parse(line) as {
                        blockNumber: number;
                        transactionId: string;
                        eventName: string;
                        payload: string;
                    },
            );
        expect(events[0]).toEqual({
            blockNumber: 0,
            transactionId: firstTx.txId,
            chaincodeName: 'semantics',
            eventName: 'put',
            payload: '{"key":"k","value":"v"}',
        });
        // The put refused by the key's policy committed invalid: no event.
        expect(events.map((e) => e.payload)).toContain('{"key":"locked","value":"a"}');
        expect(events.map((e) => e.payload)).not.toContain('{"key":"locked","value":"b"}');

        const from = events[1].blockNumber;
        const replayed = await run('events', 'semantics', '--from', String(from), '--limit', '1');
        expect(
            replayed.stdout
                .trimEnd()
                .split('\n')
                .map((line) => JSON.parse(line) as unknown),
        ).toEqual([events[1]]);
    });

    it('follows blocks as JSON lines until the limit, or until Ctrl-C', async () => {
        const total = await height();
        const limited = await run('blocks', '--follow', '--limit', '2');
        expect(limited.code).toBe(0);
        expect(
            limited.stdout
                .trimEnd()
                .split('\n')
                .map((line) => (JSON.parse(line) as { number: number }).number),
        ).toEqual([0, 1]);

        // Nothing else can commit while this process holds the data dir: it prints what is there and waits.
        const follower = spawn(ZHELIAN_BIN, ['--data', dataDir, 'blocks', '--follow'], { env: cliEnv() });
        let out = '';
        follower.stdout.on('data', (chunk: Buffer) => {
            out += chunk.toString();
            if (out.split('\n').length > total) {
                follower.kill('SIGINT');
            }
        });
        const code = await new Promise<number | null>((resolve) => follower.on('exit', resolve));
        expect(code).toBe(0);
        expect(out.trimEnd().split('\n')).toHaveLength(total);
    });

    it('refuses a data dir that holds no ledger, and creates nothing there', async () => {
        const typo = `${dataDir}-typo`;
        for (const args of [['verify'], ['identities'], ['blocks'], ['lifecycle', 'querycommitted']]) {
            const refused = await runZhelian('--data', typo, ...args);
            expect(refused.code).toBe(1);
            expect(refused.stdout).toBe('');
            expect(refused.stderr).toMatch(/^zhelian: no ledger in .*-typo: check --data/);
            expect(existsSync(typo)).toBe(false);
        }
    });

    it('shows one transaction: creator MSP, endorsers and read-write set', async () => {
        const shown = await run('tx', firstTx.txId);
        expect(shown.code).toBe(0);
        expect(JSON.parse(shown.stdout)).toMatchObject({
            txId: firstTx.txId,
            blockNumber: 0,
            validationCode: 0,
            creator: { mspId: 'Org1MSP', subject: expect.stringContaining('CN=user1') },
            chaincodeName: 'semantics',
            args: ['semantics:put', 'k', 'v'],
            endorsers: [{ mspId: 'Org1MSP' }, { mspId: 'Org2MSP' }],
            event: { eventName: 'put', payload: '{"key":"k","value":"v"}' },
            readWriteSets: [{ namespace: 'semantics', writes: [{ key: 'k', isDelete: false, value: 'v' }] }],
        });
    });

    it('fails clearly for a transaction that is not on the ledger', async () => {
        const missing = await run('tx', 'unknown');
        expect(missing.code).not.toBe(0);
        expect(missing.stdout).toBe('');
        expect(missing.stderr).toBe('zhelian: transaction unknown is not on the ledger\n');
    });

    it('fails with one line, saying how to start it, when the chosen network is not running', async () => {
        const unavailable = await run('--network', 'fabric', 'identities');
        expect(unavailable.code).toBe(1);
        expect(unavailable.stdout).toBe('');
        expect(unavailable.stderr).toMatch(/^zhelian: No Fabric network is described at .*npm run network:up.*\n$/);
        expect(unavailable.stderr.trimEnd().split('\n')).toHaveLength(1);
    });

    it('verifies the chain', async () => {
        const verified = await run('verify');
        expect(verified.code).toBe(0);
        expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, problems: [] });
    });

    it('lists identities', async () => {
        const listed = await run('identities');
        expect(listed.code).toBe(0);
        const ids = (JSON.parse(listed.stdout) as { id: string; role: string }[]).map((i) => i.id);
        expect(ids).toEqual(expect.arrayContaining(['Org1MSP:user1', 'Org1MSP:admin', 'Org2MSP:user1']));
    });

    it("describes the network: kind, data dir, channel, state database, organizations' peers, chaincodes, height", async () => {
        const described = await run('status');
        expect(described.stderr).toBe('');
        expect(described.code).toBe(0);
        expect(JSON.parse(described.stdout)).toEqual({
            kind: 'embedded',
            location: dataDir,
            channel: 'mychannel',
            stateDatabase: 'leveldb',
            height: await height(),
            organizations: [
                expect.objectContaining({ mspId: 'Org1MSP', peers: [expect.any(String)] }),
                expect.objectContaining({ mspId: 'Org2MSP', peers: [expect.any(String)] }),
            ],
            orderers: [expect.any(String)],
            chaincodes: expect.arrayContaining([expect.objectContaining({ name: 'semantics' })]),
        });
    });

    it('sets up a data dir on CouchDB with --state-database, whose status says so and which answers rich queries', async () => {
        const couchDir = path.join(dataDir, 'couchdb-lab');
        const couch = (...args: string[]) => runZhelian('--data', couchDir, '--topology', 'test-network', ...args);
        const deployed = await couch('--state-database', 'couchdb', 'deploy', SEMANTICS_CHAINCODE);
        expect(deployed.stderr).toBe('');
        const described = await couch('status');
        expect(described.stderr).toBe('');
        expect(JSON.parse(described.stdout)).toMatchObject({ stateDatabase: 'couchdb' });
        // The data dir keeps it: asking for LevelDB now is refused, with nothing changed.
        const refused = await couch('--state-database', 'leveldb', 'status');
        expect(refused.code).toBe(1);
        expect(refused.stderr).toMatch(
            /keeps its world state for a couchdb state database; topology test-network asks for leveldb/,
        );
        expect(JSON.parse((await run('status')).stdout)).toMatchObject({ stateDatabase: 'leveldb' });
    });

    describe('rejects bad input with one clear message, no stack trace and no change', () => {
        let emptyDir: string;
        let heightBefore: number;

        let notArray: string;

        beforeAll(async () => {
            emptyDir = path.join(dataDir, 'not-a-package');
            await mkdir(emptyDir, { recursive: true });
            notArray = path.join(dataDir, 'not-an-array.json');
            await writeFile(notArray, JSON.stringify({ name: 'shared', policy: "OR('Org1MSP.member')" }));
            heightBefore = await height();
        });

        const cases: [string, () => string[], RegExp][] = [
            ['an unknown command', () => ['frobnicate'], /unknown command 'frobnicate'/],
            ['a missing argument', () => ['invoke', 'semantics'], /missing required argument 'fn'/],
            ['an unknown network', () => ['--network', 'nosuch', 'identities'], /Allowed choices are embedded, fabric/],
            [
                '--as without a colon',
                () => ['invoke', 'semantics', 'semantics:put', 'k', 'x', '--as', 'nocolon'],
                /expected MSP:user/,
            ],
            [
                '--transient that is not JSON',
                () => ['invoke', 'semantics', 'semantics:put', 'k', 'x', '--transient', 'notjson'],
                /expected a JSON object/,
            ],
            [
                '--transient that is a JSON array',
                () => ['invoke', 'semantics', 'semantics:put', 'k', 'x', '--transient', '["x"]'],
                /expected a JSON object/,
            ],
            [
                'an unknown topology',
                () => ['--topology', 'nosuch', 'invoke', 'semantics', 'semantics:put', 'k', 'x'],
                /topology nosuch not found/,
            ],
            [
                'a topology for another channel',
                () => ['--topology', 'zhelian', 'invoke', 'semantics', 'semantics:put', 'k', 'x'],
                /holds channel mychannel/,
            ],
            ['deploying a directory without package.json', () => ['deploy', emptyDir], /has no package\.json/],
            [
                'an unknown user',
                () => ['invoke', 'semantics', 'semantics:put', 'k', 'x', '--as', 'Org1MSP:nobody'],
                /nobody/,
            ],
            [
                'an unknown organization',
                () => ['invoke', 'semantics', 'semantics:put', 'k', 'x', '--as', 'Org9MSP:user1'],
                /Org9MSP/,
            ],
            [
                'an undeployed chaincode',
                () => ['invoke', 'nosuch', 'put', 'k', 'x'],
                /chaincode nosuch is not deployed/,
            ],
            ['a negative first block', () => ['blocks', '--from', '-5'], /expected a block number/],
            ['a first block that is not a number', () => ['blocks', '--from', 'abc'], /expected a block number/],
            ['a first block beyond the chain', () => ['blocks', '--from', '9999'], /block 9999 is not on the ledger/],
            [
                'events from beyond the chain',
                () => ['events', 'semantics', '--from', '9999'],
                /block 9999 is not on the ledger/,
            ],
            ['a limit of 0', () => ['events', 'semantics', '--limit', '0'], /expected a whole number, 1 or more/],
            [
                'an empty endorsing organization',
                () => ['query', 'semantics', 'semantics:get', 'k', '--endorsing-orgs', 'Org1MSP,'],
                /expected MSP IDs separated by commas/,
            ],
            [
                'a collections config that is not an array',
                () => ['deploy', SEMANTICS_CHAINCODE, '--collections', notArray],
                /collections config .*not-an-array\.json is invalid at \(root\): expected an array/,
            ],
        ];

        it.each(cases)('%s', async (_name, args, message) => {
            const refused = await run(...args());
            expect(refused.code).not.toBe(0);
            expect(refused.stdout).toBe('');
            expect(refused.stderr).toMatch(message);
            expect(refused.stderr).not.toMatch(STACK_LINE);
        });

        // One check for all cases: a CLI run costs a process and a chaincode start.
        it('left the ledger as it was', async () => {
            const verified = await run('verify');
            expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, height: heightBefore });
            expect(JSON.parse((await run('query', 'semantics', 'semantics:get', 'k')).stdout)).toBe('w');
        });
    });
});
