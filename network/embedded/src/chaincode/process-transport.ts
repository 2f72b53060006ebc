import { fork } from 'node:child_process';
import type { FromRunner, ToRunner } from './ipc';
import { runnerPath, type RunnerEvents, type RunnerLaunch, type RunnerTransport } from './runner-transport';

const CLOSE_GRACE_MS = 2000;

/**
 * Runs the runner in a child process, over Node IPC with `serialization: 'advanced'` so that
 * byte arrays cross without base64. The strongest isolation (own memory, own native state), at
 * the cost of a system call and a serialization per message.
 */
export function forkRunner({ config, env }: RunnerLaunch, events: RunnerEvents): RunnerTransport {
    const child = fork(runnerPath(), [JSON.stringify(config)], {
        cwd: config.packageDir,
        env,
        execArgv: [],
        serialization: 'advanced',
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    for (const output of [child.stdout, child.stderr]) {
        output?.setEncoding('utf8');
        output?.on('data', (text: string) => events.output(text));
    }
    child.on('message', (message: FromRunner) => events.message(message));
    let ended = false;
    const exited = new Promise<void>((resolve) => {
        const end = (code: number | null, signal: NodeJS.Signals | null) => {
            if (!ended) {
                ended = true;
                events.exit({ code, signal });
                resolve();
            }
        };
        child.on('exit', end);
        // A process that could not be spawned (e.g. no such directory) never emits 'exit'.
        child.on('error', (error) => {
            if (child.pid === undefined) {
                events.output(`${error.message}\n`);
                end(null, null);
            }
        });
    });
    return {
        kind: 'process',
        send(message: ToRunner) {
            if (child.connected) {
                child.send(message);
            }
        },
        kill() {
            child.kill('SIGKILL');
        },
        async close() {
            if (ended) {
                return;
            }
            // The runner exits when its IPC channel closes; a blocked one is killed after a grace period.
            const kill = setTimeout(() => child.kill('SIGKILL'), CLOSE_GRACE_MS);
            if (child.connected) {
                child.disconnect();
            } else {
                child.kill('SIGKILL');
            }
            await exited;
            clearTimeout(kill);
        },
    };
}
