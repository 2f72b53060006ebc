import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const CLI_DIR = path.join(__dirname, '..', '..');

/** The `zhelian` bin npm linked at install, as users run it (`npx zhelian`). */
export const ZHELIAN_BIN = path.join(CLI_DIR, '..', '..', 'node_modules', '.bin', 'zhelian');

/** The embedded ledger's test chaincode: one transaction per Fabric stub behaviour. */
export const SEMANTICS_CHAINCODE = path.join(CLI_DIR, '..', 'embedded', 'test', 'fixtures', 'ledger', 'semantics');

/** What one CLI process did. */
export interface Run {
    code: number;
    stdout: string;
    stderr: string;
}

/** Fails with the command to run when the bin has nothing built to run. */
export function requireBuiltCli(): void {
    const built = path.join(CLI_DIR, 'dist', 'cli.js');
    if (!existsSync(built)) {
        throw new Error(`${built} is missing: build with \`npx tsc -b\` first`);
    }
}

/**
 * The environment of a CLI run: none of the developer's ZHELIAN_ settings (no data dir, network
 * or server to reach but what the test names), then `extra`.
 */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const env = { ...process.env };
    for (const name of ['ZHELIAN_DATA', 'ZHELIAN_NETWORK', 'ZHELIAN_URL', 'ZHELIAN_TOKEN']) {
        delete env[name];
    }
    // No real Fabric network for these tests, even when one runs from this checkout's .fabric/.
    env.ZHELIAN_FABRIC_CONNECTION = path.join(tmpdir(), 'zhelian-cli-test-no-fabric', 'connection.json');
    return { ...env, ...extra };
}

/** Runs the installed bin once in {@link cliEnv} and waits for it to exit. */
export function runZhelian(...args: string[]): Promise<Run> {
    return runZhelianWith({}, ...args);
}

/** {@link runZhelian} with more environment variables, e.g. `{ ZHELIAN_NETWORK: 'fabric' }`. */
export function runZhelianWith(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Run> {
    return new Promise((resolve) => {
        execFile(ZHELIAN_BIN, args, { env: cliEnv(env), timeout: 60_000 }, (err, stdout, stderr) => {
            resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
        });
    });
}
