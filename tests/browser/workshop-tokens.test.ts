import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, Lab, poll, screenshot } from './support/lab';

/**
 * A classroom: the gateway asks for tokens (as it does bound beyond loopback). A browser without
 * one sees the join page, public pages still open; the instructor signs in with the instructor
 * token and hands out links with participants' tokens; each participant acts as identities of
 * their own (one per role), does a whole lesson alone, provokes an MVCC conflict with a classmate,
 * and the instructor sees who finished which step.
 */
describe.runIf(browserAvailable())('a workshop with tokens, in Chromium', () => {
    let lab: Lab;

    beforeAll(async () => {
        lab = await Lab.start({ requireTokens: true });
    }, 120_000);
    afterAll(async () => {
        await lab?.close();
    }, 60_000);

    it('asks a browser without a token to join, and still opens the public pages', async () => {
        const page = await lab.open('zh-CN', '/');
        await page.locator('[data-test=token-gate]').waitFor();
        await screenshot(page, 'zh-CN', 'join');
        const check = await lab.open('zh-CN', '/verify/evidence');
        await check.locator('[data-test=dropzone]').waitFor();
    });

    /** Chooses step `index` of the lesson open in `page`, does it, and reads its check: `good` or `error`. */
    async function doStep(page: Page, index: number): Promise<string | null> {
        await page.locator(`[data-test=lesson-step-${index}]`).click();
        await page.locator('[data-test=lesson-act]').click();
        await poll(() => page.locator('[data-test=lesson-check]').getAttribute('class'), { timeout: 60_000 }).toMatch(
            /good|error/,
        );
        return page.locator('[data-test=lesson-check]').getAttribute('class');
    }

    it('two participants with tokens each do a whole lesson with identities of their own, and provoke an MVCC conflict together; the instructor sees it', async () => {
        const instructor = await lab.open('en', `/workshop/instructor?token=${lab.gateway.instructorToken}`);
        const links: Record<string, string> = {};
        for (const name of ['alice', 'bob']) {
            await instructor.locator('input[name=participant]').fill(name);
            await instructor.getByRole('button', { name: 'Make a link' }).click();
            await poll(() => instructor.locator('[data-test=token-link]').textContent()).not.toBe(links.alice ?? '');
            links[name] = (await instructor.locator('[data-test=token-link]').textContent())!;
            expect(new URL(links[name]).searchParams.get('token')).toMatch(/^zhp_/);
        }
        const join = async (locale: 'zh-CN' | 'en', name: string) => {
            const page = await lab.open(locale, new URL(links[name]).pathname + new URL(links[name]).search);
            await poll(() => page.locator('[data-test=role-switcher]').inputValue()).toMatch(new RegExp(`:${name}\\.`));
            expect(new URL(page.url()).search).toBe('');
            return page;
        };
        const alice = await join('zh-CN', 'alice');
        const bob = await join('en', 'bob');

        // The role switcher offers alice's own identities only, and she may switch among them.
        const offered = await alice
            .locator('[data-test=role-switcher] option[value]:not([value=""])')
            .evaluateAll((options) => options.map((option) => option.getAttribute('value') ?? ''));
        expect(offered.length).toBeGreaterThan(10);
        expect(offered.every((value) => /^[A-Za-z]+MSP:alice\./.test(value))).toBe(true);
        expect(await alice.locator('[data-test=role-switcher]').isDisabled()).toBe(false);

        // A whole application lesson, every role alice's own: a deposit, a court, a refusal on purpose.
        await alice.locator('[data-test=lesson-evidence] a').click();
        await alice.locator('[data-test=lesson-page-evidence]').waitFor();
        const steps = await alice.locator('[data-test^=lesson-step-]').count();
        for (let index = 0; index < steps; index++) {
            expect(await doStep(alice, index), `evidence step ${index}`).toBe('good');
            expect(await alice.locator('.signer strong').textContent()).toMatch(/:alice\./);
        }
        // The page counts a step once the gateway has recorded it, a moment after the check shows.
        await poll(() => alice.locator('[data-test=lesson-progress]').textContent()).toContain(`${steps} / ${steps}`);
        await screenshot(alice, 'zh-CN', 'lesson-team');

        // The Fabric lesson's MVCC step, together: the shared garden and harvest first.
        for (const page of [alice, bob]) {
            await page.goto(`${lab.url}/workshop/fabric`);
            await page.locator('[data-test=lesson-page-fabric]').waitFor();
        }
        // One organization's endorsement: the gateway ticks it on the refused transaction, judged ENDORSEMENT_POLICY_FAILURE on the ledger.
        expect(await doStep(alice, 0)).toBe('good');
        expect(await doStep(alice, 2)).toBe('good');
        expect(await doStep(alice, 3)).toBe('good');
        expect(await doStep(bob, 2)).toBe('good');
        // Each must find a conflict of a transaction it signed; as the guide says, arm again if one did not.
        for (let round = 0; round < 3; round++) {
            for (const page of [alice, bob]) {
                await page.locator('[data-test=lesson-step-4]').click();
            }
            await Promise.all([alice, bob].map((page) => page.locator('[data-test=lesson-act]').click()));
            const checks = [];
            for (const page of [alice, bob]) {
                await poll(() => page.locator('[data-test=lesson-check]').getAttribute('class'), {
                    timeout: 60_000,
                }).toMatch(/good|error/);
                checks.push(await page.locator('[data-test=lesson-check]').getAttribute('class'));
            }
            if (checks.every((check) => check === 'good')) {
                break;
            }
        }
        for (const page of [alice, bob]) {
            expect(await page.locator('[data-test=lesson-check]').getAttribute('class')).toBe('good');
            expect(await page.locator('[data-test=lesson-invalid]').textContent()).toContain('MVCC_READ_CONFLICT');
        }
        await screenshot(bob, 'en', 'mvcc-team');

        await poll(() => instructor.locator('[data-test="progress-alice"] td.complete').count(), {
            timeout: 10_000,
        }).toBe(1);
        await poll(() => instructor.locator('[data-test="progress-bob"]').textContent(), { timeout: 10_000 }).toContain(
            '2 / 12',
        );
        expect(await instructor.locator('[data-test="progress-alice"]').textContent()).toContain('4 / 12');
        await screenshot(instructor, 'en', 'instructor-tokens');
        const chinese = await lab.open('zh-CN', `/workshop/instructor?token=${lab.gateway.instructorToken}`);
        await poll(() => chinese.locator('[data-test="progress-alice"] td.complete').count()).toBe(1);
        await screenshot(chinese, 'zh-CN', 'instructor-tokens');
    }, 600_000);

    it('no page logged a console error, threw, failed a request or got a 5xx', () => {
        const problems = lab.problems();
        if (problems.length > 0) {
            throw new Error(`problems in the pages:\n${problems.join('\n')}`);
        }
    });
});
