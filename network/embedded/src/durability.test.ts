import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TxValidationCode } from '@zhelian/api';
import { semantics, SEMANTICS_PACKAGE } from '../test/support/semantics';
import { withStore } from '../test/support/store';
import { EmbeddedLedger } from './embedded-ledger';

const fixtures = path.join(__dirname, '..', 'test', 'fixtures');
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

describe('durability', () => {
    let dataDir: string;

    beforeEach(async () => {
        dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-durability-'));
    });

    afterEach(async () => {
        await rm(dataDir, { recursive: true, force: true });
    });

    it('resumes height, state, history, identities and deployed chaincode after a restart', async () => {
        const first = await EmbeddedLedger.open({ dataDir, topology: 'test-network' });
        await first.deploy({ packageDir: SEMANTICS_PACKAGE });
        const learner = await first.enroll('Org2MSP', 'learner', { attrs: { role: 'student' } });
        const contract = semantics(first);
        await contract.submitTransaction('put', 'kept', 'one');
        await contract.submitTransaction('put', 'kept', 'two');
        const height = await first.explorer.getHeight();
        const certificate = first.identity(learner.mspId, learner.name).certificate;
        await first.close();

        // No topology given: the data dir remembers it.
        const second = await EmbeddedLedger.open({ dataDir });
        try {
            expect(second.topology.name).toBe('test-network');
            expect(await second.explorer.getHeight()).toBe(height);
            expect(second.identity('Org2MSP', 'learner').certificate).toBe(certificate);
            expect(second.chaincodes().map((c) => c.name)).toEqual(['semantics']);
            const again = semantics(second, 'Org2MSP', 'learner');
            expect(text(await again.evaluateTransaction('get', 'kept'))).toBe('two');
            expect(
                (JSON.parse(text(await again.evaluateTransaction('history', 'kept'))) as { value: string }[]).map(
                    (h) => h.value,
                ),
            ).toEqual(['two', 'one']);
            await again.submitTransaction('put', 'kept', 'three');
            expect(await second.explorer.getHeight()).toBe(height + 1);
            expect((await second.explorer.verifyChain()).ok).toBe(true);
        } finally {
            await second.close();
        }
    });

    it('loses no committed block and leaves no partial one when killed with SIGKILL mid-load', async () => {
        const child = spawn(process.execPath, [path.join(fixtures, 'load-until-killed.js'), dataDir], {
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        const reported: { txId: string; block: number; code: number; i: number }[] = [];
        let stderr = '';
        child.stderr.on('data', (chunk) => (stderr += chunk));
        await new Promise<void>((resolve, reject) => {
            const lines = createInterface({ input: child.stdout });
            lines.on('line', (line) => {
                reported.push(JSON.parse(line));
                if (reported.length === 300) {
                    child.kill('SIGKILL');
                }
            });
            child.on('exit', () => resolve());
            child.on('error', reject);
        });
        expect(stderr).toBe('');
        expect(reported.length).toBeGreaterThanOrEqual(300);

        const ledger = await EmbeddedLedger.open({ dataDir });
        const written = new Set<string>();
        try {
            expect((await ledger.explorer.verifyChain()).ok).toBe(true);
            // Every commit the process reported before it died is still there, valid.
            for (const tx of reported) {
                const found = await ledger.explorer.getTransaction(tx.txId);
                expect(found?.validationCode).toBe(TxValidationCode.VALID);
                expect(found?.blockNumber).toBe(tx.block);
            }
            // Atomic blocks: the state holds exactly the writes of the valid transactions stored in blocks.
            for (let n = 0; n < (await ledger.explorer.getHeight()); n++) {
                for (const tx of (await ledger.explorer.getBlock(n))!.transactions) {
                    if (tx.validationCode === TxValidationCode.VALID) {
                        for (const ns of tx.readWriteSets) for (const w of ns.writes) written.add(w.key);
                    }
                }
            }
        } finally {
            await ledger.close();
        }
        const inState = new Set<string>();
        await withStore(dataDir, async (store) => {
            for await (const entry of store.rangeState('semantics', 'load-', 'load.')) inState.add(entry.key);
        });
        expect([...inState].sort()).toEqual([...written].sort());
        expect(inState.size).toBeGreaterThanOrEqual(300);
    });

    it('finds a changed byte in a stored block and names the block', async () => {
        const ledger = await EmbeddedLedger.open({ dataDir, topology: 'test-network' });
        await ledger.deploy({ packageDir: SEMANTICS_PACKAGE });
        const contract = semantics(ledger);
        for (const value of ['a', 'b', 'c', 'd']) {
            await contract.submitTransaction('put', 'tampered', value);
        }
        expect((await ledger.explorer.verifyChain()).ok).toBe(true);
        const target = 2;
        const key = `b\u0000${target.toString(16).padStart(12, '0')}`;
        await ledger.close();
        await withStore(dataDir, async (store) => {
            const bytes = Buffer.from((await store.getBlockBytes(target)) as Uint8Array);
            // Change one byte of the last transaction's bytes, which end the record.
            bytes[bytes.length - 20] ^= 0x01;
            await store.database.put(key, new Uint8Array(bytes));
        });
        const reopened = await EmbeddedLedger.open({ dataDir });
        const result = await reopened.explorer.verifyChain();
        expect(result.ok).toBe(false);
        expect(result.problems.map((p) => p.blockNumber)).toContain(target);
        await reopened.close();
    });

    it('finds a flipped validation code, which the block header does not cover', async () => {
        const ledger = await EmbeddedLedger.open({ dataDir, topology: 'test-network' });
        await ledger.deploy({ packageDir: SEMANTICS_PACKAGE });
        const contract = semantics(ledger);
        const submitted = await contract.submitAsync('put', {
            arguments: ['lonely', 'x'],
            endorsingOrganizations: ['Org1MSP'],
        });
        const { blockNumber, code } = await submitted.getStatus();
        expect(code).toBe(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        const key = `b\u0000${Number(blockNumber).toString(16).padStart(12, '0')}`;
        await ledger.close();
        await withStore(dataDir, async (store) => {
            const stored = Buffer.from((await store.getBlockBytes(Number(blockNumber))) as Uint8Array).toString(
                'latin1',
            );
            await store.database.put(
                key,
                // The same length, so that the record still frames its transactions.
                new Uint8Array(
                    Buffer.from(stored.replace('"validationCodes":[10]', '"validationCodes":[ 0]'), 'latin1'),
                ),
            );
        });
        const reopened = await EmbeddedLedger.open({ dataDir });
        const result = await reopened.explorer.verifyChain();
        expect(result.problems).toEqual([
            { blockNumber: Number(blockNumber), reason: expect.stringContaining('commit hash') },
        ]);
        await reopened.close();
    });
});
