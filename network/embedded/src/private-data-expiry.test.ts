import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Contract, TxValidationCode } from '@zhelian/api';
import { EmbeddedLedger } from './embedded-ledger';

const fixture = path.join(__dirname, '..', 'test', 'fixtures', 'ledger', 'private-data');
const members = "OR('Org1MSP.member','Org2MSP.member')";
const collection = (name: string, blockToLive: number) => ({
    name,
    policy: members,
    requiredPeerCount: 0,
    maxPeerCount: 1,
    blockToLive,
});
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

describe('private data expiry (blockToLive) and purge, as Fabric', () => {
    let dataDir: string;
    let ledger: EmbeddedLedger;
    let contract: Contract;
    let ticks = 0;

    /** Commits one private write in its own block; returns the block number. */
    async function put(coll: string, key: string, value: string): Promise<number> {
        const submitted = await contract.submitAsync('put', {
            arguments: [coll, key],
            transientData: { value },
        });
        const status = await submitted.getStatus();
        expect(status.code).toBe(TxValidationCode.VALID);
        return Number(status.blockNumber);
    }

    /** Commits blocks with nothing private in them until `blockNumber` is committed. */
    async function commitThrough(blockNumber: number): Promise<void> {
        while ((await ledger.explorer.getHeight()) <= blockNumber) {
            await contract.submitTransaction('tick', `tick-${ticks++}`);
        }
        expect(await ledger.explorer.getHeight()).toBe(blockNumber + 1);
    }

    const value = async (coll: string, key: string) => text(await contract.evaluateTransaction('get', coll, key));
    const hash = async (coll: string, key: string) => text(await contract.evaluateTransaction('hash', coll, key));

    const connect = (): Contract =>
        ledger
            .connectWith(ledger.identity('Org1MSP', 'user1'))
            .getNetwork('mychannel')
            .getContract('private-data', 'private');

    beforeAll(async () => {
        dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-btl-'));
        ledger = await EmbeddedLedger.open({ dataDir, topology: 'test-network' });
        await ledger.deploy({
            packageDir: fixture,
            collections: [collection('btl1', 1), collection('btl2', 2), collection('forever', 0)],
        });
        contract = connect();
    });

    afterAll(async () => {
        await ledger.close();
        await rm(dataDir, { recursive: true, force: true });
    });

    it('purges data committed in block N, value and hash, when block N + blockToLive + 1 commits', async () => {
        const n = await put('btl1', 'a', 'secret a');
        await commitThrough(n + 1);
        expect(await value('btl1', 'a')).toBe('secret a');
        expect(await hash('btl1', 'a')).toBe(sha256('secret a'));
        await commitThrough(n + 2);
        expect(await value('btl1', 'a')).toBe('');
        expect(await hash('btl1', 'a')).toBe('');

        const m = await put('btl2', 'b', 'secret b');
        await commitThrough(m + 2);
        expect(await value('btl2', 'b')).toBe('secret b');
        await commitThrough(m + 3);
        expect(await value('btl2', 'b')).toBe('');
        expect(await hash('btl2', 'b')).toBe('');

        const f = await put('forever', 'c', 'secret c');
        await commitThrough(f + 10);
        expect(await value('forever', 'c')).toBe('secret c');

        // The blocks keep the hashes they were committed with, as Fabric's blocks do.
        const block = await ledger.explorer.getBlock(n);
        const written = block!.transactions[0].readWriteSets[0].collections[0];
        expect(written).toMatchObject({
            collection: 'btl1',
            writes: [{ keyHash: sha256('a'), isDelete: false, valueHash: sha256('secret a') }],
        });
        expect((await ledger.explorer.verifyChain()).ok).toBe(true);
    });

    it('keeps a key rewritten before it expires until its new write expires', async () => {
        const first = await put('btl2', 'd', 'first');
        const second = await put('btl2', 'd', 'second');
        await commitThrough(first + 3);
        expect(await value('btl2', 'd')).toBe('second');
        await commitThrough(second + 2);
        expect(await value('btl2', 'd')).toBe('second');
        await commitThrough(second + 3);
        expect(await value('btl2', 'd')).toBe('');
    });

    it('fails a transaction that read a hash which expired before it committed (MVCC)', async () => {
        const n = await put('btl1', 'e', 'short-lived');
        await commitThrough(n + 1);
        const endorsed = await contract.newProposal('readThenMark', { arguments: ['btl1', 'e', 'marker-e'] }).endorse();
        await commitThrough(n + 2);
        const status = await (await endorsed.submit()).getStatus();
        expect(status.code).toBe(TxValidationCode.MVCC_READ_CONFLICT);
    });

    it('purges on time after a restart what was scheduled before it, and what is scheduled after', async () => {
        const before = await put('btl2', 'r', 'before the restart');
        await ledger.close();
        ledger = await EmbeddedLedger.open({ dataDir });
        contract = connect();
        await commitThrough(before + 2);
        expect(await value('btl2', 'r')).toBe('before the restart');
        await commitThrough(before + 3);
        expect(await value('btl2', 'r')).toBe('');
        expect(await hash('btl2', 'r')).toBe('');

        const after = await put('btl1', 's', 'after the restart');
        await commitThrough(after + 1);
        expect(await value('btl1', 's')).toBe('after the restart');
        await commitThrough(after + 2);
        expect(await value('btl1', 's')).toBe('');
    });

    it('purgePrivateData removes value and hash and marks the hashed write as a purge', async () => {
        await put('forever', 'p', 'to purge');
        await put('forever', 'q', 'to delete');
        const purged = await contract.submitAsync('purge', { arguments: ['forever', 'p'] });
        const deleted = await contract.submitAsync('del', { arguments: ['forever', 'q'] });
        expect((await purged.getStatus()).code).toBe(TxValidationCode.VALID);
        expect((await deleted.getStatus()).code).toBe(TxValidationCode.VALID);
        expect(await value('forever', 'p')).toBe('');
        expect(await hash('forever', 'p')).toBe('');

        const writes = async (txId: string) =>
            (await ledger.explorer.getTransaction(txId))!.readWriteSets[0].collections[0].writes;
        expect(await writes(purged.getTransactionId())).toEqual([
            { keyHash: sha256('p'), isDelete: true, valueHash: '', isPurge: true },
        ]);
        expect(await writes(deleted.getTransactionId())).toEqual([
            { keyHash: sha256('q'), isDelete: true, valueHash: '' },
        ]);
    });
});
