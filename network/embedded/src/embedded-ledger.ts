import { X509Certificate } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, type WriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { msp } from '@hyperledger/fabric-protos';
import type { ChaincodeDefinition } from './chaincode/definition';
import type { ChaincodeHost } from './chaincode/host';
import { startChaincode, type ChaincodeIsolation } from './chaincode/host';
import type { Gateway } from './gateway/api';
import { connectGateway } from './gateway/client';
import type { Block, ProposalResponsePayload, TransactionEnvelope } from './ledger/block';
import { computeCommitHash, computeDataHash, computeHeaderHash } from './ledger/block';
import { validationCodeName } from './ledger/codes';
import type { CollectionConfigJson, CollectionDefinition } from './ledger/collections';
import type { CommittedBlock } from './ledger/committer';
import { Committer } from './ledger/committer';
import { decodeRecord } from './ledger/encoding';
import { LedgerStore } from './ledger/store';
import type { Identity } from './msp';
import { Membership } from './msp';
import { Endorser } from './peer/endorser';
import { Orderer } from './peer/orderer';
import { ChannelPolicies } from './peer/policies';
import type { BlockCutting, Topology } from './topology';
import { loadTopology } from './topology';

export interface EmbeddedLedgerOptions {
    /** Where keys, certificates, the ledger and deployments live; default `ZHELIAN_DATA` or `.zhelian`. */
    dataDir?: string;
    /** A topology object, a shipped topology name or a topology file; default: what the data dir was created with, else `zhelian`. */
    topology?: Topology | string;
    /** Overrides the topology's block cutting. */
    block?: Partial<BlockCutting>;
    /** How long one chaincode execution may take; default 30 s. */
    chaincodeTimeoutMs?: number;
    /**
     * Where chaincode processes' stdout and stderr go. Default: `<dataDir>/logs/<chaincode>.log`,
     * as a peer keeps chaincode logs apart from what clients see.
     */
    chaincodeOutput?: (chaincodeName: string, text: string) => void;
    /**
     * `worker` (default): each chaincode in its own worker thread — faster and lighter.
     * `process`: each in its own child process — stronger isolation for chaincode you do not trust.
     */
    chaincodeIsolation?: ChaincodeIsolation;
}

export interface DeployOptions {
    packageDir: string;
    /** Default: the package.json name. */
    name?: string;
    /** Default: the topology's default policy (`MAJORITY Endorsement`). */
    policy?: string;
    /** Fabric collections config, as an array or a JSON file path. */
    collections?: CollectionConfigJson[] | string;
}

/** A transaction as the explorer shows it: proposal, endorsements, ordering and verdict. */
export interface TransactionDetails {
    txId: string;
    blockNumber: number;
    txNum: number;
    validationCode: number;
    validationCodeName: string;
    timestamp: string;
    creator: { mspId: string; subject: string };
    chaincodeName: string;
    args: string[];
    endorsers: string[];
    response: { status: number; message: string; payload: string };
    event: { eventName: string; payload: string } | null;
    rwset: ProposalResponsePayload['rwset'];
}

export interface ChainProblem {
    blockNumber: number;
    reason: string;
}

export interface ChainVerification {
    ok: boolean;
    height: number;
    problems: ChainProblem[];
}

/** Raised for misuse of the ledger itself: data dir in use, unknown chaincode, bad deployment. */
export class LedgerError extends Error {
    override name = 'LedgerError';
}

/**
 * A small, faithful Fabric in one process: one channel, a simulated peer per organization,
 * an orderer that cuts blocks, and a committer writing to LevelDB. Chaincode runs unmodified in
 * its own process and talks the shim protocol.
 *
 * ```ts
 * const ledger = await EmbeddedLedger.open({ dataDir: '.zhelian' });
 * await ledger.deploy({ packageDir: 'chaincode' });
 * const gateway = ledger.connect(ledger.identity('MemberMSP', 'zheyi'));
 * ```
 */
export class EmbeddedLedger {
    readonly topology: Topology;
    readonly dataDir: string;
    readonly #membership: Membership;
    readonly #store: LedgerStore;
    readonly #definitions: Map<string, ChaincodeDefinition>;
    readonly #collections = new Map<string, Map<string, CollectionDefinition>>();
    readonly #hosts = new Map<string, Promise<ChaincodeHost>>();
    readonly #policies: ChannelPolicies;
    readonly #endorser: Endorser;
    readonly #orderer: Orderer;
    readonly #blockListeners = new Set<(block: CommittedBlock) => void>();
    readonly #chaincodeTimeoutMs: number;
    readonly #chaincodeOutput: (chaincodeName: string, text: string) => void;
    readonly #chaincodeIsolation: ChaincodeIsolation;
    readonly #logs = new Map<string, WriteStream>();

