import { ErrorCode, ZhelianError } from '@zhelian/api';
import type { LedgerStore } from './store';

/**
 * The format of the files in a data dir, kept in the ledger's metadata so that a data dir from
 * another version of Zhelian is recognised on open instead of failing somewhere inside.
 *
 * - 1: data dirs set up before the marker existed. Their blocks may hold the JSON records and the
 *   former header hash, which this code still reads, verifies and replays.
 * - 2: the marker; blocks as Fabric's bytes, headers hashed as Fabric hashes them.
 * - 3: a block's transactions stored as framed bytes, not base64 in JSON (`block-record.ts`).
 *
 * Raise {@link DATA_FORMAT} when what is written changes so that an older Zhelian would misread it,
 * and say here how an older data dir is brought forward (a step in `MIGRATIONS`), or raise
 * `OLDEST_READABLE` so that it is refused with what to do.
 */
export const DATA_FORMAT = 3;

/** The oldest format this code opens (migrating it first). */
const OLDEST_READABLE = 1;

const FORMAT_META = 'dataFormat';

/** What the metadata keeps. */
export interface DataFormatMarker {
    format: number;
}

/**
 * Steps that bring a data dir from format N to N + 1, by N. 1 → 2 writes the marker only: blocks
 * written before keep their JSON records and former header hash, which stay readable as they are.
 * 2 → 3 as well: older blocks keep their JSON records, new ones are framed.
 */
const MIGRATIONS: Readonly<Record<number, (store: LedgerStore) => Promise<void>>> = {
    1: async () => undefined,
    2: async () => undefined,
};

/** What a data dir's format means for this code. */
export type FormatCheck =
    | { kind: 'new' }
    | { kind: 'current' }
    | { kind: 'migrate'; from: number }
    | { kind: 'newer'; format: number }
    | { kind: 'older'; format: number };

/** Judges a stored format (`undefined`: no marker) for a ledger that is `fresh` (nothing set up yet) or not. */
export function judgeFormat(stored: number | undefined, fresh: boolean): FormatCheck {
    if (stored === undefined) {
        return fresh ? { kind: 'new' } : judgeFormat(1, false);
    }
    if (stored === DATA_FORMAT) {
        return { kind: 'current' };
    }
    if (stored > DATA_FORMAT) {
        return { kind: 'newer', format: stored };
    }
    return stored < OLDEST_READABLE ? { kind: 'older', format: stored } : { kind: 'migrate', from: stored };
}

/**
 * Checks the data dir's format as it opens: marks a new ledger, migrates an older one it can read
 * (the steps in `MIGRATIONS`, then the marker), and refuses, with `DATA_DIR_FORMAT` and what to do,
 * one written by a newer Zhelian or one too old to read.
 */
export async function checkDataFormat(store: LedgerStore, dataDir: string): Promise<void> {
    const marker = await store.getMeta<DataFormatMarker>(FORMAT_META);
    const fresh = (await store.getMeta('topology')) === undefined;
    const check = judgeFormat(marker?.format, fresh);
    switch (check.kind) {
        case 'current':
            return;
        case 'new':
            await store.putMeta(FORMAT_META, { format: DATA_FORMAT } satisfies DataFormatMarker);
            return;
        case 'migrate':
            for (let format = check.from; format < DATA_FORMAT; format++) {
                await MIGRATIONS[format](store);
            }
            await store.putMeta(FORMAT_META, { format: DATA_FORMAT } satisfies DataFormatMarker);
            return;
        case 'newer':
            throw new ZhelianError(
                ErrorCode.DATA_DIR_FORMAT,
                `data dir ${dataDir} was written by a newer Zhelian (data format ${check.format}; this checkout reads up to ${DATA_FORMAT}): update this checkout (git pull, then npm install), or use another data dir (ZHELIAN_DATA or --data)`,
            );
        case 'older':
            throw new ZhelianError(
                ErrorCode.DATA_DIR_FORMAT,
                `data dir ${dataDir} was written by an older Zhelian (data format ${check.format}; this checkout reads ${OLDEST_READABLE} to ${DATA_FORMAT}): move it aside (mv ${dataDir} ${dataDir}-old) and run npm start again for a fresh one with the demo, or open it with the checkout that wrote it`,
            );
    }
}
