import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const DEMO = path.join(__dirname, '..', '..', 'scripts', 'dist', 'demo-run', 'main.js');

/** Runs `npm run demo`'s program (built by npm test's build) on the embedded ledger in `dataDir`. */
async function demo(dataDir: string, lang: string): Promise<string> {
    const env: NodeJS.ProcessEnv = { ...process.env, ZHELIAN_DATA: dataDir };
    delete env.ZHELIAN_NETWORK;
    const { stdout } = await promisify(execFile)(process.execPath, [DEMO, '--lang', lang], {
        env,
        timeout: 240_000,
        maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
}

/**
 * `npm run demo` as a teacher runs it: twice on one ledger (new ids, no collisions), in both
 * languages; every refusal that teaches is shown with its code and the invariant, every committed
 * step with its transaction, block and validation code.
 */
describe('npm run demo', () => {
    let dataDir: string;
    let first: string;
    let second: string;

    beforeAll(async () => {
        dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-demo-'));
        first = await demo(dataDir, 'en');
        second = await demo(dataDir, 'zh-CN');
    }, 600_000);

    afterAll(async () => {
        await rm(dataDir, { recursive: true, force: true });
    });

    it('shows the five refusals that teach, each with the invariant it protects', () => {
        for (const code of [
            'E_ALREADY_REIMBURSED',
            'E_CUTOFF_PASSED',
            'E_NOT_INSPECTED',
            'E_SELF_CONFIRM',
            'E_EXISTS',
        ]) {
            expect(first).toMatch(
                new RegExp(
                    `refused by the endorsing peers: ${code}: .+\\n.+never ordered: no block, nothing changed\\n\\s+protects: \\S`,
                ),
            );
        }
        expect(first).toContain('outcome MISMATCH: the file was changed');
    });

    it('numbers every step and shows each committed one with its txId, block and validation code', () => {
        const counters = [...first.matchAll(/^\[\s*(\d+)\/(\d+)\] /gm)].map((match) => [
            Number(match[1]),
            Number(match[2]),
        ]);
        const total = counters[0][1];
        expect(counters.map(([n]) => n)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
        const committed = [...first.matchAll(/^\s+tx ([0-9a-f]{64}) · block (\d+) · 0 VALID$/gm)];
        expect(committed.length).toBeGreaterThan(40);
        expect(first).toMatch(
            new RegExp(`^Done: ${committed.length} transactions committed in blocks \\d+–\\d+, 6 refusals`, 'm'),
        );
    });

    it('runs again on the same ledger with new ids, in Chinese', () => {
        const tag = (output: string) => /(?:run|运行编号) (\w+)/.exec(output)?.[1];
        expect(tag(second)).toBeDefined();
        expect(tag(second)).not.toEqual(tag(first));
        expect(second).toContain('已由之前的运行完成 (E_EXISTS)');
        expect(second).toMatch(/背书节点执行合约后拒绝: E_ALREADY_REIMBURSED/);
        expect(second).toMatch(/^完成：\d+ 笔交易进入区块/m);
    });
});
