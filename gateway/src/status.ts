/** Where the server is in its life: answering, or finishing what is in flight before it stops. */
export type ServerState = 'ready' | 'stopping';

/** Whether the chaincode's per-application routes exist yet. */
export interface ChaincodeStatus {
    name: string;
    /**
     * `waiting` until the chaincode is deployed (its routes answer 503 meanwhile), `ready` with routes,
     * `absent` when it is not deployed, `failed` when its metadata could not be read.
     */
    state: 'waiting' | 'ready' | 'absent' | 'failed';
    contracts: string[];
    /** Contracts without per-application routes: their names collide with the gateway's own routes. */
    skipped: string[];
    error?: string;
}

/** A job the server runs besides answering requests, such as seeding the demo data. */
export interface TaskProgress {
    state: 'running' | 'done' | 'failed' | 'interrupted';
    /** What it is doing now, for people: `tea: 12 transactions`. */
    detail: string;
    /** Steps done so far (for the demo seed: transactions committed). */
    done: number;
    error?: string;
}

/** What `/api/health` reports, kept up to date by the server and its background jobs. */
export class ServerStatus {
    state: ServerState = 'ready';
    readonly startedAt = new Date().toISOString();
    chaincode: ChaincodeStatus;
    readonly #tasks = new Map<string, TaskProgress>();

    constructor(chaincode: string) {
        this.chaincode = { name: chaincode, state: 'waiting', contracts: [], skipped: [] };
    }

    setTask(name: string, progress: TaskProgress): void {
        this.#tasks.set(name, progress);
    }

    tasks(): Record<string, TaskProgress> {
        return Object.fromEntries(this.#tasks);
    }
}
