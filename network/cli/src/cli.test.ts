import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The CLI as users run it (`npx zhelian`): the bin npm linked at install, one process per
// command, a data dir on disk.
const cli = path.join(__dirname, '..', '..', '..', 'node_modules', '.bin', 'zhelian');
const built = path.join(__dirname, '..', 'dist', 'cli.js');
// The embedded ledger's test chaincode: one transaction per Fabric stub behaviour.
const semantics = path.join(__dirname, '..', '..', 'embedded', 'test', 'fixtures', 'ledger', 'semantics');
const STACK_LINE = /^ {4}at /m;

interface Run {
    code: number;
    stdout: string;
    stderr: string;
}

function zhelian(...args: string[]): Promise<Run> {
    return new Promise((resolve) => {
        const env = { ...process.env };
        delete env.ZHELIAN_DATA;
        delete env.ZHELIAN_NETWORK;
        execFile(cli, args, { env, timeout: 60_000 }, (err, stdout, stderr) => {
            const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
            resolve({ code, stdout, stderr });
        });
    });
}

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
        if (!existsSync(built)) {
            throw new Error(`${built} is missing: build with \`npx tsc -b\` first`);
        }
        dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-cli-'));
        run = (...args) => zhelian('--data', dataDir, '--topology', 'test-network', ...args);
        const deployed = await run('deploy', semantics);
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
        // Metadata only sticks to an existing key; then restrict it to an org that cannot endorse.
        expect((await run('invoke', 'semantics', 'semantics:put', 'locked', 'a')).code).toBe(0);
        expect((await run('invoke', 'semantics', 'semantics:restrict', 'locked', '["Org3MSP"]')).code).toBe(0);
        const rejected = await run('invoke', 'semantics', 'semantics:put', 'locked', 'b');
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
            const upgraded = await run('deploy', semantics, '--collections', collections);
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

    it('fails with one line when the chosen network has no backend package', async () => {
        const unavailable = await run('--network', 'fabric', 'identities');
        expect(unavailable.code).toBe(1);
        expect(unavailable.stdout).toBe('');
        expect(unavailable.stderr).toMatch(/^zhelian: The fabric network is not available: .*@zhelian\/fabric.*\n$/);
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

    describe('rejects bad input with one clear message, no stack trace and no change', () => {
        let emptyDir: string;
        let heightBefore: number;

        beforeAll(async () => {
            emptyDir = path.join(dataDir, 'not-a-package');
            await mkdir(emptyDir, { recursive: true });
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
