import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '@zhelian/api';
import { semantics, SEMANTICS_PACKAGE } from '../test/support/semantics';
import { withStore } from '../test/support/store';
import { EmbeddedLedger } from './embedded-ledger';

const fixtures = path.join(__dirname, '..', 'test', 'fixtures');
const holdOpen = path.join(fixtures, 'hold-open.js');

/** Tries to open the data dir from another process: whether it could, and what it said if not. */
function openElsewhere(dataDir: string): Promise<{ opened: boolean; stderr: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [holdOpen, dataDir], { stdio: ['pipe', 'pipe', 'pipe'] });
        let stderr = '';
        let opened = false;
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
        createInterface({ input: child.stdout }).once('line', () => {
            opened = true;
            child.stdin.end();
        });
        child.once('error', reject);
        child.once('exit', () => resolve({ opened, stderr }));
    });
}

describe('a data dir is opened once per process', () => {
    let dataDir: string;

    beforeEach(async () => {
        dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-lock-'));
    });

    afterEach(async () => {
        await rm(dataDir, { recursive: true, force: true });
    });

    it('refuses a second open in the same process, and keeps the lock against other processes', async () => {
        const ledger = await EmbeddedLedger.open({ dataDir, topology: 'test-network' });
        try {
            await expect(EmbeddedLedger.open({ dataDir })).rejects.toMatchObject({
                code: ErrorCode.DATA_DIR_LOCKED,
                message: expect.stringContaining(`the ledger in ${path.join(dataDir, 'ledger')} is locked`),
            });
            // The refusal came before LevelDB: its lock on the data dir still holds against another process.
            const elsewhere = await openElsewhere(dataDir);
            expect(elsewhere.opened).toBe(false);
            expect(elsewhere.stderr).toMatch(/is locked: another zhelian process is using this data dir/);
            await expect(EmbeddedLedger.open({ dataDir })).rejects.toThrow(/this process has it open already/);
            // The open ledger is unharmed and still commits.
            await ledger.deploy({ packageDir: SEMANTICS_PACKAGE });
            const contract = semantics(ledger);
            await contract.submitTransaction('put', 'colour', 'red');
            expect(Buffer.from(await contract.evaluateTransaction('get', 'colour')).toString()).toBe('red');
        } finally {
            await ledger.close();
        }
    });

    it('knows the data dir under another name (a symbolic link, a relative path)', async () => {
        const link = path.join(tmpdir(), `${path.basename(dataDir)}-link`);
        await symlink(dataDir, link);
        const ledger = await EmbeddedLedger.open({ dataDir, topology: 'test-network' });
        try {
            await expect(EmbeddedLedger.open({ dataDir: link })).rejects.toMatchObject({
                code: ErrorCode.DATA_DIR_LOCKED,
            });
            await expect(EmbeddedLedger.open({ dataDir: path.relative(process.cwd(), dataDir) })).rejects.toMatchObject(
                { code: ErrorCode.DATA_DIR_LOCKED },
            );
            await expect(withStore(link, async () => undefined)).rejects.toMatchObject({
                code: ErrorCode.DATA_DIR_LOCKED,
            });
            expect((await openElsewhere(dataDir)).opened).toBe(false);
        } finally {
            await ledger.close();
            await rm(link, { force: true });
        }
    });

    it('opens again once closed, and after an open that failed', async () => {
        await (await EmbeddedLedger.open({ dataDir, topology: 'test-network' })).close();
        const reopened = await EmbeddedLedger.open({ dataDir });
        await reopened.close();
        // The data dir holds channel mychannel: a topology for another channel fails after LevelDB opened.
        await expect(EmbeddedLedger.open({ dataDir, topology: 'zhelian' })).rejects.toMatchObject({
            code: ErrorCode.CHANNEL_MISMATCH,
        });
        const again = await EmbeddedLedger.open({ dataDir });
        await again.close();
        expect((await openElsewhere(dataDir)).opened).toBe(true);
    });

    it('lets two opens race for a new data dir, and only one of them win', async () => {
        const fresh = path.join(dataDir, 'fresh');
        await mkdir(fresh);
        const outcomes = await Promise.allSettled([
            EmbeddedLedger.open({ dataDir: fresh, topology: 'test-network' }),
            EmbeddedLedger.open({ dataDir: fresh, topology: 'test-network' }),
        ]);
        const opened = outcomes.filter((o) => o.status === 'fulfilled');
        const refused = outcomes.filter((o) => o.status === 'rejected');
        expect(opened).toHaveLength(1);
        expect(refused).toMatchObject([{ reason: { code: ErrorCode.DATA_DIR_LOCKED } }]);
        await (opened[0] as PromiseFulfilledResult<EmbeddedLedger>).value.close();
    });
});
