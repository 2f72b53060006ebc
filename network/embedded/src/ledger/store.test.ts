import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Block } from './block';
import { computeCommitHash, computeDataHash, computeHeaderHash } from './block';
import { LedgerStore, type StoreOptions } from './store';

/** The first block of an empty chain, as the committer would write it. */
function emptyBlock(): { block: Block; headerHash: string } {
    const header = { number: 0, previousHash: '', dataHash: computeDataHash([]) };
    const headerHash = computeHeaderHash(header);
    const committedAt = new Date(0).toISOString();
    return {
        block: {
            header,
            data: [],
            metadata: {
                validationCodes: [],
                committedAt,
                commitHash: computeCommitHash('', headerHash, [], committedAt),
            },
        },
        headerHash,
    };
}

describe('LedgerStore durability', () => {
    let dir: string;

    beforeEach(async () => {
        dir = await mkdtemp(path.join(tmpdir(), 'zhelian-store-'));
    });

    afterEach(async () => {
        await rm(dir, { recursive: true, force: true });
    });

    /** The write options of every LevelDB batch a block commit wrote. */
    async function batchWrites(options?: StoreOptions): Promise<unknown[]> {
        const store = await LedgerStore.open(path.join(dir, 'ledger'), options);
        const seen: unknown[] = [];
        const db = store.database;
        const batch = db.batch.bind(db) as () => ReturnType<typeof db.batch>;
        vi.spyOn(db, 'batch').mockImplementation((() => {
            const chained = batch();
            const write = chained.write.bind(chained);
            chained.write = ((writeOptions?: unknown) => {
                seen.push(writeOptions);
                return write(writeOptions as never);
            }) as typeof chained.write;
            return chained;
        }) as never);
        try {
            const { block, headerHash } = emptyBlock();
            await store.commit(block, headerHash, []);
            expect(store.height).toBe(1);
        } finally {
            await store.close();
        }
        return seen;
    }

    it('syncs the block batch to disk by default, as Fabric syncs its block store', async () => {
        expect(await batchWrites()).toEqual([{ sync: true }]);
    });

    it('writes without sync only when asked to', async () => {
        expect(await batchWrites({ sync: false })).toEqual([{ sync: false }]);
    });
});
