import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { LESSON_STEPS } from '@zhelian/gateway';

const FILE = path.join(__dirname, '..', '..', 'web', 'src', 'workshop', 'lesson-steps.ts');

/** The UI's copy of the gateway's lesson steps, as it must read now. */
async function expected(): Promise<string> {
    const text = `/**
 * What each lesson step asks and what counts as done: the gateway's \`LESSON_STEPS\`
 * (gateway/src/workshop/lesson-steps.ts), against which it checks a participant's evidence. Generated:
 * do not edit; \`ZHELIAN_WRITE_LESSON_STEPS=1 npx vitest run tests/browser/lesson-steps.test.ts\` writes it.
 */
import type { LessonStepDefinition } from './step-definition';

export const LESSON_STEPS: Readonly<Record<string, readonly LessonStepDefinition[]>> = ${JSON.stringify(LESSON_STEPS)};
`;
    return prettier.format(text, { ...(await prettier.resolveConfig(FILE)), filepath: FILE });
}

/**
 * The web UI builds its lessons and application flows on the steps the gateway checks evidence
 * against; it reaches the gateway over HTTP only, so it holds a generated copy, which this checks:
 * a step changed in the gateway and not in the UI would have learners refused for doing the step
 * the UI shows them.
 */
describe("the web UI's lesson steps", () => {
    it("are the gateway's", async () => {
        const text = await expected();
        if (process.env.ZHELIAN_WRITE_LESSON_STEPS) {
            await writeFile(FILE, text);
        }
        expect(
            (await readFile(FILE, 'utf8').catch(() => '')) === text,
            'web/src/workshop/lesson-steps.ts is out of date: ZHELIAN_WRITE_LESSON_STEPS=1 npx vitest run tests/browser/lesson-steps.test.ts',
        ).toBe(true);
    });
});
