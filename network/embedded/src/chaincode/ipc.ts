/**
 * Messages between the chaincode host (parent) and its runner (child process), sent over
 * Node IPC with `serialization: 'advanced'` so that byte arrays cross without base64.
 * Each frame's `bytes` is one serialized `protos.ChaincodeMessage`; `peerId` picks the shim stream.
 */

/** What the runner needs to load a chaincode package; passed as the runner's one argument (JSON). */
export interface RunnerConfig {
    name: string;
    packageDir: string;
}

/** One shim message on one peer's stream. */
export interface ShimFrame {
    peerId: string;
    bytes: Uint8Array;
}

/** Parent to runner: open a peer's stream, deliver shim frames, or check that the event loop runs. */
export type ToRunner =
    | { kind: 'connect'; peerId: string }
    | { kind: 'shim'; frames: ShimFrame[] }
    | { kind: 'ping'; id: number };

/** Runner to parent: the package loaded (or why not), shim frames, or the answer to a ping. */
export type FromRunner =
    | { kind: 'loaded' }
    | { kind: 'load-failed'; message: string }
    | { kind: 'shim'; frames: ShimFrame[] }
    | { kind: 'pong'; id: number };

/**
 * Collects the shim frames written during one turn of the event loop and sends them as one IPC
 * message: under load many executions write in the same turn, and each IPC message costs a
 * serialization and a system call.
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
