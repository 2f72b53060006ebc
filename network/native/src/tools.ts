import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { NativeNetworkError } from './errors';

const exec = promisify(execFile);

/**
 * Runs one of Fabric's command-line tools (`configtxgen`, `cryptogen`, `osnadmin`, `peer`) from the
 * binaries directory; a failure carries the tool's own output, which says what was wrong.
 */
export async function runTool(
    binDir: string,
    tool: string,
    args: string[],
    env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
    try {
        const { stdout, stderr } = await exec(path.join(binDir, tool), args, {
            env,
            maxBuffer: 32 << 20,
            timeout: 120_000,
        });
        return `${stdout}${stderr}`;
    } catch (err) {
        const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
        throw new NativeNetworkError(
            `${tool} ${args[0] ?? ''} failed: ${`${stderr}${stdout}`.trim() || (err as Error).message}`,
            {
                cause: err,
            },
        );
    }
}
