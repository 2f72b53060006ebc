import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ClientDuplexStream, handleBidiStreamingCall, ServerDuplexStream } from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
    buildTestInvocation,
    createTestIdentity,
    type TestIdentity,
} from '../../network/embedded/test/support/test-proposal';

/**
 * The zhelian package deployed as is: the real `fabric-chaincode-node` binary runs it from
 * `chaincode/` through the package's own `start` / `server` scripts, with the arguments a peer
 * (`start`: the chaincode dials the peer) or a chaincode-as-a-service launcher (`server`: the
 * peer dials the chaincode) passes, TLS off. This test plays the peer on the gRPC wire:
 * REGISTER → REGISTERED/READY → TRANSACTION `org.hyperledger.fabric:GetMetadata` → COMPLETED.
 *
 * With ZHELIAN_TEST_STANDALONE_INSTALL=1 (needs the package registry) the same exchanges also run
 * against a copy of the package installed on its own (`npm install --omit=dev`, as Fabric's Node
 * builder does), where nothing from the workspace root (hoisted modules, `overrides`) helps.
 */

const CHAINCODE_DIR = path.resolve(__dirname, '../../chaincode');
const PACKAGE = JSON.parse(readFileSync(path.join(CHAINCODE_DIR, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
};

// Speak the wire protocol with the exact protos and gRPC library the shim uses, resolved the way
// the deployed package resolves them: from chaincode/, then from fabric-shim's own directory.
const chaincodeRequire = createRequire(path.join(CHAINCODE_DIR, 'package.json'));
const shimRequire = createRequire(chaincodeRequire.resolve('fabric-shim/package.json'));
const protosRequire = createRequire(shimRequire.resolve('@hyperledger/fabric-protos'));
const { peer } = shimRequire('@hyperledger/fabric-protos') as typeof import('@hyperledger/fabric-protos');
const grpc = protosRequire('@grpc/grpc-js') as typeof import('@grpc/grpc-js');
// The generated protobuf classes register on a process-wide `proto.protos` namespace, and the test
// proposal builder loads the embedded ledger's newer fabric-protos too, so the `peer` index may
// hand out the other version's ChaincodeMessage. The gRPC serializers check `instanceof` against
// their own module's class: take it from that module.
const { ChaincodeMessage } = protosRequire('./peer/chaincode_shim_pb.js') as Pick<typeof peer, 'ChaincodeMessage'>;

type ChaincodeMessage = InstanceType<typeof ChaincodeMessage>;
const MessageType = ChaincodeMessage.Type;
type MessageTypeValue = (typeof MessageType)[keyof typeof MessageType];
/** One chaincode conversation as either side of the gRPC call sees it. */
type ChaincodeStream =
    ClientDuplexStream<ChaincodeMessage, ChaincodeMessage> | ServerDuplexStream<ChaincodeMessage, ChaincodeMessage>;
const typeName = (type: number) =>
    Object.keys(MessageType).find((name) => MessageType[name as keyof typeof MessageType] === type) ?? String(type);

const CHANNEL = 'zhelian';
/** Loading five contracts on a busy shared machine can take a while. */
const STARTUP_MS = 60_000;
const REPLY_MS = 30_000;
const TEST_MS = 120_000;

/** The five contracts and, for each, a few transactions of record (the business rule's verbs). */
const EXPECTED_TRANSACTIONS: Record<string, string[]> = {
    einvoice: ['issueReceipt', 'lockReceipt', 'reimburseReceipt', 'verifyReceipt'],
    lottery: ['createEvent', 'register', 'draw', 'notarizeResult'],
    tea: ['processCakes', 'inspectCake', 'transferCake', 'scanCake'],
    timebank: ['postOrder', 'confirmService', 'donateToPool', 'getSupply'],
    evidence: ['depositEvidence', 'verifyEvidence', 'advanceCase', 'sealMaterial'],
};

interface ContractMetadata {
    info?: { title?: string; version?: string };
    contracts: Record<string, { name: string; transactions: { name: string }[] }>;
}

// ---------------------------------------------------------------------------------------------
// The chaincode process

/** One `npm run <script>` in the package dir, in its own process group so npm, sh and node all go. */
class ChaincodeProcess {
    readonly exited: Promise<number | null>;
    #child: ChildProcess;
    #output: string[] = [];

    constructor(packageDir: string, script: 'start' | 'server', args: string[], env: Record<string, string>) {
        // The peer's environment only: no CORE_* settings leaking in from the caller's shell.
        const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('CORE_')));
        this.#child = spawn('npm', ['run', script, '--', ...args], {
            cwd: packageDir,
            env: { ...inherited, ...env },
            detached: true,
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        for (const stream of [this.#child.stdout, this.#child.stderr]) {
            stream?.on('data', (chunk: Buffer) => this.#output.push(chunk.toString()));
        }
        // 'close', not 'exit': the last output arrives after the process has exited.
        this.exited = new Promise((resolve) => this.#child.on('close', (code) => resolve(code)));
    }

    /** The last lines the chaincode printed, for failure messages. */
    output(): string {
        return this.#output.join('').split('\n').slice(-40).join('\n');
    }

    /** Rejects when the process exits: race it against waits on the chaincode. */
    async failOnExit(): Promise<never> {
        const code = await this.exited;
        throw new Error(`chaincode process exited (code ${code}) before the exchange finished`);
    }

    async stop(): Promise<void> {
        if (this.#child.exitCode !== null || this.#child.signalCode !== null) {
            return;
        }
        this.#signal('SIGTERM');
        const gone = await Promise.race([this.exited.then(() => true), delay(10_000).then(() => false)]);
        if (!gone) {
            this.#signal('SIGKILL');
            await this.exited;
        }
        // npm may exit before its child: make sure nothing of the group survives.
        this.#signal('SIGKILL');
    }

    #signal(signal: NodeJS.Signals): void {
        try {
            process.kill(-this.#child.pid!, signal);
        } catch {
            // The group is already gone.
        }
    }
}

const running = new Set<ChaincodeProcess>();
const cleanups: (() => void)[] = [];

function startChaincode(
    packageDir: string,
    script: 'start' | 'server',
    args: string[],
    env: Record<string, string>,
): ChaincodeProcess {
    const chaincode = new ChaincodeProcess(packageDir, script, args, { CORE_PEER_TLS_ENABLED: 'false', ...env });
    running.add(chaincode);
    return chaincode;
}

afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) {
        cleanup();
    }
    await Promise.all([...running].map((chaincode) => chaincode.stop()));
    running.clear();
});

