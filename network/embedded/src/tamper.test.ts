import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, type TamperReport } from '@zhelian/api';
import { semantics, SEMANTICS_PACKAGE } from '../test/support/semantics';
import { withStore } from '../test/support/store';
import { EmbeddedLedger } from './embedded-ledger';
import { blockKey } from './ledger/keys';

/** The value block `blockNumber`'s first transaction writes to `key`, as the explorer reads it from the block. */
async function writtenValue(ledger: EmbeddedLedger, blockNumber: number, key: string): Promise<string> {
    const block = await ledger.explorer.getBlock(blockNumber);
    const tx = await ledger.explorer.getTransaction(block!.transactions[0].txId);
    const write = tx!.readWriteSets.flatMap((ns) => ns.writes).find((w) => w.key === key);
    return Buffer.from(write!.value).toString('utf8');
}

describe("the instructor's tampering tool (maintenance.tamperBlock / undoTamper)", () => {
    let dataDir: string;
    /** The block that wrote `amount` = 12000, and its stored bytes before anything was changed. */
    let target: number;
    let original: Uint8Array;

    beforeEach(async () => {
        dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-tamper-'));
        const ledger = await EmbeddedLedger.open({ dataDir, topology: 'test-network' });
        try {
            await ledger.deploy({ packageDir: SEMANTICS_PACKAGE });
            await semantics(ledger).submitTransaction('put', 'before', 'x');
            await semantics(ledger).submitTransaction('put', 'amount', '{"amountFen":12000}');
            target = (await ledger.explorer.getHeight()) - 1;
            await semantics(ledger).submitTransaction('put', 'after', 'y');
        } finally {
            await ledger.close();
        }
        original = (await withStore(dataDir, (store) => store.database.get(blockKey(target))))!;
    });

    afterEach(async () => {
        await rm(dataDir, { recursive: true, force: true });
    });

    it('changes one digit of a written value; verification names that block alone, then the ledger refuses', async () => {
        const ledger = await EmbeddedLedger.open({ dataDir });
        let report: TamperReport;
        try {
            report = await ledger.maintenance.tamperBlock(target);
            expect(report).toMatchObject({
                blockNumber: target,
                txIndex: 0,
                namespace: 'semantics',
                key: 'amount',
                offsetInValue: '{"amountFen":'.length,
                oldChar: '1',
                newChar: '2',
            });
            expect(await ledger.maintenance.pendingTamper()).toEqual(report);
            // The block now says another amount; the world state, derived when it committed, does not.
            expect(await writtenValue(ledger, target, 'amount')).toBe('{"amountFen":22000}');
            expect(Buffer.from(await semantics(ledger).evaluateTransaction('get', 'amount')).toString()).toBe(
                '{"amountFen":12000}',
            );
            // Nobody notices until a verification: a peer does not re-hash its blocks as it commits.
            await semantics(ledger).submitTransaction('put', 'unnoticed', 'z');

            const verification = await ledger.explorer.verifyChain!();
            expect(verification.ok).toBe(false);
            expect(verification.problems).toEqual([
                { blockNumber: target, reason: 'data hash does not match the transactions' },
            ]);
            await expect(semantics(ledger).submitTransaction('put', 'refused', 'w')).rejects.toMatchObject({
                code: ErrorCode.LEDGER_DAMAGED,
            });
            await expect(ledger.maintenance.tamperBlock(target + 1)).rejects.toMatchObject({
                code: ErrorCode.TAMPER_PENDING,
                message: expect.stringContaining(`block ${target} is already tampered with`),
            });
        } finally {
            await ledger.close();
        }
        const stored = (await withStore(dataDir, (store) => store.database.get(blockKey(target))))!;
        const differing = [...stored.keys()].filter((i) => stored[i] !== original[i]);
        expect(stored.length).toBe(original.length);
        expect(differing).toEqual([report.offsetInBlock]);
        expect([original[report.offsetInBlock], stored[report.offsetInBlock]]).toEqual([
            report.oldByte,
            report.newByte,
        ]);
    });

    it('undo, after a restart, restores the exact bytes: the ledger verifies and commits again', async () => {
        const first = await EmbeddedLedger.open({ dataDir });
        let report: TamperReport;
        try {
            report = await first.maintenance.tamperBlock(target);
            expect((await first.explorer.verifyChain!()).ok).toBe(false);
        } finally {
            await first.close();
        }
        const ledger = await EmbeddedLedger.open({ dataDir });
        try {
            expect(await ledger.maintenance.pendingTamper()).toEqual(report);
            await expect(semantics(ledger).submitTransaction('put', 'refused', 'w')).rejects.toMatchObject({
                code: ErrorCode.LEDGER_DAMAGED,
            });
            const undone = await ledger.maintenance.undoTamper();
            expect(undone.restored).toEqual(report);
            expect(undone.clearedDamage).toMatch(new RegExp(`blocks ${target} do not match their hashes`));
            expect(undone.verification).toMatchObject({ ok: true, problems: [] });
            expect(await ledger.maintenance.pendingTamper()).toBeUndefined();
            expect(await writtenValue(ledger, target, 'amount')).toBe('{"amountFen":12000}');
            await semantics(ledger).submitTransaction('put', 'again', 'v');
            await expect(ledger.maintenance.undoTamper()).rejects.toMatchObject({ code: ErrorCode.NO_TAMPER });
        } finally {
            await ledger.close();
        }
        const stored = await withStore(dataDir, (store) => store.database.get(blockKey(target)));
        expect(Buffer.from(stored!).equals(Buffer.from(original))).toBe(true);
    });

    it('refuses a block beyond the height, a block that writes nothing, and a damaged ledger, changing nothing', async () => {
        const ledger = await EmbeddedLedger.open({ dataDir });
        try {
            const height = await ledger.explorer.getHeight();
            await expect(ledger.maintenance.tamperBlock(height)).rejects.toMatchObject({
                code: ErrorCode.BLOCK_NOT_FOUND,
                message: `there is no block ${height}: the chain holds blocks 0–${height - 1}`,
            });
            await expect(ledger.maintenance.tamperBlock(-1)).rejects.toMatchObject({ code: ErrorCode.BLOCK_NOT_FOUND });
            await semantics(ledger).submitTransaction('get', 'before');
            await expect(ledger.maintenance.tamperBlock(height)).rejects.toMatchObject({
                code: ErrorCode.NOTHING_TO_TAMPER,
                message: expect.stringContaining(`block ${height} has no transaction that writes a value`),
            });
            expect(await ledger.maintenance.pendingTamper()).toBeUndefined();
            expect((await ledger.explorer.verifyChain!()).ok).toBe(true);
        } finally {
            await ledger.close();
        }
        await withStore(dataDir, (store) => store.recordDamage({ kind: 'inconsistent', what: 'a test says so' }));
        const damaged = await EmbeddedLedger.open({ dataDir });
        try {
            // Undo clears the damage a verification of the tampering found: it must not inherit older damage.
            await expect(damaged.maintenance.tamperBlock(target)).rejects.toMatchObject({
                code: ErrorCode.LEDGER_DAMAGED,
                message: expect.stringContaining('a test says so'),
            });
            expect(await damaged.maintenance.pendingTamper()).toBeUndefined();
        } finally {
            await damaged.close();
        }
    });
});
