import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import MarkdownIt from 'markdown-it';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.join(__dirname, '..', '..');
const GUIDES = { 'zh-CN': 'docs/workshop/guide.zh-CN.md', en: 'docs/workshop/guide.en.md' };
const MARKER = '<!-- runnable -->';
/** The guide teaches the server `npm start` runs (the gateway, issue 10): without it there is nothing to run them on. */
const HAS_SERVER = existsSync(path.join(ROOT, 'gateway', 'package.json'));

/** The `sh` blocks right after a `<!-- runnable -->` line, in order. */
async function runnableBlocks(file: string): Promise<string[]> {
    const tokens = new MarkdownIt({ html: true }).parse(await readFile(path.join(ROOT, file), 'utf8'), {});
    return tokens.flatMap((token, index) =>
        token.type === 'fence' && index > 0 && tokens[index - 1].content.trim() === MARKER ? [token.content] : [],
    );
}

/** `npm start`'s program with tokens required, as in a classroom, on `dataDir` and a free port. */
async function startServer(dataDir: string): Promise<{ url: string; server: ChildProcess }> {
    const server = spawn(
        process.execPath,
        [path.join(ROOT, 'scripts', 'dist', 'start.js'), '--port', '0', '--tokens'],
        {
            cwd: ROOT,
            env: { ...process.env, ZHELIAN_DATA: dataDir, ZHELIAN_NETWORK: 'embedded' },
            stdio: ['ignore', 'pipe', 'pipe'],
        },
    );
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
        server.on('exit', (code) => reject(new Error(`the server exited (${code}):\n${output}`)));
        const read = (chunk: Buffer) => {
            output += chunk.toString('utf8');
            const found = /listening on (http:\/\/\S+)/.exec(output)?.[1];
            if (found) {
                resolve(found);
            }
        };
        server.stdout!.on('data', read);
        server.stderr!.on('data', read);
    });
    return { url, server };
}

/**
 * The teacher's guide cannot drift from the code: its runnable command blocks (marked
 * `<!-- runnable -->`) are the same in both languages, and they run, in order, in one shell against
 * a server started as in a classroom (tokens required), with the guide's address replaced by the
 * server's.
 */
describe.runIf(HAS_SERVER)("the teacher's guide's commands", () => {
    let dataDir: string;
    let server: ChildProcess | undefined;
    let url: string;

    beforeAll(async () => {
        dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-guide-'));
        ({ url, server } = await startServer(dataDir));
    }, 60_000);

    afterAll(async () => {
        if (server && server.exitCode === null) {
            const exited = new Promise((resolve) => server!.once('exit', resolve));
            server.kill('SIGINT');
            await exited;
        }
        await rm(dataDir, { recursive: true, force: true });
    }, 60_000);

    it('runs them, in order, against a classroom server', async () => {
        const script = (await runnableBlocks(GUIDES['zh-CN'])).join('\n').replaceAll('http://127.0.0.1:8080', url);
        const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], {
            cwd: ROOT,
            env: { ...process.env, ZHELIAN_DATA: dataDir, ZHELIAN_NETWORK: 'embedded' },
            timeout: 420_000,
            maxBuffer: 32 * 1024 * 1024,
        });
        expect(stdout).toMatch(/"status":\s*"ok"/);
        expect(stdout).toMatch(/^完成：\d+ 笔交易进入区块/m);
        expect(stdout).toContain('"token":"zhp_');
        expect(stdout).toContain('{"participants":[');
        // The tampering step: verify (exit status 2) named block 1, undo cleared what it recorded and verified again.
        expect(stdout).toMatch(/"clearedDamage":\s*"blocks 1 do not match their hashes"/);
    }, 480_000);
});

describe("the teacher's guides in Chinese and English", () => {
    it('has the same runnable blocks in Chinese and in English (but for the demo language)', async () => {
        const sameLanguage = (block: string) => block.replace(/--lang \S+/g, '--lang L');
        const zh = await runnableBlocks(GUIDES['zh-CN']);
        expect(zh.length).toBeGreaterThanOrEqual(5);
        expect((await runnableBlocks(GUIDES.en)).map(sameLanguage)).toEqual(zh.map(sameLanguage));
    });
});
