import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BlockCutting } from './topology';
import { semantics, SEMANTICS_PACKAGE } from '../test/support/semantics';
import { EmbeddedLedger } from './embedded-ledger';

describe('block cutting', () => {
    let dataDir: string;
    let ledger: EmbeddedLedger;

    beforeEach(async () => {
        dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-blocks-'));
    });

    afterEach(async () => {
        await ledger?.close();
        await rm(dataDir, { recursive: true, force: true });
    });

    async function open(block: BlockCutting) {
        ledger = await EmbeddedLedger.open({ dataDir, topology: 'test-network', block });
        await ledger.deploy({ packageDir: SEMANTICS_PACKAGE });
        return semantics(ledger);
    }

    async function blockSizes(from: number): Promise<number[]> {
        const sizes = [];
        for (let n = from; n < (await ledger.explorer.getHeight()); n++) {
            sizes.push((await ledger.explorer.getBlock(n))!.transactions.length);
        }
        return sizes;
    }

    it('never puts more than maxTransactions in a block', async () => {
        const contract = await open({ maxTransactions: 5, timeoutMs: 60_000, cutWhenIdle: true });
        const endorsed = await Promise.all(
            Array.from({ length: 12 }, (_, i) => contract.newProposal('put', { arguments: [`k${i}`, 'v'] }).endorse()),
        );
        const start = await ledger.explorer.getHeight();
        const submitted = await Promise.all(endorsed.map((tx) => tx.submit()));
        await Promise.all(submitted.map((s) => s.getStatus()));
        expect(await blockSizes(start)).toEqual([5, 5, 2]);
    });

    it('gives a lone transaction its own block without waiting for the timeout when the committer is idle', async () => {
        const contract = await open({ maxTransactions: 100, timeoutMs: 60_000, cutWhenIdle: true });
        const start = await ledger.explorer.getHeight();
        await contract.submitTransaction('put', 'alone', 'v');
        expect(await blockSizes(start)).toEqual([1]);
    });

    it('batches by size and timeout alone when cutWhenIdle is false, as Fabric does', async () => {
        const contract = await open({ maxTransactions: 4, timeoutMs: 300, cutWhenIdle: false });
        const endorsed = await Promise.all(
            Array.from({ length: 6 }, (_, i) => contract.newProposal('put', { arguments: [`t${i}`, 'v'] }).endorse()),
        );
        const start = await ledger.explorer.getHeight();
        // Two arrive, then four more: the first block fills to four; the last two wait for the timeout.
        const first = await Promise.all(endorsed.slice(0, 2).map((tx) => tx.submit()));
        const rest = await Promise.all(endorsed.slice(2).map((tx) => tx.submit()));
        const statuses = await Promise.all([...first, ...rest].map((s) => s.getStatus()));
        expect(await blockSizes(start)).toEqual([4, 2]);
        expect(statuses.every((s) => s.successful)).toBe(true);
    });
});
