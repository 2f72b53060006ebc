import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedLedger } from './embedded-ledger';
import { signingThreadRunning } from './msp';

describe('when the signing thread starts', () => {
    let dataDir: string | undefined;
    let ledger: EmbeddedLedger | undefined;

    afterAll(async () => {
        await ledger?.close();
        if (dataDir) {
            await rm(dataDir, { recursive: true, force: true });
        }
    });

    it('opening a ledger starts it, before anything is signed', async () => {
        expect(signingThreadRunning()).toBe(false);
        dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-signing-'));
        ledger = await EmbeddedLedger.open({ dataDir, topology: 'test-network' });
        expect(signingThreadRunning()).toBe(true);
    });

    it('started and never used, it does not keep a process alive', async () => {
        // As a CLI whose open failed: the thread started, nothing was signed, and the process must end.
        const script = `require(${JSON.stringify(path.join(__dirname, '..', 'dist', 'msp'))}).startSigningThread();`;
        const exited = await new Promise<{ code: number | null; killed: boolean }>((resolve) => {
            const child = execFile(process.execPath, ['-e', script], { timeout: 30_000 }, () =>
                resolve({ code: child.exitCode, killed: child.killed }),
            );
        });
        expect(exited).toEqual({ code: 0, killed: false });
    });
});
