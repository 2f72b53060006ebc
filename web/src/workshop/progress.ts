import { reactive } from 'vue';
import { api, unwrap } from '../api/client';
import type { paths } from '../api/schema';
import { session } from '../state/session';

/**
 * This learner's finished steps, by lesson: kept by the gateway (so the instructor sees them) under
 * the participant token's participant, or on loopback under the name the learner gave; a learner
 * who gave no name keeps them in this browser only.
 */
export const progress = reactive<{ lessons: Record<string, number[]>; loaded: boolean; error: string }>({
    lessons: {},
    loaded: false,
    error: '',
});

const LOCAL_KEY = 'zhelian.progress';
const anonymous = (): boolean => session.tokenKind !== 'participant' && !session.participant;

function localProgress(): Record<string, number[]> {
    try {
        return JSON.parse(localStorage.getItem(LOCAL_KEY) ?? '{}') as Record<string, number[]>;
    } catch {
        return {};
    }
}

const participantQuery = () => (session.tokenKind === 'participant' ? {} : { participant: session.participant });

export async function loadProgress(): Promise<void> {
    if (anonymous()) {
        progress.lessons = localProgress();
        return;
    }
    try {
        const mine = await unwrap(api.GET('/api/workshop/progress/me', { params: { query: participantQuery() } }));
        progress.lessons = (mine as { lessons?: Record<string, number[]> }).lessons ?? {};
        progress.loaded = true;
        progress.error = '';
    } catch (err) {
        progress.error = (err as Error).message;
    }
}

/** What shows the gateway a step was done (see `POST /api/workshop/progress`). */
export type StepEvidence = NonNullable<
    paths['/api/workshop/progress']['post']['requestBody']
>['content']['application/json']['evidence'];

/**
 * Records a finished step: in this browser, or with the gateway, which checks the evidence of a
 * participant with a token (its own transaction, a call it answered, a verification). False when
 * the gateway refused it (the reason is in `progress.error`).
 */
export async function recordStep(lesson: string, step: number, evidence?: StepEvidence): Promise<boolean> {
    progress.error = '';
    if (anonymous()) {
        markDone(lesson, step);
        localStorage.setItem(LOCAL_KEY, JSON.stringify(progress.lessons));
        return true;
    }
    try {
        await unwrap(
            api.POST('/api/workshop/progress', {
                body: { lesson, step, ...participantQuery(), ...(evidence ? { evidence } : {}) },
            }),
        );
        markDone(lesson, step);
        return true;
    } catch (err) {
        progress.error = (err as Error).message;
        return false;
    }
}

function markDone(lesson: string, step: number): void {
    const done = new Set(progress.lessons[lesson] ?? []);
    done.add(step);
    progress.lessons[lesson] = [...done].sort((a, b) => a - b);
}

export const stepsDone = (lesson: string): number => progress.lessons[lesson]?.length ?? 0;
