import { reactive } from 'vue';
import { api, unwrap } from '../api/client';
import { session } from '../state/session';

/**
 * This learner's finished steps, by lesson: kept by the gateway (so the instructor sees them) under
 * the participant token's identity, or on loopback under the name the learner gave; a learner who
 * gave no name keeps them in this browser only.
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

export async function recordStep(lesson: string, step: number): Promise<void> {
    const done = new Set(progress.lessons[lesson] ?? []);
    done.add(step);
    progress.lessons[lesson] = [...done].sort((a, b) => a - b);
    if (anonymous()) {
        localStorage.setItem(LOCAL_KEY, JSON.stringify(progress.lessons));
        return;
    }
    try {
        await unwrap(api.POST('/api/workshop/progress', { body: { lesson, step, ...participantQuery() } }));
    } catch (err) {
        progress.error = (err as Error).message;
    }
}

export const stepsDone = (lesson: string): number => progress.lessons[lesson]?.length ?? 0;
