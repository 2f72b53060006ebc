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
});
