import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Contract, ErrorCode, TxValidationCode } from '@zhelian/api';
import { SEMANTICS_PACKAGE } from '../test/support/semantics';
import { withStore } from '../test/support/store';
import { EmbeddedLedger } from './embedded-ledger';
import { type Block, computeHeaderHash } from './ledger/block';
import { decodeBlockRecord, encodeBlockRecord } from './ledger/block-record';
import { decodeRecord, encodeRecord } from './ledger/encoding';

const fixtures = path.join(__dirname, '..', 'test', 'fixtures', 'ledger');
const members = "OR('Org1MSP.member','Org2MSP.member')";
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
const SEP = '\u0000';

/** Rewrites one stored record in place, as someone with access to the disk could. */
async function rewrite<T>(dataDir: string, key: string, change: (record: T) => T): Promise<void> {
    await withStore(dataDir, async (store) => {
        const bytes = await store.database.get(key);
        expect(bytes, key).toBeDefined();
        await store.database.put(key, encodeRecord(change(decodeRecord<T>(bytes as Uint8Array))));
    });
}

/** Rewrites one stored block in place. */
async function rewriteBlock(dataDir: string, blockNumber: number, change: (block: Block) => Block): Promise<void> {
    await withStore(dataDir, async (store) => {
        const key = `b${SEP}${blockNumber.toString(16).padStart(12, '0')}`;
        const bytes = await store.database.get(key);
        expect(bytes, key).toBeDefined();
        await store.database.put(key, encodeBlockRecord(change(decodeBlockRecord(bytes as Uint8Array))));
    });
}

