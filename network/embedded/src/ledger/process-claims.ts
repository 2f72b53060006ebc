import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode, ZhelianError } from '@zhelian/api';

/**
 * The ledgers this process has open, by real path. LevelDB's own lock cannot guard against a
 * second open in the same process: it opens the LOCK file again, finds it held, and closes that
 * second descriptor — which drops the process's POSIX lock, after which another process can open
 * the same database. So a second open is refused here, before LevelDB is asked. The set lives on
 * the process (a registered symbol), not in this module: two copies of the module loaded in one
 * process (the sources and the build) share one lock all the same.
 */
const CLAIMS = Symbol.for('zhelian.embedded.openLedgers');

function claims(): Set<string> {
    const holder = globalThis as { [CLAIMS]?: Set<string> };
    return (holder[CLAIMS] ??= new Set<string>());
}

/** Gives the ledger at `location` to this open, or refuses it with `DATA_DIR_LOCKED`; returns the release. */
export async function claimLedger(location: string): Promise<() => void> {
    const real = await realPath(path.resolve(location));
    // No await between the check and the claim: two opens racing for one ledger cannot both pass.
    const held = claims();
    if (held.has(real)) {
        const alias = real === path.resolve(location) ? '' : ` (as ${real})`;
        throw new ZhelianError(
            ErrorCode.DATA_DIR_LOCKED,
            `the ledger in ${location} is locked: this process has it open already${alias}; ` +
                'a data dir is opened once and used by one process at a time: use the ledger open on it, or close that first',
        );
    }
    held.add(real);
    return () => held.delete(real);
}

/** The path with every symbolic link resolved, for the part of it that exists (LevelDB creates the rest). */
async function realPath(absolute: string): Promise<string> {
    try {
        return await realpath(absolute);
    } catch (err) {
        const parent = path.dirname(absolute);
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || parent === absolute) {
            throw err;
        }
        return path.join(await realPath(parent), path.basename(absolute));
    }
}
