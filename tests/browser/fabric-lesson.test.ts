import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, Lab, poll, screenshot } from './support/lab';

/**
 * The whole "How Fabric works" lesson in Chromium, its last step included: the instructor changes
 * a stored byte of a block from the instructor's page, the learner's verification names that block
 * and the step is checked; the instructor puts the byte back and the chain verifies again. A lab of
 * its own: while the byte is changed, the ledger refuses to endorse and commit.
 */
describe.runIf(browserAvailable())('the Fabric lesson with tamper detection, in Chromium', () => {
    let lab: Lab;

    /** Chooses step `index`, does it, and waits for its check: `good` or `error`. */
    async function doStep(page: Page, index: number, expected: 'good' | 'error' = 'good'): Promise<void> {
        await page.locator(`[data-test=lesson-step-${index}]`).click();
        await page.locator('[data-test=lesson-act]').click();
        await poll(() => page.locator('[data-test=lesson-check]').getAttribute('class'), { timeout: 60_000 }).toBe(
            expected,
        );
    }

    async function learner(name: string): Promise<Page> {
        const page = await lab.open('zh-CN', '/workshop');
        await page.locator('[data-test=participant-form] input').fill(name);
        await page.locator('[data-test=participant-form] button').click();
        await page.locator('[data-test=lesson-fabric] a').click();
        await page.locator('[data-test=lesson-page-fabric]').waitFor();
        return page;
    }

    beforeAll(async () => {
        lab = await Lab.start();
    }, 120_000);
    afterAll(async () => {
        await lab?.close();
    }, 60_000);

    it('every step, the tamper step checked only once the instructor changed a byte and verification named its block', async () => {
        const page = await learner('学员乙');
        const steps = await page.locator('[data-test^=lesson-step-]').count();
        expect(steps).toBe(12);
        await doStep(page, 0);
        await doStep(page, 1);
        const block = Number((await page.locator('.work [data-test=block]').textContent())!.replace('#', ''));
        await doStep(page, 2);
        await doStep(page, 3);
        // Leaf registered with a classmate at the same 5-second mark: an MVCC conflict in the blocks.
        const classmate = await learner('学员丙');
        for (const p of [page, classmate]) {
            await p.locator('[data-test=lesson-step-4]').click();
        }
        await Promise.all([page, classmate].map((p) => p.locator('[data-test=lesson-act]').click()));
        for (const p of [page, classmate]) {
            await poll(() => p.locator('[data-test=lesson-check]').getAttribute('class'), { timeout: 60_000 }).toBe(
                'good',
            );
        }
        for (let index = 5; index < 11; index++) {
            await doStep(page, index);
        }

        // Before the instructor changes anything, the last step is not done, and says why.
        await doStep(page, 11, 'error');
        await page.locator('[data-test=lesson-untampered]').waitFor();

        const instructor = await lab.open('en', `/workshop/instructor?token=${lab.gateway.instructorToken}`);
        // Let the page settle first: the progress table's rows arriving push the button down under a click.
        await instructor.locator('[data-test="progress-学员丙"]').waitFor();
        await instructor.locator('[data-test="progress-学员乙"]').waitFor();
        await poll(() => instructor.locator('[data-test=tamper] input[name=tamperBlock]').inputValue()).not.toBe('');
        await instructor.locator('[data-test=tamper] input[name=tamperBlock]').fill(String(block));
        await instructor.locator('[data-test=tamper-button]').click();
        // Generous waits: the other browser tests may share the two cores.
        await instructor.locator('[data-test=tamper-report]').waitFor({ timeout: 90_000 });
        const report = (await instructor.locator('[data-test=tamper-report]').textContent())!;
        expect(report).toMatch(new RegExp(`^\\s*Block ${block}, transaction 0 `));
        expect(report).toMatch(/changed from '\d' to '\d'/);
        await screenshot(instructor, 'en', 'instructor-tamper');
        const chinese = await lab.open('zh-CN', `/workshop/instructor?token=${lab.gateway.instructorToken}`);
        await chinese.locator('[data-test=tamper-report]').waitFor({ timeout: 90_000 });
        expect(await chinese.locator('[data-test=tamper-report]').textContent()).toContain(`区块 ${block} `);
        await screenshot(chinese, 'zh-CN', 'instructor-tamper');

        await doStep(page, 11);
        const verification = (await page.locator('[data-test=lesson-verification]').textContent())!;
        expect(verification).toContain(`区块 ${block}`);
        expect(verification).toContain('data hash does not match the transactions');
        expect(await page.locator('[data-test=lesson-tampered]').textContent()).toContain(`${block}`);
        // The page counts a step once the gateway has recorded it, a moment after the check shows.
        await poll(() => page.locator('[data-test=lesson-progress]').textContent()).toContain('12 / 12');
        await screenshot(page, 'zh-CN', 'lesson-tamper');
        await poll(() => instructor.locator('[data-test="progress-学员乙"] td.complete').count(), {
            timeout: 10_000,
        }).toBe(1);

        // The byte goes back: the chain verifies again and the ledger commits again.
        await instructor.locator('[data-test=tamper-undo]').click();
        await poll(() => instructor.locator('[data-test=tamper-restored]').getAttribute('class')).toBe('good');
        await screenshot(instructor, 'en', 'instructor-tamper-undone');
        await doStep(page, 10);
        await doStep(page, 2);
    }, 600_000);

    it('no page logged a console error, threw, failed a request or got a 5xx', () => {
        const problems = lab.problems();
        if (problems.length > 0) {
            throw new Error(`problems in the pages:\n${problems.join('\n')}`);
        }
    });
});
