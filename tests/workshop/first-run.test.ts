import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const ROOT = path.join(__dirname, '..', '..');
const run = promisify(execFile);

/** The environment with no network chosen, as a new user's shell has it. */
function withoutNetworkChoice(): NodeJS.ProcessEnv {
    const env = { ...process.env };
    delete env.ZHELIAN_NETWORK;
    delete env.ZHELIAN_DATA;
    return env;
}

/** README's first command, as written in its "The two commands" block: the one that starts the lab. */
async function readmeStartCommand(readmeFile: string): Promise<string> {
    const readme = await readFile(readmeFile, 'utf8');
    const section = readme.slice(readme.indexOf('## The two commands'));
    const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const line = block.split('\n').find((candidate) => /\bnpm start\b/.test(candidate)) ?? '';
    return line.replace(/\s+#.*$/, '').trim();
}

/**
 * A stranger's first run: a clone of this repository at HEAD in a temporary directory, README's
 * start command exactly as written (npm's cache preferred, so it needs no network when the cache
 * has the packages; a free port instead of 8080, which another server may hold), the printed URL
 * awaited, the UI and the API asked, `npm run demo` run beside it, then Ctrl-C. README's other
 * command, `npm test`, is the run this test is part of.
 */
describe('the first run of a new user, from a clone', () => {
    let clone: string;
    let server: ChildProcess | undefined;
    let url: string | undefined;
    let output = '';
    let command = '';
    let hasServer = false;

    beforeAll(async () => {
        clone = await mkdtemp(path.join(tmpdir(), 'zhelian-clone-'));
        await run('git', ['clone', '--quiet', ROOT, clone]);
        // The lab became a server with the gateway (issue 10); a checkout from before has no URL to wait for.
        hasServer = existsSync(path.join(clone, 'gateway', 'package.json'));
        command = await readmeStartCommand(path.join(clone, 'README.md'));
        if (!hasServer) {
            return;
        }
        server = spawn('bash', ['-c', command], {
            cwd: clone,
            detached: true,
            env: { ...withoutNetworkChoice(), ZHELIAN_PORT: '0', npm_config_prefer_offline: 'true' },
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        url = await new Promise<string>((resolve, reject) => {
            server!.on('exit', (code) => reject(new Error(`"${command}" exited (${code}):\n${output.slice(-4000)}`)));
            const read = (chunk: Buffer) => {
                output += chunk.toString('utf8');
                const found = /listening on (http:\/\/\S+)/.exec(output)?.[1];
                if (found) {
                    resolve(found);
                }
            };
            server!.stdout!.on('data', read);
            server!.stderr!.on('data', read);
        });
    }, 900_000);

    afterAll(async () => {
        if (server && server.exitCode === null) {
            const exited = new Promise((resolve) => server!.once('exit', resolve));
            process.kill(-server.pid!, 'SIGINT');
            await exited;
        }
        await rm(clone, { recursive: true, force: true });
    }, 120_000);

    it("finds README's start command", () => {
        expect(command).toBe('npm install && npm start');
    });

    it('prints the URL, the identities and how to open a lesson', async (context) => {
        context.skip(!hasServer, 'this checkout has no server (the gateway of issue 10)');
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        // The banner's lines may arrive in more than one chunk.
        await vi.waitFor(() => expect(output).toContain(`${url}/workshop`), { timeout: 10_000 });
        expect(output).toMatch(/MemberMSP .*zheyi/);
    });

    it('answers in the browser and on the API', async (context) => {
        context.skip(!hasServer, 'this checkout has no server (the gateway of issue 10)');
        const page = await fetch(`${url}/`);
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toMatch(/text\/html/);
        if (existsSync(path.join(clone, 'web', 'package.json'))) {
            // The web UI itself, not the API docs a server without a UI build leads to.
            expect(page.url).toBe(`${url}/`);
            expect(await page.text()).toMatch(/<div id="app">/);
        }
        const health = await fetch(`${url}/api/health`);
        expect(health.status).toBe(200);
        expect(await health.json()).toMatchObject({ status: 'ok' });
    });

    it('runs npm run demo beside it', async (context) => {
        context.skip(!hasServer, 'this checkout has no server (the gateway of issue 10)');
        const { stdout } = await run('npm', ['run', 'demo', '--', '--lang', 'en'], {
            cwd: clone,
            env: withoutNetworkChoice(),
            timeout: 480_000,
            maxBuffer: 32 * 1024 * 1024,
        });
        expect(stdout).toMatch(/^浙链 Zhelian — embedded · .* · through the remote server$/m);
        expect(stdout).toMatch(/^Done: \d+ transactions committed in blocks \d+–\d+, 6 refusals/m);
    }, 540_000);
});
