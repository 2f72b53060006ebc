/**
 * The chaincode side of a chaincode host, run in its own worker thread or child process (one per
 * chaincode, because fabric-contract-api keeps its decorator metadata on `global`).
 *
 * It loads the package with the fabric-shim that the package itself resolves, exactly as
 * `fabric-chaincode-node server` bootstraps it, builds the shim's chaincode server without
 * starting gRPC, and connects one in-memory stream per peer. The shim's `ChaincodeMessage`
 * objects cross to the host as their serialized bytes, over `parentPort` in a worker and over
 * Node IPC in a child process; everything else is the same in both.
 *
 * A pooled worker (`runner-pool.ts`) loads the shim first, before any package is known, and the
 * package when the host names it with the environment variables of its chaincode and peer: the
 * same steps in the same order, only the first of them earlier.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Duplex } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { FrameBatcher, handedOver, type FromRunner, type RunnerConfig, type RunnerPreload, type ToRunner } from './ipc';
import { cacheShimCertificateParsing } from './shim-certificates';
import { skipMessagesBelowLevel } from './shim-logging';

/** The few parts of the package's own fabric-shim (and its protos) that the runner touches. */
interface ShimMessage {
    serializeBinary(): Uint8Array;
}
interface ShimProtos {
    peer: { ChaincodeMessage: { deserializeBinary(bytes: Uint8Array): ShimMessage } };
}
interface ShimServer {
    connect(stream: Duplex): void;
}
interface Shim {
    server(chaincode: unknown, options: { ccid: string; address: string }): ShimServer;
}
interface ContractInfo {
    contracts: unknown;
    serializers: unknown;
    title: string;
    version: string;
}
interface Bootstrap {
    getInfoFromContract(modulePath: string): ContractInfo;
    getMetadata(modulePath: string): Promise<unknown>;
}
type ChaincodeFromContract = new (
    contracts: unknown,
    serializers: unknown,
    metadata: unknown,
    title: string,
    version: string,
) => object;

/** What the runner holds of the shim once it has loaded it. */
interface LoadedShim {
    shimEntry: string;
    shim: Shim;
    bootstrap: Bootstrap;
    ChaincodeFromContract: ChaincodeFromContract;
    protos: ShimProtos;
}

/** The runner's end of the channel to its host. */
interface HostLink {
    /** The package to load; or, for a pooled worker, the shim to load while the host has no package for it yet. */
    readonly start: RunnerConfig | RunnerPreload;
    /** Sends a message; `sent` runs once it has left (so the runner may exit after it). */
    send(message: FromRunner, sent?: () => void): void;
    onMessage(listener: (message: ToRunner) => void): void;
}

/** In a worker thread: the config is the worker's data; messages posted before exit still arrive. */
function workerLink(port: NonNullable<typeof parentPort>): HostLink {
    return {
        start: workerData as RunnerConfig | RunnerPreload,
        send: (message, sent) => {
            port.postMessage(message, handedOver(message));
            sent?.();
        },
        onMessage: (listener) => port.on('message', listener),
    };
}

/** In a child process: the config is the one argument; exits when the host disconnects. */
function processLink(): HostLink {
    // The host is gone (closed or crashed): nothing can reach this chaincode any more.
    process.on('disconnect', () => process.exit(0));
    return {
        start: JSON.parse(process.argv[2] ?? '{}') as RunnerConfig,
        send: (message, sent) => (sent ? process.send?.(message, sent) : process.send?.(message)),
        onMessage: (listener) => process.on('message', listener),
    };
}

/** The fabric-shim that a package resolves from its own directory. */
function resolveShim(packageDir: string): string {
    return createRequire(path.join(packageDir, 'package.json')).resolve('fabric-shim');
}

/** Loads fabric-shim (and through it fabric-contract-api) as `fabric-chaincode-node server` does before it loads a package. */
function loadShim(shimEntry: string): LoadedShim {
    const fromShim = createRequire(shimEntry);
    const shimVersion = (fromShim('./package.json') as { version: string }).version;
    const [major, minor] = shimVersion.split('.').map(Number);
    if (major < 2 || (major === 2 && minor < 5)) {
        // Older shims speak to their stream in protobufjs objects, not @hyperledger/fabric-protos messages.
        throw new Error(
            `fabric-shim ${shimVersion} is not supported: the chaincode package needs fabric-shim 2.5 or later`,
        );
    }
    // Before the shim and its contract API take their loggers.
    skipMessagesBelowLevel([
        () => fromShim('./lib/logger.js'),
        () => createRequire(fromShim.resolve('fabric-contract-api'))('./lib/logger.js'),
    ]);
    const shim = fromShim(shimEntry) as Shim;
    // After the shim holds its @fidm/x509, before the package can require its own.
    cacheShimCertificateParsing(fromShim);
    return {
        shimEntry,
        shim,
        bootstrap: fromShim('./lib/contract-spi/bootstrap.js') as Bootstrap,
        ChaincodeFromContract: fromShim('./lib/contract-spi/chaincodefromcontract.js') as ChaincodeFromContract,
        // The stream carries the message classes of the protos version this shim was built with.
        protos: fromShim('@hyperledger/fabric-protos') as ShimProtos,
    };
}

