import type { Locator, Page } from 'playwright-core';

/** What a step's answer was: a committed transaction, an evaluation, or a refusal with its code. */
export interface StepResult {
    kind: 'outcome' | 'evaluated' | 'refusal';
    code?: string;
    txId?: string;
}

const ANSWER = '.work [data-test=outcome], .work [data-test=evaluated], .work [data-test=refusal]';

/** Reads the answer shown in the work area. */
export async function answerOf(page: Page): Promise<StepResult> {
    const shown: Locator = page.locator(ANSWER).first();
    // A transaction waits for its block: on a busy two-core machine that can take a while.
    await shown.waitFor({ timeout: 90_000 });
    const kind = (await shown.getAttribute('data-test')) as StepResult['kind'];
    if (kind === 'refusal') {
        return { kind, code: (await shown.locator('[data-test=refusal-code]').textContent()) ?? '' };
    }
    if (kind === 'outcome') {
        return { kind, txId: (await shown.locator('[data-test=txid]').textContent()) ?? '' };
    }
    return { kind };
}

/** Runs step `index` of an application page's flow: chooses it (role and form follow), submits, reads the answer. */
export async function runFlowStep(page: Page, index: number, before?: () => Promise<void>): Promise<StepResult> {
    await page.locator(`[data-test=step-${index}]`).click();
    await page.locator('.work [data-test=run]').waitFor();
    await before?.();
    await page.locator('.work [data-test=run]').click();
    return answerOf(page);
}

export async function stepCount(page: Page): Promise<number> {
    return page.locator('[data-test^=step-]').count();
}

/** The expected refusal of a flow step, as the page labels it (`预期被拒绝：E_…` / `expected to be refused: E_…`). */
export async function expectedRefusal(page: Page, index: number): Promise<string | undefined> {
    const label = page.locator(`[data-test=step-${index}] .expect`);
    if ((await label.count()) === 0) {
        return undefined;
    }
    return /E_[A-Z_]+/.exec((await label.textContent()) ?? '')?.[0];
}