// ---------------------------------------------------------------------------------------------
// The peer's side of the conversation

/** The peer's end of one chaincode stream: messages in arrival order, taken one at a time. */
class PeerConversation {
    #stream: ChaincodeStream;
    #received: ChaincodeMessage[] = [];
    #waiting: ((message: ChaincodeMessage) => void)[] = [];
    #closed: Error | undefined;
    #onClose: ((error: Error) => void)[] = [];

    constructor(stream: ChaincodeStream) {
        this.#stream = stream;
        stream.on('data', (message: ChaincodeMessage) => {
            const waiter = this.#waiting.shift();
            if (waiter) {
                waiter(message);
            } else {
                this.#received.push(message);
            }
        });
        const close = (error: Error) => {
            this.#closed ??= error;
            this.#onClose.splice(0).forEach((reject) => reject(error));
        };
        stream.on('error', (error: Error) => close(error));
        stream.on('end', () => close(new Error('chaincode closed the stream')));
    }

    send(type: MessageTypeValue, fields: { payload?: Uint8Array; txId?: string; proposal?: Uint8Array } = {}): void {
        const message = new ChaincodeMessage();
        message.setType(type);
        message.setPayload(fields.payload ?? new Uint8Array());
        message.setTxid(fields.txId ?? '');
        message.setChannelId(fields.txId ? CHANNEL : '');
        if (fields.proposal) {
            message.setProposal(peer.SignedProposal.deserializeBinary(fields.proposal));
        }
        this.#stream.write(message);
    }

    next(timeoutMs: number): Promise<ChaincodeMessage> {
        const queued = this.#received.shift();
        if (queued) {
            return Promise.resolve(queued);
        }
        if (this.#closed) {
            return Promise.reject(this.#closed);
        }
        return new Promise((resolve, reject) => {
            const timer = setTimeout(
                () => reject(new Error(`no message from the chaincode within ${timeoutMs} ms`)),
                timeoutMs,
            );
            this.#waiting.push((message) => {
                clearTimeout(timer);
                resolve(message);
            });
            this.#onClose.push((error) => {
                clearTimeout(timer);
                reject(error);
            });
        });
    }

    end(): void {
        this.#stream.end();
    }
}