async function loadChaincode(
    config: RunnerConfig,
    loaded: LoadedShim,
): Promise<{ server: ShimServer; protos: ShimProtos }> {
    const { shim, bootstrap, ChaincodeFromContract, protos } = loaded;
    const fromPackage = createRequire(path.join(config.packageDir, 'package.json'));
    // The package's own contract API, when it is another copy than the shim's, before it takes its loggers.
    skipMessagesBelowLevel([() => createRequire(fromPackage.resolve('fabric-contract-api'))('./lib/logger.js')]);
    const { contracts, serializers, title, version } = bootstrap.getInfoFromContract(config.packageDir);
    const metadata = await bootstrap.getMetadata(config.packageDir);
    const chaincode = new ChaincodeFromContract(contracts, serializers, metadata, title, version);
    // The address is required by the constructor but never bound: streams are connected directly.
    const server = shim.server(chaincode, { ccid: config.name, address: 'in-process:0' });
    return { server, protos };
}

/**
 * Loads the package the runner started with; a pooled runner first loads its shim, then waits
 * for the host's `load` message, takes its environment variables and checks that the package
 * resolves the shim it has.
 */
async function load(
    host: HostLink,
    loadMessage: () => Promise<{ config: RunnerConfig; env: Record<string, string> }>,
): Promise<{ server: ShimServer; protos: ShimProtos }> {
    const { start } = host;
    if (!('shimEntry' in start)) {
        return loadChaincode(start, loadShim(resolveShim(start.packageDir)));
    }
    const loaded = loadShim(start.shimEntry);
    host.send({ kind: 'preloaded' });
    const { config, env } = await loadMessage();
    Object.assign(process.env, env);
    const wanted = resolveShim(config.packageDir);
    if (wanted !== loaded.shimEntry) {
        throw new Error(`the package resolves ${wanted}, not the fabric-shim this runner loaded (${loaded.shimEntry})`);
    }
    return loadChaincode(config, loaded);
}

async function run(host: HostLink): Promise<void> {
    // Until the package is loaded, messages other than `load` wait (a ping among them, as they would in the port).
    let waiting: ToRunner[] | undefined = [];
    let dispatch = (message: ToRunner): void => void waiting?.push(message);
    let askedToLoad: (message: { config: RunnerConfig; env: Record<string, string> }) => void = () => undefined;
    const loadMessage = new Promise<{ config: RunnerConfig; env: Record<string, string> }>((resolve) => {
        askedToLoad = resolve;
    });
    host.onMessage((message) => (message.kind === 'load' ? askedToLoad(message) : dispatch(message)));

    let loaded: { server: ShimServer; protos: ShimProtos };
    try {
        loaded = await load(host, () => loadMessage);
    } catch (error) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        process.stderr.write(`${message}\n`);
        host.send({ kind: 'load-failed', message: error instanceof Error ? error.message : String(error) }, () =>
            process.exit(1),
        );
        return;
    }
    const { server, protos } = loaded;
    const streams = new Map<string, Duplex>();
    const outgoing = new FrameBatcher((frames) => host.send({ kind: 'shim', frames }));

    dispatch = (message) => {
        switch (message.kind) {
            case 'shim':
                for (const frame of message.frames) {
                    streams.get(frame.peerId)?.push(protos.peer.ChaincodeMessage.deserializeBinary(frame.bytes));
                }
                break;
            case 'connect': {
                const stream = peerStream(message.peerId, outgoing);
                streams.set(message.peerId, stream);
                server.connect(stream);
                break;
            }
            case 'ping':
                host.send({ kind: 'pong', id: message.id });
                break;
        }
    };
    for (const message of waiting) {
        dispatch(message);
    }
    waiting = undefined;
    host.send({ kind: 'loaded' });
}

function peerStream(peerId: string, outgoing: FrameBatcher): Duplex {
    return new Duplex({
        objectMode: true,
        read() {
            // Messages are pushed as they arrive from the host.
        },
        write(message: ShimMessage, _encoding, callback) {
            outgoing.add(peerId, message.serializeBinary());
            callback();
        },
    });
}

void run(parentPort ? workerLink(parentPort) : processLink());
