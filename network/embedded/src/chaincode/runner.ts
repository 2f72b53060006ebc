/**
 * The chaincode side of a chaincode host, run in its own worker thread or child process (one per
 * chaincode, because fabric-contract-api keeps its decorator metadata on `global`).
 *
 * It loads the package with the fabric-shim that the package itself resolves, exactly as
 * `fabric-chaincode-node server` bootstraps it, builds the shim's chaincode server without
 * starting gRPC, and connects one in-memory stream per peer. The shim's `ChaincodeMessage`
 * objects cross to the host as their serialized bytes, over `parentPort` in a worker and over
 * Node IPC in a child process; everything else is the same in both.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Duplex } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { FrameBatcher, type FromRunner, type RunnerConfig, type ToRunner } from './ipc';
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

/** The runner's end of the channel to its host. */
interface HostLink {
    readonly config: RunnerConfig;
    /** Sends a message; `sent` runs once it has left (so the runner may exit after it). */
    send(message: FromRunner, sent?: () => void): void;
    onMessage(listener: (message: ToRunner) => void): void;
}

/** In a worker thread: the config is the worker's data; messages posted before exit still arrive. */
function workerLink(port: NonNullable<typeof parentPort>): HostLink {
    return {
        config: workerData as RunnerConfig,
        send: (message, sent) => {
            port.postMessage(message);
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
        config: JSON.parse(process.argv[2] ?? '{}') as RunnerConfig,
        send: (message, sent) => (sent ? process.send?.(message, sent) : process.send?.(message)),
        onMessage: (listener) => process.on('message', listener),
    };
}

async function loadChaincode(config: RunnerConfig): Promise<{ server: ShimServer; protos: ShimProtos }> {
    const fromPackage = createRequire(path.join(config.packageDir, 'package.json'));
    const shimEntry = fromPackage.resolve('fabric-shim');
    const fromShim = createRequire(shimEntry);
    const shimVersion = (fromShim('./package.json') as { version: string }).version;
    const [major, minor] = shimVersion.split('.').map(Number);
    if (major < 2 || (major === 2 && minor < 5)) {
        // Older shims speak to their stream in protobufjs objects, not @hyperledger/fabric-protos messages.
        throw new Error(
            `fabric-shim ${shimVersion} is not supported: the chaincode package needs fabric-shim 2.5 or later`,
        );
    }
    // Before the shim and the contract API (the package's, and the shim's if it is another) take their loggers.
    skipMessagesBelowLevel([
        () => fromShim('./lib/logger.js'),
        ...[fromPackage, fromShim].map(
            (from) => () => createRequire(from.resolve('fabric-contract-api'))('./lib/logger.js'),
        ),
    ]);
    const shim = fromShim(shimEntry) as Shim;
    // After the shim holds its @fidm/x509, before the package can require its own.
    cacheShimCertificateParsing(fromShim);
    const bootstrap = fromShim('./lib/contract-spi/bootstrap.js') as Bootstrap;
    const ChaincodeFromContract = fromShim('./lib/contract-spi/chaincodefromcontract.js') as ChaincodeFromContract;
    // The stream carries the message classes of the protos version this shim was built with.
    const protos = fromShim('@hyperledger/fabric-protos') as ShimProtos;

    const { contracts, serializers, title, version } = bootstrap.getInfoFromContract(config.packageDir);
    const metadata = await bootstrap.getMetadata(config.packageDir);
    const chaincode = new ChaincodeFromContract(contracts, serializers, metadata, title, version);
    // The address is required by the constructor but never bound: streams are connected directly.
    const server = shim.server(chaincode, { ccid: config.name, address: 'in-process:0' });
    return { server, protos };
}

async function run(host: HostLink): Promise<void> {
    let loaded: { server: ShimServer; protos: ShimProtos };
    try {
        loaded = await loadChaincode(host.config);
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

    host.onMessage((message) => {
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
    });
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