    private constructor(init: {
        topology: Topology;
        dataDir: string;
        membership: Membership;
        store: LedgerStore;
        definitions: ChaincodeDefinition[];
        chaincodeTimeoutMs: number;
        chaincodeOutput?: (chaincodeName: string, text: string) => void;
        chaincodeIsolation: ChaincodeIsolation;
    }) {
        this.topology = init.topology;
        this.dataDir = init.dataDir;
        this.#membership = init.membership;
        this.#store = init.store;
        this.#chaincodeTimeoutMs = init.chaincodeTimeoutMs;
        this.#chaincodeIsolation = init.chaincodeIsolation;
        this.#chaincodeOutput = init.chaincodeOutput ?? ((name, text) => this.#logFile(name).write(text));
        this.#definitions = new Map(init.definitions.map((d) => [d.name, d]));
        this.#policies = new ChannelPolicies(
            init.topology.orgs.map((o) => o.mspId),
            this.#membership,
        );
        for (const definition of init.definitions) {
            this.#indexCollections(definition);
        }
        this.#endorser = new Endorser(
            this.#store,
            { host: (name) => this.#host(name), collections: (name) => this.#collections.get(name) ?? new Map() },
            (creator, message, signature) => this.#membership.verifySignature(creator, message, signature),
        );
        const committer = new Committer(
            this.#store,
            this.#policies.validationRules(
                (name) => this.#definitions.get(name),
                (ns, coll) => this.#collections.get(ns)?.get(coll),
            ),
        );
        this.#orderer = new Orderer(committer, init.topology.block, (block) => {
            for (const listener of this.#blockListeners) {
                listener(block);
            }
        });
    }

    static async open(options: EmbeddedLedgerOptions = {}): Promise<EmbeddedLedger> {
        const dataDir = path.resolve(options.dataDir ?? process.env.ZHELIAN_DATA ?? '.zhelian');
        await mkdir(dataDir, { recursive: true });
        let store: LedgerStore;
        try {
            store = await LedgerStore.open(path.join(dataDir, 'ledger'));
        } catch (err) {
            throw new LedgerError(
                `cannot open the ledger in ${dataDir}: ${(err as Error).cause ? ((err as Error).cause as Error).message : (err as Error).message} (is another zhelian process using this data dir?)`,
            );
        }
        try {
            const stored = await store.getMeta<Topology>('topology');
            let topology: Topology;
            if (typeof options.topology === 'object') {
                topology = options.topology;
            } else if (options.topology) {
                topology = await loadTopology(options.topology);
            } else {
                topology = stored ?? (await loadTopology('zhelian'));
            }
            if (stored && stored.channel !== topology.channel) {
                throw new LedgerError(
                    `data dir ${dataDir} holds channel ${stored.channel}; topology ${topology.name} describes channel ${topology.channel}`,
                );
            }
            topology = { ...topology, block: { ...topology.block, ...options.block } };
            await store.putMeta('topology', topology);
            const membership = await Membership.open(path.join(dataDir, 'msp'), topology);
            const definitions = (await store.getMeta<ChaincodeDefinition[]>('chaincodes')) ?? [];
            const ledger = new EmbeddedLedger({
                topology,
                dataDir,
                membership,
                store,
                definitions,
                chaincodeTimeoutMs: options.chaincodeTimeoutMs ?? 30_000,
                chaincodeIsolation: options.chaincodeIsolation ?? 'worker',
                ...(options.chaincodeOutput ? { chaincodeOutput: options.chaincodeOutput } : {}),
            });
            for (const definition of definitions) {
                // Start deployed chaincode in the background; the first transaction waits for it.
                ledger.#host(definition.name).catch(() => undefined);
            }
            return ledger;
        } catch (err) {
            await store.close();
            throw err;
        }
    }

    get channel(): string {
        return this.topology.channel;
    }

    /** Number of committed blocks. */
    get height(): number {
        return this.#store.height;
    }

    identity(mspId: string, name: string): Identity {
        return this.#membership.identity(mspId, name);
    }

    identities(): Identity[] {
        return this.#membership.identities();
    }

    /** Enrolls a new participant (e.g. a workshop learner) with Fabric CA attributes. */
    enroll(
        mspId: string,
        name: string,
        options: { role?: 'client' | 'admin'; attrs?: Record<string, string> } = {},
    ): Promise<Identity> {
        return this.#membership.enroll(mspId, name, options);
    }

    chaincodes(): ChaincodeDefinition[] {
        return [...this.#definitions.values()];
    }

    /**
     * Deploys (or upgrades) a chaincode package: starts it, checks that it answers, and records
     * the definition so that a restart brings it back.
     */
    async deploy(options: DeployOptions): Promise<ChaincodeDefinition> {
        const packageDir = path.resolve(options.packageDir);
        const manifestPath = path.join(packageDir, 'package.json');
        if (!existsSync(manifestPath)) {
            throw new LedgerError(`${packageDir} is not a chaincode package: it has no package.json`);
        }
        const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { name?: string };
        const name = options.name ?? manifest.name;
        if (!name || !/^[A-Za-z0-9_-]+$/.test(name)) {
            throw new LedgerError(
                `chaincode name ${JSON.stringify(name)} is invalid: use letters, digits, dashes and underscores`,
            );
        }
        const collections =
            typeof options.collections === 'string'
                ? await readCollections(options.collections)
                : (options.collections ?? []);
        const policy = options.policy ?? this.topology.defaultPolicy;
        this.#policies.checkPolicy(policy);
        const previous = this.#definitions.get(name);
        const definition: ChaincodeDefinition = {
            name,
            packageDir,
            policy,
            collections,
            sequence: (previous?.sequence ?? 0) + 1,
        };
        const collectionMap = this.#policies.collectionDefinitions(collections);

        const oldHost = this.#hosts.get(name);
        this.#hosts.delete(name);
        if (oldHost) {
            await (await oldHost.catch(() => undefined))?.close();
        }
        this.#definitions.set(name, definition);
        this.#collections.set(name, collectionMap);
        try {
            await this.#host(name);
        } catch (err) {
            this.#hosts.delete(name);
            if (previous) {
                this.#definitions.set(name, previous);
                this.#indexCollections(previous);
            } else {
                this.#definitions.delete(name);
                this.#collections.delete(name);
            }
            throw err;
        }
        await this.#store.putMeta('chaincodes', [...this.#definitions.values()]);
        return definition;
    }

    /** A client connection acting as `identity`, shaped like fabric-gateway's `connect()`. */
    connect(identity: Identity): Gateway {
        return connectGateway({
            identity,
            channel: this.channel,
            membership: this.#membership,
            endorser: this.#endorser,
            orderer: this.#orderer,
            policies: this.#policies,
            definition: (name) => this.#definitions.get(name),
            collections: (name) => this.#collections.get(name) ?? new Map(),
            onBlock: (listener) => this.onBlock(listener),
            blocksFrom: (start) => this.#committedBlocksFrom(start),
        });
    }

    /** Calls `listener` after each block commits; returns a function that stops it. */
    onBlock(listener: (block: CommittedBlock) => void): () => void {
        this.#blockListeners.add(listener);
        return () => this.#blockListeners.delete(listener);
    }

    async getBlock(blockNumber: number): Promise<Block | undefined> {
        return this.#store.getBlock(blockNumber);
    }

    async getTransaction(txId: string): Promise<TransactionDetails | undefined> {
        const location = await this.#store.getTxLocation(txId);
        if (!location) {
            return undefined;
        }
        const block = await this.#store.getBlock(location.blockNum);
        if (!block) {
            return undefined;
        }
        return describeTransaction(block, location.txNum);
    }

    /** Every transaction of a block, decoded. */
    async getBlockTransactions(blockNumber: number): Promise<TransactionDetails[]> {
        const block = await this.#store.getBlock(blockNumber);
        return block ? block.data.map((_, txNum) => describeTransaction(block, txNum)) : [];
    }

    /**
     * Recomputes every block's data hash, the hash chain of headers and the chain of commit
     * hashes, reporting each block whose stored bytes no longer match.
     */
    async verifyChain(): Promise<ChainVerification> {
        const problems: ChainProblem[] = [];
        let previousHeaderHash = '';
        let previousCommitHash = '';
        for (let n = 0; n < this.#store.height; n++) {
            let block: Block | undefined;
            try {
                block = await this.#store.getBlock(n);
            } catch (err) {
                problems.push({ blockNumber: n, reason: `block cannot be decoded: ${(err as Error).message}` });
                previousHeaderHash = '';
                continue;
            }
            if (!block) {
                problems.push({ blockNumber: n, reason: 'block is missing' });
                continue;
            }
            const reasons: string[] = [];
            if (block.header.number !== n) {
                reasons.push(`header says block ${block.header.number}`);
            }
            if (computeDataHash(block.data) !== block.header.dataHash) {
                reasons.push('data hash does not match the transactions');
            }
            if (n > 0 && previousHeaderHash !== '' && block.header.previousHash !== previousHeaderHash) {
                reasons.push('previous hash does not match block ' + (n - 1));
            }
            const headerHash = computeHeaderHash(block.header);
            if (
                computeCommitHash(
                    previousCommitHash,
                    headerHash,
                    block.metadata.validationCodes,
                    block.metadata.committedAt,
                ) !== block.metadata.commitHash
            ) {
                reasons.push('commit hash does not match the validation codes');
            }
            if (reasons.length > 0) {
                problems.push({ blockNumber: n, reason: reasons.join('; ') });
            }
            previousHeaderHash = headerHash;
            previousCommitHash = block.metadata.commitHash;
        }
        if (this.#store.height > 0 && previousHeaderHash !== '' && previousHeaderHash !== this.#store.lastHeaderHash) {
            problems.push({
                blockNumber: this.#store.height - 1,
                reason: 'header hash does not match the recorded chain tip',
            });
        }
        return { ok: problems.length === 0, height: this.#store.height, problems };
    }

    /** Commits what is pending, stops chaincode processes and closes the database. */
    async close(): Promise<void> {
        await this.#orderer.close();
        const hosts = [...this.#hosts.values()];
        this.#hosts.clear();
        await Promise.all(hosts.map(async (host) => (await host.catch(() => undefined))?.close()));
        await Promise.all([...this.#logs.values()].map((log) => new Promise((resolve) => log.end(resolve))));
        this.#logs.clear();
        await this.#store.close();
    }

    /** The raw store, for integrity tests that tamper with what is on disk. */
    get store(): LedgerStore {
        return this.#store;
    }

    async *#committedBlocksFrom(start: number): AsyncIterable<Block> {
        for (let n = start; n < this.#store.height; n++) {
            const block = await this.#store.getBlock(n);
            if (block) {
                yield block;
            }
        }
    }

    #host(name: string): Promise<ChaincodeHost> {
        let host = this.#hosts.get(name);
        if (!host) {
            const definition = this.#definitions.get(name);
            if (!definition) {
                return Promise.reject(new LedgerError(`chaincode ${name} is not deployed on channel ${this.channel}`));
            }
            host = startChaincode({
                name,
                packageDir: definition.packageDir,
                executionTimeoutMs: this.#chaincodeTimeoutMs,
                isolation: this.#chaincodeIsolation,
                output: (text) => this.#chaincodeOutput(name, text),
            });
            host.catch(() => this.#hosts.delete(name));
            this.#hosts.set(name, host);
        }
        return host;
    }

    #logFile(chaincodeName: string): WriteStream {
        let log = this.#logs.get(chaincodeName);
        if (!log) {
            const dir = path.join(this.dataDir, 'logs');
            mkdirSync(dir, { recursive: true });
            log = createWriteStream(path.join(dir, `${chaincodeName}.log`), { flags: 'a' });
            this.#logs.set(chaincodeName, log);
        }
        return log;
    }

    #indexCollections(definition: ChaincodeDefinition): void {
        this.#collections.set(definition.name, this.#policies.collectionDefinitions(definition.collections));
    }
}

async function readCollections(file: string): Promise<CollectionConfigJson[]> {
    try {
        return JSON.parse(await readFile(file, 'utf8')) as CollectionConfigJson[];
    } catch (err) {
        throw new LedgerError(`cannot read collections config ${file}: ${(err as Error).message}`);
    }
}

function describeTransaction(block: Block, txNum: number): TransactionDetails {
    const envelope = decodeRecord<TransactionEnvelope>(block.data[txNum]);
    const payload = decodeRecord<ProposalResponsePayload>(envelope.responsePayload);
    const code = block.metadata.validationCodes[txNum];
    return {
        txId: envelope.txId,
        blockNumber: block.header.number,
        txNum,
        validationCode: code,
        validationCodeName: validationCodeName(code),
        timestamp: new Date(
            envelope.timestamp.seconds * 1000 + Math.floor(envelope.timestamp.nanos / 1e6),
        ).toISOString(),
        creator: describeIdentity(envelope.creator),
        chaincodeName: envelope.chaincodeName,
        args: envelope.args.map((arg) => Buffer.from(arg).toString('utf8')),
        endorsers: envelope.endorsements.map((e) => describeIdentity(e.endorser).mspId),
        response: {
            status: payload.response.status,
            message: payload.response.message,
            payload: Buffer.from(payload.response.payload).toString('utf8'),
        },
        event: payload.event
            ? { eventName: payload.event.eventName, payload: Buffer.from(payload.event.payload).toString('utf8') }
            : null,
        rwset: payload.rwset,
    };
}

function describeIdentity(serialized: Uint8Array): { mspId: string; subject: string } {
    const identity = msp.SerializedIdentity.deserializeBinary(serialized);
    const pem = Buffer.from(identity.getIdBytes_asU8()).toString('utf8');
    let subject = '';
    try {
        subject = new X509Certificate(pem).subject.replace(/\n/g, ', ');
    } catch {
        subject = '(unreadable certificate)';
    }
    return { mspId: identity.getMspid(), subject };
}
