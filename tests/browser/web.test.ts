import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, Lab, poll, screenshot, watch } from './support/lab';
import { expectedRefusal, runFlowStep, stepCount } from './support/ui';

/**
 * The web UI in a real browser (Debian's Chromium, headless) against the real gateway on the
 * embedded ledger: a full flow and a refusal per application, the public pages (receipt, the cake's
 * QR page at phone size, the draw recomputed and an entry proved in the browser, a file hashed in
 * the browser matching the chain), the explorer, the language switch, a whole lesson, two learners
 * provoking an MVCC conflict, and the gateway-down page. No page may log a console error, throw,
 * fail a request or get a 5xx; screenshots of each page land in tests/browser/screenshots/<locale>/.
 */
const run = browserAvailable();
const APPS = ['einvoice', 'tea', 'timebank', 'evidence'] as const;

describe.runIf(run)('the web UI in Chromium', () => {
    let lab: Lab;
    let zh: BrowserContext;
    /** Run ids of each application's flow page, for the public pages that show their data. */
    const runs: Record<string, string> = {};
    const watched: ReturnType<typeof watch>[] = [];
    /** Pages a test opened: closed after it (each holds an event stream, and Chromium allows 6 per host). */
    const opened: { page: Page; found: ReturnType<typeof watch> }[] = [];

    async function open(context: BrowserContext, route: string): Promise<Page> {
        const page = await context.newPage();
        const found = watch(page);
        watched.push(found);
        opened.push({ page, found });
        await page.goto(`${lab.url}${route}`);
        return page;
    }

    afterEach(async () => {
        for (const { page, found } of opened.splice(0)) {
            if (page !== lottery) {
                found.stop();
                await page.close();
            }
        }
    });

    /** Runs an application page's whole flow; each step commits, answers, or is refused as it expects. */
    async function runFlow(page: Page, from: number, to: number, refused?: () => Promise<unknown>): Promise<void> {
        for (let index = from; index < to; index++) {
            const expected = await expectedRefusal(page, index);
            const answer = await runFlowStep(page, index);
            const state = await page.locator(`.flow li:nth-child(${index + 1})`).getAttribute('data-state');
            if (expected) {
                expect(answer, `step ${index}`).toEqual({ kind: 'refusal', code: expected });
                // The refusal is shown with its translated meaning, not only the code.
                expect(await page.locator('.work [data-test=refusal-meaning]').textContent()).not.toMatch(/HTTP/);
                expect(state).toBe('refused');
                await refused?.();
            } else {
                // Committed, answered, or (a setup step done before) E_EXISTS: the page marks it done.
                expect(state, `step ${index}: ${JSON.stringify(answer)}`).toBe('done');
            }
        }
    }

    beforeAll(async () => {
        lab = await Lab.start();
        zh = await lab.context('zh-CN');
    }, 120_000);

    afterAll(async () => {
        watched.forEach((found) => found.stop());
        await lab?.close();
    }, 60_000);

    let evidenceFile: string;
    let evidenceHash: string;
    beforeAll(async () => {
        const dir = await mkdtemp(path.join(tmpdir(), 'zhelian-evidence-'));
        evidenceFile = path.join(dir, '订单截图.txt');
        const content = `订单 ${Date.now()} 蓝牙耳机 实付 399.00 元`;
        await writeFile(evidenceFile, content);
        evidenceHash = createHash('sha256').update(content).digest('hex');
    });

    // The draw's registration closes at a whole minute: its first half runs first, the rest at the end.
    let lottery: Page;
    it('lottery: creates a draw, commits seeds and registers two entrants (one twice: refused)', async () => {
        lottery = await open(zh, '/app/lottery');
        await lottery.locator('[data-test=step-0]').waitFor();
        runs.lottery = (await lottery.locator('[data-run]').getAttribute('data-run'))!;
        await runFlow(lottery, 0, 8);
    }, 120_000);

    it('home shows the five cases and the live network picture, with a height that follows new blocks', async () => {
        const page = await open(zh, '/');
        await poll(() => page.locator('[data-test^=case-]').count()).toBe(5);
        await poll(() => page.locator('[data-test=org]').count()).toBe(4);
        const height = Number(await page.locator('[data-test=live-height] strong').textContent());
        expect(height).toBe(await lab.backend.explorer.getHeight());
        expect(lab.backend.describe().stateDatabase).toBe('leveldb');
        expect(await page.locator('[data-test=state-database]').textContent()).toBe('状态数据库 LevelDB');
        // Someone else (another client of the network) commits a transaction: a toast says so.
        const before = await lab.backend.explorer.getHeight();
        const other = await lab.backend.connect({ mspId: 'PlatformMSP', name: 'alipay' });
        await other
            .getNetwork('zhelian')
            .getContract('zhelian', 'evidence')
            .submitTransaction(
                'depositEvidence',
                `EV-HOME-${Date.now()}`,
                '0'.repeat(64),
                '支付凭证',
                'application/pdf',
                '1',
            );
        other.close();
        await page.locator('[data-test=toast]').filter({ hasText: 'evidence:depositEvidence' }).waitFor();
        await poll(async () => Number(await page.locator('[data-test=live-height] strong').textContent()), {
            timeout: 15_000,
        }).toBeGreaterThan(before);
        await screenshot(page, 'zh-CN', 'home');
    });

    for (const app of APPS) {
        it(`${app}: the whole flow commits, with a refusal the chaincode gives on purpose`, async () => {
            const page = await open(zh, `/app/${app}`);
            await page.locator('[data-test=step-0]').waitFor();
            runs[app] = (await page.locator('[data-run]').getAttribute('data-run'))!;
            const steps = await stepCount(page);
            if (app === 'evidence') {
                // The deposit's hash comes from a file hashed in the browser.
                await runFlowStep(page, 0, async () => {
                    await page.locator('[data-test=hash-file-hash]').setInputFiles(evidenceFile);
                    await poll(() => page.locator('input[name=hash]').inputValue()).toBe(evidenceHash);
                });
                await runFlow(page, 1, steps);
            } else {
                // The refusal as a learner sees it (README's picture is the e-receipt one).
                await runFlow(page, 0, steps, async () => {
                    await page.evaluate('window.scrollTo(0, 0)');
                    await screenshot(page, 'zh-CN', `app-${app}-refusal`, false);
                });
            }
            await poll(() => page.locator('.flow li.failed').count()).toBe(0);
            await screenshot(page, 'zh-CN', `app-${app}`);
        }, 180_000);
    }

    it('the explorer shows blocks and a transaction as proposal → endorsement → ordering → validation → commit', async () => {
        const page = await open(zh, '/explorer');
        await page.locator('[data-test=blocks] tbody tr').first().waitFor();
        await page.locator('[data-test=blocks] a[href^="/explorer/tx/"]').first().click();
        await page.locator('[data-test=anatomy]').waitFor();
        expect(await page.locator('.journey > li').count()).toBe(5);
        expect(await page.locator('[data-test=endorsers] li').count()).toBeGreaterThan(0);
        await screenshot(page, 'zh-CN', 'transaction');
        await page.goto(`${lab.url}/explorer`);
        await page.locator('[data-test=verify-chain]').click();
        await poll(() => page.locator('[data-test=verify-verdict]').getAttribute('class')).toBe('good');
        expect(await page.locator('.block-grid .cell').count()).toBe(await lab.backend.explorer.getHeight());
        await screenshot(page, 'zh-CN', 'explorer');
    });

    it('a private write shows only hashes in the explorer', async () => {
        const blocks = await lab.backend.explorer.getHeight();
        let txId: string | undefined;
        for (let n = blocks - 1; n >= 0 && !txId; n--) {
            const block = await lab.backend.explorer.getBlock(n);
            txId = block?.transactions.find((tx) => tx.args[0] === 'einvoice:recordPatientDetails')?.txId;
        }
        const page = await open(zh, `/explorer/tx/${txId}`);
        await page.locator('[data-test=private-hashes]').waitFor();
        expect(await page.locator('[data-test=anatomy]').textContent()).not.toContain('王晓明');
        await screenshot(page, 'zh-CN', 'private-data');
    });

    it('checks a receipt publicly, with no identity', async () => {
        const page = await open(zh, `/verify/receipt?code=33${runs.einvoice}&number=1&checkCode=7c3a91`);
        await poll(() => page.locator('[data-test=receipt-status]').textContent()).toBe('已报销');
        await screenshot(page, 'zh-CN', 'receipt');
    });

    it("the cake's QR page fits a phone: verdict, QR code of its own address, the timeline from tree to cup", async () => {
        const phone = await lab.context('zh-CN', {
            viewport: { width: 390, height: 844 },
            deviceScaleFactor: 2,
            isMobile: true,
            hasTouch: true,
        });
        const page = await open(phone, `/cake/PE-${runs.tea}-0001`);
        await page.locator('[data-test=qr] svg').waitFor();
        expect(await page.locator('[data-test=cake-verdict]').textContent()).toBe('正品，质检合格');
        expect(await page.locator('[data-test=timeline] li').count()).toBeGreaterThanOrEqual(8);
        expect(await page.locator('[data-test=scan-count]').textContent()).toBe('1');
        // Nothing wider than the phone.
        expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
        await screenshot(page, 'zh-CN', 'cake-phone');
        await phone.close();
    });

    it('hashes a dropped file in the browser: the same file matches the deposit, a changed one does not', async () => {
        const page = await open(zh, `/verify/evidence?id=EV-${runs.evidence}-01`);
        const uploads: string[] = [];
        page.on('request', (request) => request.method() !== 'GET' && uploads.push(request.url()));
        await page.locator('[data-test=evidence-file]').setInputFiles(evidenceFile);
        await poll(() => page.locator('[data-test=evidence-outcome]').textContent()).toContain('一致');
        expect(await page.locator('[data-test=evidence-hash]').textContent()).toBe(evidenceHash);
        await screenshot(page, 'zh-CN', 'evidence-check');
        await page.locator('[data-test=evidence-file]').setInputFiles({
            name: 'changed.txt',
            mimeType: 'text/plain',
            buffer: Buffer.from('not the deposited file'),
        });
        await poll(() => page.locator('[data-test=evidence-outcome]').textContent()).toContain('不一致');
        expect(uploads).toEqual([]);
    });

    it('one whole lesson: every step of the e-receipt lesson is done and checked on the ledger', async () => {
        const page = await open(zh, '/workshop');
        await page.locator('[data-test=participant-form] input').fill('学员甲');
        await page.locator('[data-test=participant-form] button').click();
        await page.locator('[data-test=lesson-einvoice] a').click();
        await page.locator('[data-test=lesson-page-einvoice]').waitFor();
        const steps = await page.locator('[data-test^=lesson-step-]').count();
        for (let index = 0; index < steps; index++) {
            await page.locator(`[data-test=lesson-step-${index}]`).click();
            await page.locator('[data-test=lesson-act]').click();
            await poll(() => page.locator('[data-test=lesson-check]').getAttribute('class'), { timeout: 30_000 }).toBe(
                'good',
            );
        }
        // The page counts a step once the gateway has recorded it, a moment after the check shows.
        await poll(() => page.locator('[data-test=lesson-progress]').textContent()).toContain(`${steps} / ${steps}`);
        await screenshot(page, 'zh-CN', 'lesson');
        const instructor = await open(zh, '/workshop/instructor');
        await poll(() => instructor.locator('[data-test="progress-学员甲"] td.complete').count(), {
            timeout: 10_000,
        }).toBe(1);
        await screenshot(instructor, 'zh-CN', 'instructor');
    }, 120_000);

    it('two learners in two browsers register leaf at the same moment: an MVCC conflict, found in the blocks', async () => {
        const first = await open(zh, '/workshop/fabric');
        const second = await open(await lab.context('zh-CN'), '/workshop/fabric');
        for (const page of [first, second]) {
            await page.locator('[data-test=lesson-page-fabric]').waitFor();
        }
        // The shared garden and its harvest (the first learner registers it; the second finds it there).
        for (const [page, index] of [
            [first, 2],
            [first, 3],
            [second, 2],
        ] as const) {
            await page.locator(`[data-test=lesson-step-${index}]`).click();
            await page.locator('[data-test=lesson-act]').click();
            await poll(() => page.locator('[data-test=lesson-check]').getAttribute('class')).toBe('good');
        }
        for (const page of [first, second]) {
            await page.locator('[data-test=lesson-step-4]').click();
        }
        await Promise.all([first, second].map((page) => page.locator('[data-test=lesson-act]').click()));
        for (const page of [first, second]) {
            await poll(() => page.locator('[data-test=lesson-check]').getAttribute('class'), { timeout: 30_000 }).toBe(
                'good',
            );
        }
        expect(await first.locator('[data-test=lesson-invalid]').textContent()).toContain('MVCC_READ_CONFLICT');
        await screenshot(first, 'zh-CN', 'mvcc');
        const explorer = await open(zh, '/explorer');
        await explorer.locator('[data-test=code-11]').first().waitFor();
    }, 120_000);

    it('the Fabric lesson: endorsement policy, and private data seen from a member and a non-member peer', async () => {
        const page = await open(zh, '/workshop/fabric');
        await page.locator('[data-test=lesson-page-fabric]').waitFor();
        for (const index of [0, 1, 5, 6, 7, 8, 9, 10]) {
            await page.locator(`[data-test=lesson-step-${index}]`).click();
            await page.locator('[data-test=lesson-act]').click();
            await poll(() => page.locator('[data-test=lesson-check]').getAttribute('class'), { timeout: 30_000 }).toBe(
                'good',
            );
            if (index === 0) {
                expect(await page.locator('[data-test=refusal-code]').textContent()).toBe('ENDORSEMENT_POLICY_FAILURE');
            }
            if (index === 9) {
                expect(await page.locator('[data-test=refusal-code]').textContent()).toBe('PRIVATE_DATA_UNAVAILABLE');
                expect(await page.locator('[data-test=refusal]').textContent()).toContain(
                    'private data matching public hash version is not available',
                );
            }
        }
        await screenshot(page, 'zh-CN', 'lesson-fabric');
    }, 120_000);

    it('lottery: after the cutoff the notary closes, both reveal, the draw is notarized; the browser recomputes it', async () => {
        const event = (await lab.backend.connect({ mspId: 'MemberMSP', name: 'tmall' }))
            .getNetwork('zhelian')
            .getContract('zhelian', 'lottery');
        const record = JSON.parse(
            Buffer.from(await event.evaluateTransaction('getEvent', `draw-${runs.lottery}`)).toString('utf8'),
        ) as { cutoffMinute: number };
        const wait = record.cutoffMinute * 60_000 + 1_500 - Date.now();
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
        await runFlow(lottery, 8, await stepCount(lottery));
        await screenshot(lottery, 'zh-CN', 'app-lottery');

        const page = await open(zh, `/verify/lottery/draw-${runs.lottery}`);
        for (const check of ['check-root', 'check-winners', 'check-hash']) {
            await poll(() => page.locator(`[data-test=${check}]`).getAttribute('class')).toBe('good');
        }
        await page.locator('[data-test=check-proof]').click();
        await poll(() => page.locator('[data-test=proof-verdict]').getAttribute('class')).toBe('good');
        await screenshot(page, 'zh-CN', 'lottery-check');
    }, 180_000);

    it('switches language: every page in English, kept after a reload; screenshots in both languages', async () => {
        const page = await open(zh, '/');
        await page.locator('[data-test=language]').click();
        await poll(() => page.locator('html').getAttribute('lang')).toBe('en');
        expect(await page.locator('.nav').textContent()).toContain('Explorer');
        await page.reload();
        expect(await page.locator('.nav').textContent()).toContain('Explorer');
        const height = await lab.backend.explorer.getHeight();
        const lastTx = (await lab.backend.explorer.getBlock(height - 1))!.transactions[0].txId;
        const routes: [string, string][] = [
            ['home', '/'],
            ...(['einvoice', 'lottery', 'tea', 'timebank', 'evidence'].map((app) => [
                `page-app-${app}`,
                `/app/${app}`,
            ]) as [string, string][]),
            ['explorer', '/explorer'],
            ['block', `/explorer/blocks/${height - 1}`],
            ['transaction', `/explorer/tx/${lastTx}`],
            ['verify', '/verify'],
            ['receipt', `/verify/receipt?code=33${runs.einvoice}&number=1&checkCode=7c3a91`],
            ['lottery-check', `/verify/lottery/draw-${runs.lottery}`],
            ['evidence-check', '/verify/evidence'],
            ['workshop', '/workshop'],
            ['lesson', '/workshop/fabric'],
            ['instructor', '/workshop/instructor'],
        ];
        for (const [name, route] of routes) {
            await page.goto(`${lab.url}${route}`);
            await page.waitForLoadState('networkidle').catch(() => undefined);
            await page.locator('main *').first().waitFor();
            // Nothing of the Chinese UI chrome is left on an English page (the data may be Chinese).
            expect(await page.locator('.topbar').textContent()).not.toMatch(/首页|区块浏览器|工作坊/);
            // Every page's title is the UI's own words, so English.
            expect(await page.locator('main h1').first().textContent(), route).not.toMatch(/[\u4e00-\u9fff]/);
            await screenshot(page, 'en', name);
        }
        const phone = await lab.context('en', { viewport: { width: 390, height: 844 }, isMobile: true });
        const cake = await open(phone, `/cake/PE-${runs.tea}-0001`);
        await cake.locator('[data-test=qr] svg').waitFor();
        expect(await cake.locator('[data-test=cake-verdict]').textContent()).toBe('Genuine, passed inspection');
        await screenshot(cake, 'en', 'cake-phone');
        await phone.close();
        // The Chinese screenshots of the same pages.
        const chinese = await open(await lab.context('zh-CN'), '/');
        for (const [name, route] of routes) {
            await chinese.goto(`${lab.url}${route}`);
            await chinese.locator('main *').first().waitFor();
            await chinese.waitForTimeout(300);
            await screenshot(chinese, 'zh-CN', name);
        }
    }, 120_000);

    it('no page logged a console error, threw, failed a request or got a 5xx', () => {
        const problems = watched.flatMap((found) => found.problems);
        if (problems.length > 0) {
            throw new Error(`problems in the pages:\n${problems.join('\n')}`);
        }
        // The refusals the flows provoke on purpose, and only those, answered 4xx.
        expect(watched.flatMap((found) => found.refusals).length).toBeGreaterThan(0);
    });

    it('shows a clear page when the gateway goes away, and says how to start it', async () => {
        // Not watched: a gateway that is gone makes the browser log refused connections.
        const page = await zh.newPage();
        await page.goto(`${lab.url}/`);
        await page.locator('[data-test=live-height]').waitFor();
        await lab.stopGateway();
        await page.locator('[data-test=gateway-down]').waitFor({ timeout: 20_000 });
        expect(await page.locator('[data-test=gateway-down]').textContent()).toContain('npm start');
        await screenshot(page, 'zh-CN', 'gateway-down');
    });
});