describe('world state verified against, and rebuilt from, the blocks', () => {
    let dataDir: string;
    /** Where the seeded transactions landed. */
    let seeded: Record<'receipt2' | 'patient' | 'short', { txId: string; block: number }>;

    const open = () => EmbeddedLedger.open({ dataDir });
    const contracts = (ledger: EmbeddedLedger): { semantics: Contract; secrets: Contract } => {
        const network = ledger.connectWith(ledger.identity('Org1MSP', 'user1')).getNetwork('mychannel');
        return {
            semantics: network.getContract('semantics', 'semantics'),
            secrets: network.getContract('private-data', 'private'),
        };
    };

    beforeEach(async () => {
        dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-state-'));
        const ledger = await EmbeddedLedger.open({ dataDir, topology: 'test-network' });
        try {
            await ledger.deploy({ packageDir: SEMANTICS_PACKAGE });
            await ledger.deploy({
                packageDir: path.join(fixtures, 'private-data'),
                collections: [
                    { name: 'patients', policy: members, requiredPeerCount: 0, maxPeerCount: 1, blockToLive: 0 },
                    { name: 'short', policy: members, requiredPeerCount: 0, maxPeerCount: 1, blockToLive: 3 },
                ],
            });
            const { semantics, secrets } = contracts(ledger);
            const commit = async (contract: Contract, fn: string, args: string[], value?: string) => {
                const submitted = await contract.submitAsync(fn, {
                    arguments: args,
                    ...(value ? { transientData: { value } } : {}),
                });
                const status = await submitted.getStatus();
                expect(status.code).toBe(TxValidationCode.VALID);
                return { txId: submitted.getTransactionId(), block: Number(status.blockNumber) };
            };
            await commit(semantics, 'put', ['receipt-1', 'ISSUED']);
            await commit(semantics, 'put', ['receipt-1', 'REIMBURSED']);
            seeded = {
                receipt2: await commit(semantics, 'put', ['receipt-2', 'ISSUED']),
                patient: await commit(secrets, 'put', ['patients', 'p1'], '张三'),
                short: await commit(secrets, 'put', ['short', 's1'], 'brief'),
            };
            expect((await ledger.explorer.verifyChain()).ok).toBe(true);
        } finally {
            await ledger.close();
        }
    });

    afterEach(async () => {
        await rm(dataDir, { recursive: true, force: true });
    });

    it('names a state value rewritten on disk (version kept), refuses to commit, and rebuild restores it', async () => {
        await rewrite<{ value: Uint8Array }>(dataDir, `s${SEP}semantics${SEP}receipt-1`, (record) => ({
            ...record,
            value: new Uint8Array(Buffer.from('ISSUED')),
        }));
        const ledger = await open();
        try {
            const { semantics } = contracts(ledger);
            const verification = await ledger.explorer.verifyChain();
            expect(verification).toMatchObject({ ok: false, problems: [] });
            expect(verification.state?.problems).toEqual([
                {
                    part: 'state',
                    namespace: 'semantics',
                    key: 'receipt-1',
                    reason: expect.stringMatching(/not what the blocks wrote at block \d+, tx 0/),
                },
            ]);
            expect(verification.remedy).toMatch(/npx zhelian rebuild/);
            // Until it is rebuilt, the ledger does not act on state it knows is wrong.
            await expect(semantics.submitTransaction('put', 'receipt-1', 'REIMBURSED')).rejects.toMatchObject({
                code: ErrorCode.LEDGER_DAMAGED,
                message: expect.stringMatching(/1 entries derived from the blocks do not match them.*receipt-1/),
            });

            const report = await ledger.maintenance.rebuild();
            expect(report).toMatchObject({
                height: verification.height,
                previousHeight: verification.height,
                repairedCount: 1,
                repaired: [{ part: 'state', namespace: 'semantics', key: 'receipt-1' }],
                missingPrivateData: [],
                clearedDamage: expect.stringMatching(/receipt-1/),
                warnings: [],
            });
            expect(text(await semantics.evaluateTransaction('get', 'receipt-1'))).toBe('REIMBURSED');
            expect((await ledger.explorer.verifyChain()).ok).toBe(true);
            await semantics.submitTransaction('put', 'receipt-3', 'ISSUED');
        } finally {
            await ledger.close();
        }
    });

    it('names tampered history, transaction index, private hashes and values, and rebuilds all but the lost value', async () => {
        const patientHash = `h${SEP}private-data${SEP}patients${SEP}${sha256('p1')}`;
        const historyPrefix = `k${SEP}semantics${SEP}${Buffer.from('receipt-1').toString('hex')}${SEP}`;
        const indexed = seeded.receipt2.txId;
        await withStore(dataDir, async (store) => {
            const [oldest] = await store.database.keys({ gte: historyPrefix, lt: historyPrefix + 'g', limit: 1 }).all();
            await store.database.del(oldest);
        });
        await rewrite<{ code: number }>(dataDir, `t${SEP}${indexed}`, (location) => ({
            ...location,
            code: TxValidationCode.MVCC_READ_CONFLICT,
        }));
        await rewrite<{ valueHash: string }>(dataDir, patientHash, (hashed) => ({
            ...hashed,
            valueHash: sha256('李四'),
        }));
        await rewrite<{ value: Uint8Array }>(dataDir, `p${SEP}private-data${SEP}short${SEP}s1`, (record) => ({
            ...record,
            value: new Uint8Array(Buffer.from('forged')),
        }));

        const ledger = await open();
        try {
            const verification = await ledger.explorer.verifyChain();
            expect(verification.ok).toBe(false);
            const found = verification.state!.problems.map(({ part, namespace, collection, key, keyHash, txId }) => ({
                part,
                ...(namespace ? { namespace } : {}),
                ...(collection ? { collection } : {}),
                ...(key ? { key } : {}),
                ...(keyHash ? { keyHash } : {}),
                ...(txId ? { txId } : {}),
            }));
            expect(found).toEqual(
                expect.arrayContaining([
                    { part: 'history', namespace: 'semantics', key: 'receipt-1' },
                    { part: 'transaction-index', txId: indexed },
                    { part: 'private-hash', namespace: 'private-data', collection: 'patients', keyHash: sha256('p1') },
                    // Values are held against the hashes the blocks committed, not the stored ones.
                    { part: 'private-value', namespace: 'private-data', collection: 'short', key: 's1' },
                ]),
            );
            expect(verification.state!.problemCount).toBe(4);

            const report = await ledger.maintenance.rebuild();
            expect(report.repairedCount).toBe(4);
            expect(report.repaired).toContainEqual(
                expect.objectContaining({
                    part: 'private-value',
                    key: 's1',
                    reason: expect.stringMatching(/^dropped: /),
                }),
            );
            expect(report.missingPrivateData).toEqual([
                { namespace: 'private-data', collection: 'short', keyHash: sha256('s1') },
            ]);
            expect(report.warnings).toEqual([expect.stringMatching(/1 private values .* only a backup has them/)]);

            const after = await ledger.explorer.verifyChain();
            expect(after.ok).toBe(true);
            expect(after.state!.missingPrivateData).toEqual(report.missingPrivateData);
            expect(after.remedy).toMatch(/only a backup can bring them back/);
            const { semantics, secrets } = contracts(ledger);
            expect((await ledger.explorer.getKeyHistory('semantics', 'receipt-1')).map((h) => text(h.value))).toEqual([
                'REIMBURSED',
                'ISSUED',
            ]);
            expect((await ledger.explorer.getTransaction(indexed))?.validationCode).toBe(TxValidationCode.VALID);
            expect(text(await secrets.evaluateTransaction('get', 'patients', 'p1'))).toBe('张三');
            // The member peers lack the value whose hash the channel holds: Fabric's peer refuses to answer empty.
            await expect(secrets.evaluateTransaction('get', 'short', 's1')).rejects.toThrow(
                /private data matching public hash version is not available\. Public hash version = \{BlockNum: \d+, TxNum: \d+\}, Private data version = <nil>/,
            );
            await semantics.submitTransaction('put', 'receipt-3', 'ISSUED');
        } finally {
            await ledger.close();
        }
    });

    it('finds a deleted expiry entry before the data outlives its blockToLive, and rebuild puts it back', async () => {
        const written = seeded.short.block;
        await withStore(dataDir, async (store) => {
            const expiring = `x${SEP}${(written + 4).toString(16).padStart(12, '0')}${SEP}`;
            const [entry] = await store.database.keys({ gte: expiring, lt: `${expiring}\uffff` }).all();
            expect(entry).toContain(sha256('s1'));
            await store.database.del(entry);
        });
        const ledger = await open();
        try {
            const verification = await ledger.explorer.verifyChain();
            expect(verification.state?.problems).toEqual([
                expect.objectContaining({ part: 'expiry-schedule', collection: 'short', blockNumber: written + 4 }),
            ]);
            await ledger.maintenance.rebuild();
            const { semantics, secrets } = contracts(ledger);
            while ((await ledger.explorer.getHeight()) < written + 5) {
                expect(text(await secrets.evaluateTransaction('get', 'short', 's1'))).toBe('brief');
                await semantics.submitTransaction('put', 'tick', String(await ledger.explorer.getHeight()));
            }
            expect(text(await secrets.evaluateTransaction('get', 'short', 's1'))).toBe('');
            expect((await ledger.explorer.verifyChain()).ok).toBe(true);
        } finally {
            await ledger.close();
        }
    });

    it('replays blocks stored beyond the savepoint into the state', async () => {
        let height = 0;
        await withStore(dataDir, async (store) => {
            height = store.height;
            const last = (await store.getBlock(height - 3))!;
            await store.database.put(
                `m${SEP}tip`,
                encodeRecord({
                    height: height - 2,
                    lastHeaderHash: computeHeaderHash(last.header),
                    lastCommitHash: last.metadata.commitHash,
                }),
            );
        });
        const ledger = await open();
        try {
            await expect(contracts(ledger).semantics.submitTransaction('put', 'x', 'y')).rejects.toMatchObject({
                code: ErrorCode.LEDGER_DAMAGED,
            });
            const report = await ledger.maintenance.rebuild();
            expect(report).toMatchObject({ height, previousHeight: height - 2, warnings: [] });
            expect(await ledger.explorer.getHeight()).toBe(height);
            expect((await ledger.explorer.verifyChain()).ok).toBe(true);
            await contracts(ledger).semantics.submitTransaction('put', 'x', 'y');
        } finally {
            await ledger.close();
        }
    });

    it('refuses to rebuild from a damaged block and says to restore a backup', async () => {
        const damaged = seeded.patient.block;
        await rewriteBlock(dataDir, damaged, (block) => ({
            ...block,
            metadata: { ...block.metadata, validationCodes: [TxValidationCode.MVCC_READ_CONFLICT] },
        }));
        const ledger = await open();
        try {
            const verification = await ledger.explorer.verifyChain();
            expect(verification).toMatchObject({
                ok: false,
                problems: [{ blockNumber: damaged }],
                remedy: expect.stringMatching(/restore the data dir from a backup/),
            });
            expect(verification.state).toBeUndefined();
            await expect(ledger.maintenance.rebuild()).rejects.toMatchObject({
                code: ErrorCode.LEDGER_DAMAGED,
                message: expect.stringMatching(
                    new RegExp(`cannot rebuild .*block ${damaged}: commit hash .*restore the data dir from a backup`),
                ),
            });
        } finally {
            await ledger.close();
        }
    });
});