/** Takes the chaincode's REGISTER, answers REGISTERED then READY; returns the ChaincodeID name. */
async function acceptRegistration(conversation: PeerConversation): Promise<string> {
    const register = await conversation.next(REPLY_MS);
    expect(typeName(register.getType())).toBe('REGISTER');
    const chaincodeId = peer.ChaincodeID.deserializeBinary(register.getPayload_asU8());
    conversation.send(MessageType.REGISTERED);
    conversation.send(MessageType.READY);
    return chaincodeId.getName();
}

/** Sends the TRANSACTION a peer sends to read contract metadata; returns the parsed payload. */
async function queryMetadata(conversation: PeerConversation, identity: TestIdentity): Promise<ContractMetadata> {
    const fn = 'org.hyperledger.fabric:GetMetadata';
    const invocation = buildTestInvocation({ identity, channelId: CHANNEL, chaincodeName: PACKAGE.name, args: [fn] });
    const input = new peer.ChaincodeInput();
    input.setArgsList(invocation.args);
    conversation.send(MessageType.TRANSACTION, {
        payload: input.serializeBinary(),
        txId: invocation.txId,
        proposal: invocation.signedProposal,
    });

    const reply = await conversation.next(REPLY_MS);
    const response = peer.Response.deserializeBinary(reply.getPayload_asU8());
    expect({ type: typeName(reply.getType()), txId: reply.getTxid(), message: response.getMessage() }).toEqual({
        type: 'COMPLETED',
        txId: invocation.txId,
        message: '',
    });
    expect(response.getStatus()).toBe(200);
    return JSON.parse(Buffer.from(response.getPayload_asU8()).toString('utf8')) as ContractMetadata;
}

/** The whole peer-side exchange on a fresh stream; returns what the chaincode registered as. */
async function runPeerExchange(
    chaincode: ChaincodeProcess,
    stream: Promise<ChaincodeStream>,
    identity: TestIdentity,
): Promise<{ registeredAs: string; metadata: ContractMetadata }> {
    const exchange = async () => {
        const conversation = new PeerConversation(await stream);
        try {
            const registeredAs = await acceptRegistration(conversation);
            return { registeredAs, metadata: await queryMetadata(conversation, identity) };
        } finally {
            conversation.end();
        }
    };
    try {
        return await Promise.race([exchange(), chaincode.failOnExit()]);
    } catch (error) {
        // Keep the original error (an assertion keeps its diff); add what the chaincode printed.
        (error as Error).message += `\n--- chaincode output (last lines) ---\n${chaincode.output()}`;
        throw error;
    }
}

function expectAllContracts(metadata: ContractMetadata): void {
    expect(metadata.info).toMatchObject({ title: PACKAGE.name, version: PACKAGE.version });
    expect(Object.keys(metadata.contracts)).toEqual(expect.arrayContaining(Object.keys(EXPECTED_TRANSACTIONS)));
    for (const [contract, transactions] of Object.entries(EXPECTED_TRANSACTIONS)) {
        const names = metadata.contracts[contract].transactions.map((transaction) => transaction.name);
        expect(names, contract).toEqual(expect.arrayContaining(transactions));
    }
}

// ---------------------------------------------------------------------------------------------
// gRPC plumbing

function delay(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

async function freePort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
}

/** `server` mode: dial the chaincode as the peer does, once it listens, and open `Connect`. */
async function dialChaincode(address: string): Promise<ChaincodeStream> {
    const client = new peer.ChaincodeClient(address, grpc.credentials.createInsecure(), {
        'grpc.initial_reconnect_backoff_ms': 100,
        'grpc.max_reconnect_backoff_ms': 500,
    });
    cleanups.push(() => client.close());
    await new Promise<void>((resolve, reject) =>
        client.waitForReady(Date.now() + STARTUP_MS, (error) => (error ? reject(error) : resolve())),
    );
    return client.connect();
}

