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

/**
 * What a pooled runner starts with instead (see `runner-pool.ts`): the fabric-shim to load ahead,
 * while no package is known yet; the package follows in a `load` message.
 */
export interface RunnerPreload {
    shimEntry: string;
}

/** One shim message on one peer's stream. */
export interface ShimFrame {
    peerId: string;
    bytes: Uint8Array;
}

/**
 * Host to runner: load the package (a pooled runner, with the environment variables that name its
 * chaincode and peer), open a peer's stream, deliver shim frames, or check that the event loop runs.
 */
export type ToRunner =
    | { kind: 'load'; config: RunnerConfig; env: Record<string, string> }
    | { kind: 'connect'; peerId: string }
    | { kind: 'shim'; frames: ShimFrame[] }
    | { kind: 'ping'; id: number };

/** Runner to host: a pooled runner loaded its shim, the package loaded (or why not), shim frames, or the answer to a ping. */
export type FromRunner =
    | { kind: 'preloaded' }
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

    /** Queues one serialized message; its bytes are the batcher's from now on (see `handedOver`). */
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

/** Frames smaller than this are copied: for a few hundred bytes a copy costs less than a hand-over's bookkeeping. */
const HAND_OVER_FROM_BYTES = 1024;

/**
 * The buffers that a message to or from a worker thread hands over instead of copying: each shim
 * frame's bytes are one serialization's own buffer, which nothing holds once it is queued, so the
 * other thread takes the buffer as it is. A structured clone copies the bytes twice, and the
 * sender's copy stays until its isolate's next collection. Measured on the zhelian topology at c64
 * in three interleaved pairs of 9,000 transactions: the ledger process peaked at 374–401 MB instead
 * of 378–414 and ended at 348–355 instead of 338–372, at the same CPU per transaction; handing over
 * every frame, the small ones too, cost 2–4 % more CPU. A frame under 1 KiB, or a view into a larger
 * buffer, is copied.
 */
export function handedOver(message: ToRunner | FromRunner): ArrayBuffer[] {
    if (message.kind !== 'shim') {
        return [];
    }
    const buffers = new Set<ArrayBuffer>();
    for (const { bytes } of message.frames) {
        if (
            bytes.byteLength >= HAND_OVER_FROM_BYTES &&
            bytes.buffer instanceof ArrayBuffer &&
            bytes.byteOffset === 0 &&
            bytes.byteLength === bytes.buffer.byteLength
        ) {
            buffers.add(bytes.buffer);
        }
    }
    return [...buffers];
}
