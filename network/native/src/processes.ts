import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunDir } from './paths';

/** A process the network started: its name in the run dir (pid file, log) and its pid. */
export interface NetworkProcess {
    name: string;
    pid: number;
    /** Whether it still runs (and is still the program that was started, not a reused pid). */
    alive: boolean;
    log: string;
}

export interface StartRequest {
    name: string;
    command: string;
    args: string[];
    env: NodeJS.ProcessEnv;
    cwd?: string;
}

/**
 * Starts a long-running node of the network, detached from the command that started it, its
 * output to `logs/<name>.log` and its pid to `pids/<name>.pid`: `down` stops exactly these.
 */
export async function startProcess(run: RunDir, request: StartRequest): Promise<NetworkProcess> {
    await mkdir(run.logs, { recursive: true });
    await mkdir(run.pids, { recursive: true });
    const log = path.join(run.logs, `${request.name}.log`);
    const fd = openSync(log, 'a');
    try {
        const child = spawn(request.command, request.args, {
            cwd: request.cwd,
            env: request.env,
            detached: true,
            stdio: ['ignore', fd, fd],
        });
        const pid = await new Promise<number>((resolve, reject) => {
            child.once('error', reject);
            child.once('spawn', () => resolve(child.pid as number));
        });
        child.unref();
        await writeFile(pidFile(run, request.name), `${pid}\n${request.command}\n`);
        return { name: request.name, pid, alive: true, log };
    } finally {
        closeSync(fd);
    }
}

/** The processes the run dir's pid files name. */
export async function listProcesses(run: RunDir): Promise<NetworkProcess[]> {
    let files: string[];
    try {
        files = (await readdir(run.pids)).filter((file) => file.endsWith('.pid'));
    } catch {
        return [];
    }
    return Promise.all(
        files.sort().map(async (file) => {
            const name = file.slice(0, -'.pid'.length);
            const [pidLine, command = ''] = (await readFile(path.join(run.pids, file), 'utf8')).split('\n');
            const pid = Number(pidLine);
            return { name, pid, alive: await isRunning(pid, command), log: path.join(run.logs, `${name}.log`) };
        }),
    );
}

/** Stops one process of the network (SIGTERM, then SIGKILL after `graceMs`) and removes its pid file. */
export async function stopProcess(run: RunDir, process_: NetworkProcess, graceMs = 10_000): Promise<void> {
    if (process_.alive) {
        signal(process_.pid, 'SIGTERM');
        const deadline = Date.now() + graceMs;
        while (Date.now() < deadline && isAlive(process_.pid)) {
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        if (isAlive(process_.pid)) {
            signal(process_.pid, 'SIGKILL');
        }
    }
    await rm(pidFile(run, process_.name), { force: true });
}

function pidFile(run: RunDir, name: string): string {
    return path.join(run.pids, `${name}.pid`);
}

function signal(pid: number, name: NodeJS.Signals): void {
    try {
        process.kill(pid, name);
    } catch {
        // Already gone.
    }
}

function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (err) {
        return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
}

/** Alive, and (where /proc tells) still running the program that was started: pids are reused. */
async function isRunning(pid: number, command: string): Promise<boolean> {
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
        return false;
    }
    try {
        const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0')[0];
        return command === '' || path.basename(cmdline) === path.basename(command);
    } catch {
        return true;
    }
}
