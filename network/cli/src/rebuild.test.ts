import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainVerification, RebuildReport } from '@zhelian/api';
import { requireBuiltCli, type Run, runZhelian, SEMANTICS_CHAINCODE } from '../test/support/bin';

// `verify` and `rebuild` through the installed bin, on a data dir whose LevelDB lost its last
// write: a byte flipped in its log, as a failing disk or someone with access to it would.

describe('zhelian verify and rebuild on a damaged data dir', () => {
    let dataDir: string;
    const run = (...args: string[]): Promise<Run> => runZhelian('--data', dataDir, ...args);
    const json = <T>(result: Run): T => JSON.parse(result.stdout) as T;

    beforeAll(async () => {
        requireBuiltCli();
        dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-cli-rebuild-'));
        expect((await run('--topology', 'test-network', 'deploy', SEMANTICS_CHAINCODE)).code).toBe(0);
        for (const value of ['one', 'two', 'three']) {
            expect((await run('invoke', 'semantics', 'semantics:put', 'k', value)).code).toBe(0);
        }
        // The last process's writes are in the newest log; its last record is the last block's batch.
        const ledger = path.join(dataDir, 'ledger');
        const [log] = (await readdir(ledger))
            .filter((name) => name.endsWith('.log'))
            .sort()
            .reverse();
        const bytes = await readFile(path.join(ledger, log));
        bytes[bytes.length - 10] ^= 0xff;
        await writeFile(path.join(ledger, log), bytes);
    });

    afterAll(async () => {
        await rm(dataDir, { recursive: true, force: true });
    });

    it('verify exits 2, says LevelDB dropped part of its log, and tells what to do', async () => {
        const verified = await run('verify');
        expect(verified.stderr).toBe('');
        expect(verified.code).toBe(2);
        expect(json<ChainVerification>(verified)).toMatchObject({
            ok: false,
            problems: [],
            damage: expect.stringMatching(/LevelDB found its write-ahead log corrupt on open and dropped \d+ bytes/),
            remedy: expect.stringMatching(/Run `npx zhelian rebuild`/),
        });
    });

    it('invoke and query are refused with the recovery steps', async () => {
        const invoked = await run('invoke', 'semantics', 'semantics:put', 'k', 'four');
        expect(invoked.code).toBe(1);
        expect(invoked.stderr).toMatch(/^zhelian: the ledger in .* is corrupt: .*npx zhelian rebuild/);
        expect((await run('query', 'semantics', 'semantics:get', 'k')).code).toBe(1);
    });

    it('rebuild clears the damage when the blocks are whole, and the ledger commits again', async () => {
        const rebuilt = await run('rebuild');
        expect(rebuilt.stderr).toBe('');
        expect(rebuilt.code).toBe(0);
        const report = json<RebuildReport>(rebuilt);
        expect(report).toMatchObject({
            repairedCount: 0,
            clearedDamage: expect.stringMatching(/dropped \d+ bytes/),
            warnings: [],
        });
        // The dropped record was the last block's batch: block, state and savepoint went together.
        expect(report.height).toBe(report.previousHeight);
        expect(json<ChainVerification>(await run('verify')).ok).toBe(true);
        expect((await run('invoke', 'semantics', 'semantics:put', 'k', 'four')).code).toBe(0);
        expect(json<string>(await run('query', 'semantics', 'semantics:get', 'k'))).toBe('four');
    });
});
