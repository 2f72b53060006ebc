import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode, ZhelianError } from '@zhelian/api';

/**
 * What is wrong with a ledger's store. `corrupt`: LevelDB's own files failed its checks.
 * `inconsistent`: the files are readable, but the ledger's records disagree with each other
 * (the chain tail and the savepoint, the world state and the blocks).
 */
export interface Damage {
    kind: 'corrupt' | 'inconsistent';
    /** A sentence that names what is damaged, e.g. the blocks involved. */
    what: string;
}

/** What a person can do about a damaged ledger, in the order to try it. */
export const RECOVERY =
    'run `npx zhelian verify` to see what is damaged, then `npx zhelian rebuild` to re-derive world state, ' +
    'private data hashes, history and indexes from the blocks; if the blocks themselves are damaged or missing, ' +
    'restore the data dir from a backup';

/** The refusal a damaged ledger answers every endorsement and commit with. */
export function damageError(location: string, damage: Damage): ZhelianError {
    return new ZhelianError(
        damage.kind === 'corrupt' ? ErrorCode.DATA_DIR_CORRUPT : ErrorCode.LEDGER_DAMAGED,
        `the ledger in ${location} is ${damage.kind === 'corrupt' ? 'corrupt' : 'damaged'}: ${damage.what}. ` +
            `It refuses to endorse and commit until repaired: ${RECOVERY}.`,
    );
}

/** LevelDB's error code of a failed operation (`LEVEL_LOCKED`, `LEVEL_CORRUPTION`, …), on the error or its cause. */
export function levelErrorCode(err: unknown): string | undefined {
    for (let e: unknown = err; e instanceof Error; e = e.cause) {
        const code = (e as { code?: unknown }).code;
        if (typeof code === 'string' && code !== 'LEVEL_DATABASE_NOT_OPEN') {
            return code;
        }
    }
    return undefined;
}

/** Why LevelDB could not open a ledger, told apart: locked by another process, corrupt, or unavailable. */
export function openFailure(location: string, err: unknown): ZhelianError {
    if (err instanceof ZhelianError) {
        return err;
    }
    const code = levelErrorCode(err);
    const cause = (err as Error).cause instanceof Error ? ((err as Error).cause as Error) : (err as Error);
    if (code === 'LEVEL_LOCKED') {
        return new ZhelianError(
            ErrorCode.DATA_DIR_LOCKED,
            `the ledger in ${location} is locked: another zhelian process is using this data dir (${cause.message}); ` +
                'a data dir is used by one process at a time',
            { cause: err },
        );
    }
    if (code === 'LEVEL_CORRUPTION') {
        return new ZhelianError(
            ErrorCode.DATA_DIR_CORRUPT,
            `the ledger in ${location} is corrupt: LevelDB cannot open it (${cause.message}). ` +
                'Restore the data dir from a backup',
            { cause: err },
        );
    }
    return new ZhelianError(ErrorCode.DATA_DIR_UNAVAILABLE, `cannot open the ledger in ${location}: ${cause.message}`, {
        cause: err,
    });
}

/**
 * Corruption LevelDB met while opening and stepped over. Without `paranoid_checks` (which
 * classic-level does not expose) LevelDB drops a damaged write-ahead log record and carries on;
 * it says so only in the `LOG` file it starts afresh at every open, so this reads that file
 * right after opening. The dropped records are gone after this open: the finding must be kept.
 */
export async function corruptionFoundOnOpen(location: string): Promise<Damage | undefined> {
    let log: string;
    try {
        log = await readFile(path.join(location, 'LOG'), 'utf8');
    } catch {
        return undefined;
    }
    const reports = log.split('\n').filter((line) => /Corruption:/.test(line));
    if (reports.length === 0) {
        return undefined;
    }
    const dropped = reports
        .map((line) => /dropping (\d+) bytes/.exec(line)?.[1])
        .reduce((sum, bytes) => sum + Number(bytes ?? 0), 0);
    const reasons = [...new Set(reports.map((line) => line.slice(line.indexOf('Corruption:'))))].join('; ');
    return {
        kind: 'corrupt',
        what:
            dropped > 0
                ? `LevelDB found its write-ahead log corrupt on open and dropped ${dropped} bytes of it (${reasons}); ` +
                  'blocks, state or private data written before may be lost'
                : `LevelDB reported corruption on open (${reasons})`,
    };
}
