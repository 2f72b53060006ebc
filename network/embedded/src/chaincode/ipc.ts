/**
 * Messages between the chaincode host (parent) and its runner (child process), sent over
 * Node IPC with `serialization: 'advanced'` so that byte arrays cross without base64.
 * Each `bytes` is one serialized `protos.ChaincodeMessage`; `peerId` picks the shim stream.
 */

/** What the runner needs to load a chaincode package; passed as the runner's one argument (JSON). */
export interface RunnerConfig {
    name: string;
    packageDir: string;
}

export type ToRunner =
    | { kind: 'connect'; peerId: string }
    | { kind: 'shim'; peerId: string; bytes: Uint8Array }
    | { kind: 'ping'; id: number };

export type FromRunner =
    | { kind: 'loaded' }
    | { kind: 'load-failed'; message: string }
    | { kind: 'shim'; peerId: string; bytes: Uint8Array }
    | { kind: 'pong'; id: number };
