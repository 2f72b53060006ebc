import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainVerification, TamperReport, UndoTamperReport } from '@zhelian/api';
import { requireBuiltCli, type Run, runZhelian, SEMANTICS_CHAINCODE } from '../test/support/bin';

// `zhelian tamper` through the installed bin, each command its own process: the tampering is
// kept in the data dir between them, as between a server's restarts.

describe('zhelian tamper', () => {
    let dataDir: string;
    let block: number;
    const run = (...args: string[]): Promise<Run> => runZhelian('--data', dataDir, ...args);
    const json = <T>(result: Run): T => JSON.parse(result.stdout) as T;

    beforeAll(async () => {
        requireBuiltCli();
        dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-cli-tamper-'));
        expect((await run('--topology', 'test-network', 'deploy', SEMANTICS_CHAINCODE)).code).toBe(0);
        expect((await run('invoke', 'semantics', 'semantics:put', 'receipt', '{"amountFen":4500}')).code).toBe(0);
        block = json<ChainVerification>(await run('verify')).height - 1;
    });

    afterAll(async () => {
        await rm(dataDir, { recursive: true, force: true });
    });

    it('--block changes a byte; verify exits 2 naming that block; --undo puts it back and verify passes', async () => {
        const tampered = await run('tamper', '--block', String(block));
        expect(tampered.stderr).toBe('');
        expect(json<TamperReport>(tampered)).toMatchObject({
            blockNumber: block,
            key: 'receipt',
            oldChar: '4',
            newChar: '5',
        });
        expect(json<{ pending: TamperReport }>(await run('tamper')).pending).toMatchObject({ blockNumber: block });

        const verified = await run('verify');
        expect(verified.code).toBe(2);
        expect(json<ChainVerification>(verified).problems.map((p) => p.blockNumber)).toEqual([block]);
        expect((await run('invoke', 'semantics', 'semantics:put', 'k', 'v')).stderr).toMatch(/is damaged/);

        const again = await run('tamper', '--block', '0');
        expect(again.code).toBe(1);
        expect(again.stderr).toMatch(new RegExp(`block ${block} is already tampered with`));

        const undone = await run('tamper', '--undo');
        expect(undone.code).toBe(0);
        expect(json<UndoTamperReport>(undone).verification.ok).toBe(true);
        expect((await run('verify')).code).toBe(0);
        expect((await run('invoke', 'semantics', 'semantics:put', 'k', 'v')).code).toBe(0);
        expect(json<{ pending: null }>(await run('tamper'))).toEqual({ pending: null });
    });

    it('refuses --block with --undo, and a block beyond the height', async () => {
        expect((await run('tamper', '--block', '1', '--undo')).stderr).toMatch(/choose one/);
        const beyond = await run('tamper', '--block', '9999');
        expect(beyond.code).toBe(1);
        expect(beyond.stderr).toMatch(/there is no block 9999/);
    });
});
