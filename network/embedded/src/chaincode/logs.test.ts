import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChaincodeLogs } from './logs';

describe('chaincode logs', () => {
    let dir: string;

    beforeEach(async () => {
        dir = await mkdtemp(path.join(tmpdir(), 'zhelian-logs-'));
    });

    afterEach(async () => {
        await rm(dir, { recursive: true, force: true });
    });

    it('appends each chaincode’s output to its own file, and writes nothing once closed', async () => {
        const logs = new ChaincodeLogs(path.join(dir, 'logs'));
        logs.write('zhelian', 'started\n');
        logs.write('basic', 'ready\n');
        await logs.close();
        expect(await readFile(path.join(dir, 'logs', 'zhelian.log'), 'utf8')).toBe('started\n');
        // A stopping worker's last line arrives after the ledger closed, perhaps after its data dir was removed.
        await rm(path.join(dir, 'logs'), { recursive: true });
        logs.write('zhelian', 'stopped\n');
        expect(existsSync(path.join(dir, 'logs'))).toBe(false);
    });
});
