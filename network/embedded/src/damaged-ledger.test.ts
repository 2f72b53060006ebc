import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '@zhelian/api';
import { semantics, SEMANTICS_PACKAGE } from '../test/support/semantics';
import { withStore } from '../test/support/store';
import { EmbeddedLedger } from './embedded-ledger';
import { blockKey } from './ledger/keys';
import { computeHeaderHash } from './ledger/block';
import { encodeRecord } from './ledger/encoding';

const fixtures = path.join(__dirname, '..', 'test', 'fixtures');

/** What a ledger refuses to do once it is damaged: endorse (submit or evaluate) and commit. */
async function expectRefused(ledger: EmbeddedLedger, code: string, message: RegExp): Promise<void> {
    const contract = semantics(ledger);
    const refusal = { code, message: expect.stringMatching(message) };
    await expect(contract.submitTransaction('put', 'after', 'damage')).rejects.toMatchObject(refusal);
    await expect(contract.evaluateTransaction('get', 'k0')).rejects.toMatchObject(refusal);
    const recovery = /npx zhelian verify.*npx zhelian rebuild.*restore the data dir from a backup/;
    await expect(contract.submitTransaction('put', 'after', 'damage')).rejects.toThrow(recovery);
}

describe('a damaged data dir', () => {
    let dataDir: string;
    let height: number;

    beforeEach(async () => {
        dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-damage-'));
        const ledger = await EmbeddedLedger.open({ dataDir, topology: 'test-network' });
        try {
            await ledger.deploy({ packageDir: SEMANTICS_PACKAGE });
            for (let i = 0; i < 12; i++) {
                await semantics(ledger).submitTransaction('put', `k${i}`, 'v'.repeat(2000));
            }
            height = await ledger.explorer.getHeight();
        } finally {
            await ledger.close();
        }
    });

    afterEach(async () => {
        await rm(dataDir, { recursive: true, force: true });
    });

    it('is locked, not corrupt, while another process has it open', async () => {
        const holder = spawn(process.execPath, [path.join(fixtures, 'hold-open.js'), dataDir], {
            stdio: ['pipe', 'pipe', 'inherit'],
        });
        try {
            await new Promise<void>((resolve, reject) => {
                createInterface({ input: holder.stdout }).once('line', () => resolve());
                holder.once('exit', (code) => reject(new Error(`hold-open exited with ${code}`)));
            });
            await expect(EmbeddedLedger.open({ dataDir })).rejects.toMatchObject({
                code: ErrorCode.DATA_DIR_LOCKED,
                message: expect.stringMatching(/is locked: another zhelian process is using this data dir/),
            });
        } finally {
            const exited = new Promise((resolve) => holder.once('exit', resolve));
            holder.stdin.end();
            await exited;
        }
    });

    it("says corrupt and refuses to endorse or commit after a byte of LevelDB's log was flipped", async () => {
        const ledgerDir = path.join(dataDir, 'ledger');
        const logs = (await readdir(ledgerDir)).filter((name) => name.endsWith('.log'));
        const sizes = await Promise.all(logs.map(async (name) => (await stat(path.join(ledgerDir, name))).size));
        const log = path.join(ledgerDir, logs[sizes.indexOf(Math.max(...sizes))]);
        const bytes = await readFile(log);
        bytes[Math.floor(bytes.length / 2)] ^= 0xff;
        await writeFile(log, bytes);

        const damaged = await EmbeddedLedger.open({ dataDir });
        try {
            await expectRefused(damaged, ErrorCode.DATA_DIR_CORRUPT, /is corrupt: LevelDB .* dropped \d+ bytes/);
            // Reads of the blocks stay open, for verifying and exploring.
            expect(await damaged.explorer.getBlock(0)).toBeDefined();
        } finally {
            await damaged.close();
        }
        // LevelDB forgets what it dropped once it has recovered; the ledger does not.
        const reopened = await EmbeddedLedger.open({ dataDir });
        try {
            await expectRefused(reopened, ErrorCode.DATA_DIR_CORRUPT, /dropped \d+ bytes/);
        } finally {
            await reopened.close();
        }
    });

    it('stops committing once a flipped byte in a LevelDB table is read, by LevelDB or by verify', async () => {
        // A restart moves the log into a sorted table (.ldb), where the bulk of the blocks now is.
        await (await EmbeddedLedger.open({ dataDir })).close();
        const ledgerDir = path.join(dataDir, 'ledger');
        const tables = (await readdir(ledgerDir)).filter((name) => name.endsWith('.ldb'));
        const sizes = await Promise.all(tables.map(async (name) => (await stat(path.join(ledgerDir, name))).size));
        const table = path.join(ledgerDir, tables[sizes.indexOf(Math.max(...sizes))]);
        const bytes = await readFile(table);
        bytes[Math.floor(bytes.length / 3)] ^= 0xff;
        await writeFile(table, bytes);

        let damaged: EmbeddedLedger;
        try {
            damaged = await EmbeddedLedger.open({ dataDir });
        } catch (err) {
            // The byte fell where opening reads (the ledger's metadata): nothing can run on it.
            expect(err).toMatchObject({ code: ErrorCode.DATA_DIR_CORRUPT });
            return;
        }
        try {
            // LevelDB reads tables lazily and checks few checksums: a changed block or state entry
            // may only show as hashes or values that no longer match. Either way verify finds it.
            expect((await damaged.explorer.verifyChain()).ok).toBe(false);
            await expect(semantics(damaged).submitTransaction('put', 'after', 'damage')).rejects.toMatchObject({
                code: expect.stringMatching(/^(DATA_DIR_CORRUPT|LEDGER_DAMAGED)$/),
            });
        } finally {
            await damaged.close();
        }
    });

    it('names a block whose stored metadata lost a field to a changed byte, and goes on to the next', async () => {
        const changed = height - 3;
        await withStore(dataDir, async (store) => {
            const bytes = Buffer.from((await store.database.get(blockKey(changed))) as Uint8Array);
            const at = bytes.indexOf('"committedAt"');
            bytes[at + 'committedA'.length + 1] ^= 0x01; // committedAt → committedAu: still well-formed JSON
            await store.database.put(blockKey(changed), bytes);
        });
        const damaged = await EmbeddedLedger.open({ dataDir });
        try {
            const verification = await damaged.explorer.verifyChain();
            expect(verification.problems).toEqual([
                {
                    blockNumber: changed,
                    reason: expect.stringMatching(/cannot be decoded: .*metadata\.committedAt is malformed/),
                },
            ]);
            await expectRefused(damaged, ErrorCode.LEDGER_DAMAGED, new RegExp(`blocks ${changed} do not match`));
        } finally {
            await damaged.close();
        }
    });

    it('names a block missing in the middle of the chain, alone, and rebuild will not bridge the gap', async () => {
        const gone = height - 4;
        await withStore(dataDir, (store) => store.database.del(blockKey(gone)));
        const damaged = await EmbeddedLedger.open({ dataDir });
        try {
            const verification = await damaged.explorer.verifyChain();
            expect(verification.problems).toEqual([{ blockNumber: gone, reason: 'block is missing' }]);
            expect(verification.remedy).toMatch(/restore the data dir from a backup/);
            await expect(damaged.maintenance.rebuild()).rejects.toMatchObject({
                code: ErrorCode.LEDGER_DAMAGED,
                message: expect.stringMatching(new RegExp(`block ${gone}: block is missing.*backup`)),
            });
            await expectRefused(
                damaged,
                ErrorCode.LEDGER_DAMAGED,
                new RegExp(`blocks ${gone} do not match their hashes`),
            );
        } finally {
            await damaged.close();
        }
    });

    it('refuses to commit when the block the savepoint names is missing, and names it', async () => {
        await withStore(dataDir, (store) => store.database.del(blockKey(height - 1)));
        const damaged = await EmbeddedLedger.open({ dataDir });
        try {
            await expectRefused(
                damaged,
                ErrorCode.LEDGER_DAMAGED,
                new RegExp(
                    `tail does not match the savepoint: block ${height - 1}, the last one the savepoint names, is missing`,
                ),
            );
        } finally {
            await damaged.close();
        }
    });

    it('refuses to commit when blocks are stored beyond the savepoint, and names them', async () => {
        await withStore(dataDir, async (store) => {
            const last = (await store.getBlock(height - 3))!;
            await store.database.put(
                'm\u0000tip',
                encodeRecord({
                    height: height - 2,
                    lastHeaderHash: computeHeaderHash(last.header),
                    lastCommitHash: last.metadata.commitHash,
                }),
            );
        });
        const damaged = await EmbeddedLedger.open({ dataDir });
        try {
            expect(await damaged.explorer.getHeight()).toBe(height - 2);
            await expectRefused(
                damaged,
                ErrorCode.LEDGER_DAMAGED,
                new RegExp(`blocks ${height - 2}–${height - 1} are stored beyond the savepoint`),
            );
        } finally {
            await damaged.close();
        }
    });
});
