/**
 * Messages between the chaincode host and its runner, the same over both transports: a worker
 * thread's `parentPort` (structured clone) or a child process's Node IPC (`serialization:
 * 'advanced'`), so that byte arrays cross without base64.
 * Each frame's `bytes` is one serialized `protos.ChaincodeMessage`; `peerId` picks the shim stream.
 */

/** What the runner needs to load a chaincode package: its worker data, or its process's one argument (JSON). */
export interface RunnerConfig {
    name: string;
    packageDir: string;
}

/** One shim message on one peer's stream. */
export interface ShimFrame {
    peerId: string;
    bytes: Uint8Array;
}

/** Host to runner: open a peer's stream, deliver shim frames, or check that the event loop runs. */
export type ToRunner =
    { kind: 'connect'; peerId: string } | { kind: 'shim'; frames: ShimFrame[] } | { kind: 'ping'; id: number };

/** Runner to host: the package loaded (or why not), shim frames, or the answer to a ping. */
export type FromRunner =
    | { kind: 'loaded' }
    | { kind: 'load-failed'; message: string }
    | { kind: 'shim'; frames: ShimFrame[] }
    | { kind: 'pong'; id: number };

/**
 * Collects the shim frames written during one turn of the event loop and sends them as one
 * message: under load many executions write in the same turn. Over Node IPC each message costs
 * a serialization and a system call, and batching lowered latency and raised throughput; over a
 * worker's port it measured neither better nor worse, so both transports share this one path.
 */
export class FrameBatcher {
    readonly #flush: (frames: ShimFrame[]) => void;
    #frames: ShimFrame[] = [];

    constructor(flush: (frames: ShimFrame[]) => void) {
        this.#flush = flush;
    }

    add(peerId: string, bytes: Uint8Array): void {
        if (this.#frames.length === 0) {
            setImmediate(() => {
                const frames = this.#frames;
                this.#frames = [];
                this.#flush(frames);
            });
        }
        this.#frames.push({ peerId, bytes });
    }
}
