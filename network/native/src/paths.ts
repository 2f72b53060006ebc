import path from 'node:path';

/** The repository root (this file is compiled to network/native/dist/). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
/** Our core.yaml, orderer.yaml, configtx.yaml (a template) and crypto-config.yaml. */
export const CONFIG_DIR = path.resolve(__dirname, '..', 'config');
/** The external builder (detect/build/release) for chaincode as a service. */
export const BUILDER_DIR = path.resolve(__dirname, '..', 'builder');

/**
 * Everything a running network owns, under one directory: `.fabric/` in the repository, or
 * `ZHELIAN_FABRIC_DIR`.
 */
export interface RunDir {
    root: string;
    connectionFile: string;
    /** What `up` decided (version, ports, binaries), read again by `down`, `status` and a resumed `up`. */
    stateFile: string;
    config: string;
    crypto: string;
    channelBlock: string;
    wallet: string;
    chaincode: string;
    pids: string;
    logs: string;
    /** Where a node keeps its ledger. */
    nodeDir(name: string): string;
}

export function runDir(env: NodeJS.ProcessEnv = process.env): RunDir {
    const root = path.resolve(env.ZHELIAN_FABRIC_DIR ?? path.join(REPO_ROOT, '.fabric'));
    return {
        root,
        connectionFile: path.join(root, 'connection.json'),
        stateFile: path.join(root, 'network.json'),
        config: path.join(root, 'config'),
        crypto: path.join(root, 'crypto'),
        channelBlock: path.join(root, 'channel-artifacts', 'genesis.block'),
        wallet: path.join(root, 'wallet'),
        chaincode: path.join(root, 'chaincode'),
        pids: path.join(root, 'pids'),
        logs: path.join(root, 'logs'),
        nodeDir: (name) => path.join(root, 'nodes', name),
    };
}
