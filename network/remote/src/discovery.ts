import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type BackendConfig, ErrorCode, ZhelianError } from '@zhelian/api';

/** Where a server is and how to authenticate to it. */
export interface ServerLocation {
    url: string;
    token?: string;
}

/** What a running server writes to `<data dir>/gateway.json` (the gateway's `ServerFile`). */
interface ServerFile {
    url?: unknown;
    pid?: unknown;
    token?: unknown;
}

function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (err) {
        // EPERM: it exists, as another user (whose file this user could not have read anyway).
        return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
}

/**
 * The server to reach: `url` (or `ZHELIAN_URL`) with `token` (or `ZHELIAN_TOKEN`) when given;
 * otherwise the server that names itself in the data dir's `gateway.json`, if its process lives.
 */
export async function locateServer(config: BackendConfig): Promise<ServerLocation> {
    const url = config.url ?? process.env.ZHELIAN_URL;
    const token = config.token ?? process.env.ZHELIAN_TOKEN;
    if (url) {
        return { url, ...(token ? { token } : {}) };
    }
    const dataDir = path.resolve(config.dataDir ?? process.env.ZHELIAN_DATA ?? '.zhelian');
    const file = path.join(dataDir, 'gateway.json');
    let content: ServerFile;
    try {
        content = JSON.parse(await readFile(file, 'utf8')) as ServerFile;
    } catch (err) {
        throw new ZhelianError(
            ErrorCode.INVALID_CONFIGURATION,
            `no Zhelian server names itself in ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); give its URL with ZHELIAN_URL`,
            { cause: err },
        );
    }
    if (typeof content.url !== 'string' || typeof content.pid !== 'number') {
        throw new ZhelianError(ErrorCode.INVALID_CONFIGURATION, `${file} does not name a server (url, pid)`);
    }
    if (!isAlive(content.pid)) {
        throw new ZhelianError(
            ErrorCode.INVALID_CONFIGURATION,
            `${file} names a server (pid ${content.pid}) that is no longer running`,
        );
    }
    return {
        url: content.url,
        ...(token ? { token } : typeof content.token === 'string' ? { token: content.token } : {}),
    };
}
