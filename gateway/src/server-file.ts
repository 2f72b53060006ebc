import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * `<data dir>/gateway.json`: how a running server names itself to other programs on this machine
 * (`npx zhelian` finds it there when the data dir is locked, through `@zhelian/remote`). It holds
 * the instructor token, so it is readable by the server's user only (mode 0600), and it is removed
 * when the server stops.
 */
export interface ServerFile {
    url: string;
    pid: number;
    /** The instructor token: who can read this file may do what the instructor may. */
    token: string;
    startedAt: string;
}

export const SERVER_FILE_NAME = 'gateway.json';

export async function writeServerFile(dir: string, content: ServerFile): Promise<void> {
    const file = path.join(dir, SERVER_FILE_NAME);
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
    // The mode given to writeFile is masked by the umask; make sure.
    await chmod(temporary, 0o600);
    await rename(temporary, file);
}

/** Removes the file if it still names this process (a newer server may have replaced it). */
export async function removeServerFile(dir: string): Promise<void> {
    const file = path.join(dir, SERVER_FILE_NAME);
    try {
        const content = JSON.parse(await readFile(file, 'utf8')) as Partial<ServerFile>;
        if (content.pid === process.pid) {
            await rm(file, { force: true });
        }
    } catch {
        // Gone already, or not ours to judge.
    }
}

/** The server a data dir names, or `undefined` (no file, or not readable). */
export async function readServerFile(dir: string): Promise<ServerFile | undefined> {
    try {
        return JSON.parse(await readFile(path.join(dir, SERVER_FILE_NAME), 'utf8')) as ServerFile;
    } catch {
        return undefined;
    }
}
