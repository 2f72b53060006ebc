import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '@zhelian/api';
import { checkDataFormat, DATA_FORMAT, judgeFormat } from './data-format';
import { LedgerStore } from './store';

describe('the data dir format marker', () => {
    const dirs: string[] = [];
    const store = async (): Promise<{ store: LedgerStore; dir: string }> => {
        const dir = await mkdtemp(path.join(tmpdir(), 'zhelian-format-'));
        dirs.push(dir);
        return { store: await LedgerStore.open(path.join(dir, 'ledger'), { sync: false }), dir };
    };
    afterEach(async () => {
        await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    });

    it('judges a new ledger, an unmarked old one, the current, a newer and a too old format', () => {
        expect(judgeFormat(undefined, true)).toEqual({ kind: 'new' });
        expect(judgeFormat(undefined, false)).toEqual({ kind: 'migrate', from: 1 });
        expect(judgeFormat(DATA_FORMAT, false)).toEqual({ kind: 'current' });
        expect(judgeFormat(DATA_FORMAT + 1, false)).toEqual({ kind: 'newer', format: DATA_FORMAT + 1 });
        expect(judgeFormat(0, false)).toEqual({ kind: 'older', format: 0 });
    });

    it('marks a new ledger, and marks an unmarked ledger from before the marker after migrating it', async () => {
        const fresh = await store();
        await checkDataFormat(fresh.store, fresh.dir);
        expect(await fresh.store.getMeta('dataFormat')).toEqual({ format: DATA_FORMAT });
        await fresh.store.close();

        const old = await store();
        await old.store.putMeta('topology', { name: 'zhelian' });
        await checkDataFormat(old.store, old.dir);
        expect(await old.store.getMeta('dataFormat')).toEqual({ format: DATA_FORMAT });
        await old.store.close();
    });

    it('refuses a data dir written by a newer Zhelian, saying what to do', async () => {
        const newer = await store();
        await newer.store.putMeta('topology', { name: 'zhelian' });
        await newer.store.putMeta('dataFormat', { format: DATA_FORMAT + 1 });
        await expect(checkDataFormat(newer.store, newer.dir)).rejects.toMatchObject({
            code: ErrorCode.DATA_DIR_FORMAT,
            message: expect.stringMatching(/written by a newer Zhelian .*update this checkout .*another data dir/),
        });
        await newer.store.close();
    });
});