/** `start` mode: a peer's ChaincodeSupport service on a free port; resolves each chaincode's `Register` stream. */
async function listenAsPeer(): Promise<{ address: string; registration: Promise<ChaincodeStream> }> {
    const server = new grpc.Server();
    let accept!: (stream: ChaincodeStream) => void;
    const registration = new Promise<ChaincodeStream>((resolve) => (accept = resolve));
    const register: handleBidiStreamingCall<ChaincodeMessage, ChaincodeMessage> = (stream) => accept(stream);
    server.addService(peer.ChaincodeSupportService, { register });
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
            error ? reject(error) : resolve(bound),
        ),
    );
    cleanups.push(() => server.forceShutdown());
    return { address: `127.0.0.1:${port}`, registration };
}

// ---------------------------------------------------------------------------------------------

/** Both ways a peer runs Node chaincode, each configured by flags and by environment. */
function describeDeployment(where: string, packageDir: () => string): void {
    describe(`the ${PACKAGE.name} chaincode package ${where}, run by fabric-chaincode-node`, () => {
        let identity: TestIdentity;

        beforeAll(async () => {
            identity = await createTestIdentity('MemberMSP', 'deploy-check');
        });

        // A CCaaS package id looks like `<label>:<sha256 of the package>`.
        const packageId = `${PACKAGE.name}_${PACKAGE.version}:${createHash('sha256').update(PACKAGE.name).digest('hex')}`;

        it.each([
            {
                how: 'flags, as a CCaaS launcher passes them',
                launch: (address: string) => ({
                    args: ['--chaincode-address', address, '--chaincode-id', packageId],
                    env: {},
                }),
            },
            {
                how: 'CORE_CHAINCODE_ADDRESS / CORE_CHAINCODE_ID environment only',
                launch: (address: string) => ({
                    args: [],
                    env: { CORE_CHAINCODE_ADDRESS: address, CORE_CHAINCODE_ID: packageId },
                }),
            },
        ])(
            'server (chaincode as a service), configured by $how: the peer dials in, gets REGISTER and the five contracts',
            async ({ launch }) => {
                const address = `127.0.0.1:${await freePort()}`;
                const { args, env } = launch(address);
                const chaincode = startChaincode(packageDir(), 'server', args, env);

                const { registeredAs, metadata } = await runPeerExchange(chaincode, dialChaincode(address), identity);

                expect(registeredAs).toBe(packageId);
                expectAllContracts(metadata);
            },
            TEST_MS,
        );

        it.each([
            {
                how: 'flags',
                launch: (address: string) => ({
                    args: ['--peer.address', address, '--chaincode-id-name', 'zhelian:1.0'],
                    env: {},
                }),
            },
            {
                how: 'CORE_CHAINCODE_ID_NAME, as the peer launches Node chaincode',
                launch: (address: string) => ({
                    args: [`--peer.address=${address}`],
                    env: { CORE_CHAINCODE_ID_NAME: 'zhelian:1.0' },
                }),
            },
        ])(
            'start (chaincode dials the peer), configured by $how: REGISTER names zhelian:1.0 and the five contracts answer',
            async ({ launch }) => {
                const { address, registration } = await listenAsPeer();
                const { args, env } = launch(address);
                const chaincode = startChaincode(packageDir(), 'start', args, env);

                const { registeredAs, metadata } = await runPeerExchange(chaincode, registration, identity);

                expect(registeredAs).toBe('zhelian:1.0');
                expectAllContracts(metadata);
            },
            TEST_MS,
        );
    });
}

describeDeployment('in the workspace (chaincode/, as the native network runs it)', () => CHAINCODE_DIR);

/** A copy of what a chaincode package ships (sources aside), installed alone. */
async function installStandalone(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'zhelian-chaincode-'));
    try {
        for (const entry of ['package.json', 'dist', 'collections_config.json']) {
            await cp(path.join(CHAINCODE_DIR, entry), path.join(dir, entry), { recursive: true });
        }
        await promisify(execFile)('npm', ['install', '--omit=dev', '--no-audit', '--no-fund'], {
            cwd: dir,
            timeout: 300_000,
        });
        return dir;
    } catch (error) {
        await rm(dir, { recursive: true, force: true });
        throw error;
    }
}

describe.runIf(process.env.ZHELIAN_TEST_STANDALONE_INSTALL === '1')('standalone install', () => {
    let dir = '';
    beforeAll(async () => {
        dir = await installStandalone();
    }, 300_000);
    afterAll(async () => {
        if (dir) {
            await rm(dir, { recursive: true, force: true });
        }
    });

    describeDeployment('installed on its own (npm install --omit=dev)', () => dir);
});
