import { execFile } from 'node:child_process';
import path from 'node:path';

/** The `zhelian` bin npm linked at install, as users run it (`npx zhelian`). */
export const ZHELIAN_BIN = path.join(__dirname, '..', '..', '..', '..', 'node_modules', '.bin', 'zhelian');

/** What one CLI process did. */
export interface Run {
    code: number;
    stdout: string;
    stderr: string;
}

/** Runs the installed bin once, without the developer's ZHELIAN_ settings, and waits for it to exit. */
export function runZhelian(...args: string[]): Promise<Run> {
    const env = { ...process.env };
    delete env.ZHELIAN_DATA;
    delete env.ZHELIAN_NETWORK;
    return new Promise((resolve) => {
        execFile(ZHELIAN_BIN, args, { env, timeout: 60_000 }, (err, stdout, stderr) => {
            resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
        });
    });
}
