import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, Lab, poll, screenshot, watch } from './support/lab';

/**
 * A classroom: the gateway asks for tokens (as it does bound beyond loopback). A browser without
 * one sees the join page, public pages still open; the instructor signs in with the instructor
 * token, hands out a link with a participant's token; the participant acts as that identity only,
 * does a lesson step, and the instructor sees it.
 */
describe.runIf(browserAvailable())('a workshop with tokens, in Chromium', () => {
    let lab: Lab;
    const pages: { page: Page; found: ReturnType<typeof watch> }[] = [];

    async function open(locale: 'zh-CN' | 'en', route: string): Promise<Page> {
        const page = await (await lab.context(locale)).newPage();
        pages.push({ page, found: watch(page) });
        await page.goto(`${lab.url}${route}`);
        return page;
    }

    beforeAll(async () => {
        lab = await Lab.start({ requireTokens: true });
    }, 120_000);
    afterAll(async () => {
        pages.forEach(({ found }) => found.stop());
        await lab?.close();
    }, 60_000);

    it('asks a browser without a token to join, and still opens the public pages', async () => {
        const page = await open('zh-CN', '/');
        await page.locator('[data-test=token-gate]').waitFor();
        await screenshot(page, 'zh-CN', 'join');
        const check = await open('zh-CN', '/verify/evidence');
        await check.locator('[data-test=dropzone]').waitFor();
    });

    it('the instructor hands out a token; the participant acts as its identity only and is seen progressing', async () => {
        const instructor = await open('en', `/workshop/instructor?token=${lab.gateway.instructorToken}`);
        await instructor.locator('select[name=identity]').selectOption('MemberMSP:elder');
        await instructor.getByRole('button', { name: 'Make a link' }).click();
        const link = (await instructor.locator('[data-test=token-link]').textContent())!;
        expect(link).toMatch(/\/workshop\?token=/);
        expect(new URL(link).searchParams.get('token')).not.toBe('');

        const learner = await open('zh-CN', new URL(link).pathname + new URL(link).search);
        await poll(() => learner.locator('[data-test=role-switcher]').inputValue()).toBe('MemberMSP:elder');
        expect(await learner.locator('[data-test=role-switcher]').isDisabled()).toBe(true);
        expect(new URL(learner.url()).search).toBe('');
        await learner.locator('[data-test=lesson-fabric] a').click();
        await learner.locator('[data-test=lesson-step-5]').click();
        await learner.locator('[data-test=lesson-act]').click();
        await poll(() => learner.locator('[data-test=lesson-check]').getAttribute('class')).toBe('good');

        await poll(() => instructor.locator('[data-test="progress-MemberMSP:elder"]').textContent(), {
            timeout: 10_000,
        }).toContain('1 / 12');
        await screenshot(instructor, 'en', 'instructor-tokens');
    });

    it('no page logged a console error, threw, failed a request or got a 5xx', () => {
        const problems = pages.flatMap(({ found }) => found.problems);
        if (problems.length > 0) {
            throw new Error(`problems in the pages:\n${problems.join('\n')}`);
        }
    });
});
