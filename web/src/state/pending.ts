import { computed, reactive } from 'vue';

/** Transactions this page has sent and not yet seen committed (or refused). */
const inFlight = reactive(new Map<number, string>());
let nextId = 1;

/** Transaction ids this page submitted: their events are not "caused by others". */
export const mine = new Set<string>();

export const pending = {
    count: computed(() => inFlight.size),
    labels: computed(() => [...inFlight.values()]),
};

/** Runs `work` while it shows as pending under `label`. */
export async function whilePending<T>(label: string, work: () => Promise<T>): Promise<T> {
    const id = nextId++;
    inFlight.set(id, label);
    try {
        return await work();
    } finally {
        inFlight.delete(id);
    }
}
