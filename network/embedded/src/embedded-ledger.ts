import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
    type DeployedChaincode,
    type EnrollOptions,
    ErrorCode,
    type Gateway,
    type IdentityInfo,
    type IdentityRef,
    type LedgerBackend,
    type LedgerMaintenance,
    type NetworkInfo,
    type ServeOptions,
    ZhelianError,
} from '@zhelian/api';
import type { ChaincodeDefinition } from './chaincode/definition';
import { chaincodeEnvironment } from './chaincode/chaincode-runtime';
import type { ChaincodeIsolation } from './chaincode/host';
import { RunnerPool } from './chaincode/runner-pool';
import { ChaincodeLogs } from './chaincode/logs';
import { connectGateway } from './client/gateway';
import { EmbeddedExplorer } from './explorer';
import { LedgerProtocols } from './grpc/fabric-protocols';
import { Committer } from './ledger/committer';
import { blockToLiveOf } from './ledger/block-updates';
import { checkDataFormat } from './ledger/data-format';
import { StateDatabase } from './ledger/couch/state-database';
import { openLedgerStore } from './ledger/open-store';
import { rebuildLedger } from './ledger/rebuild';
import type { LedgerStore } from './ledger/store';
import { pendingTamper, tamperBlock, undoTamper } from './ledger/tamper';
import type { Identity } from './msp';
import { Membership } from './msp';
import { InstalledChaincodes } from './peer/chaincode-install';
import { ChaincodeRegistry } from './peer/chaincode-registry';
import { Deliver } from './peer/deliver';
import { Endorser } from './peer/endorser';
import { GatewayService } from './peer/gateway-service';
import { ChaincodeLifecycleImpl, type DeployOptions, describeDefinition } from './peer/lifecycle';
import { LifecycleQueries } from './peer/lifecycle-queries';
import { Orderer } from './peer/orderer';
import { parseEndorsementPolicy } from './policy/endorsement-policy';
import { peerAddress } from './peer/peer-signer';
import { ChannelPolicies } from './peer/policies';
import { Qscc } from './peer/qscc';
import type { SystemChaincode } from './peer/system-chaincode';
import { DEFAULT_PROPOSAL_TIME_WINDOW_MS } from './peer/time-window';
import type { BlockCutting, Topology } from './topology';
import { loadTopology, TopologyError } from './topology';

export interface EmbeddedLedgerOptions {
    /** Where keys, certificates, the ledger and deployments live; default `ZHELIAN_DATA` or `.zhelian`. */
    dataDir?: string;
    /**
     * Whether opening may set up a new ledger (CA keys, an empty chain) when the data dir holds
     * none; default true. With false, such a data dir is refused with `NO_LEDGER` and nothing is
     * written: a mistyped `--data` must not become a new network.
     */
    create?: boolean;
    /** A topology object, a shipped topology name or a topology file; default: what the data dir was created with, else `zhelian`. */
    topology?: Topology | string;
    /** Overrides the topology's block cutting. */
    block?: Partial<BlockCutting>;
    /**
     * Overrides the topology's state database (`leveldb` or `couchdb`). A data dir keeps the one it
     * was created with: asking an existing one for the other is refused.
     */
    stateDatabase?: Topology['stateDatabase'];
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
    /**
     * Sync each block commit to disk before acknowledging it (default true), as Fabric's block
     * store does. `false` trades that durability for speed: for throwaway ledgers (benchmarks,
     * tests) only — a power loss may then take back transactions reported as committed.
     */
    syncCommits?: boolean;
    /**
     * Serve Fabric's protocols from the start (see {@link EmbeddedLedger.fabricProtocols}): each
     * organization's peer on its port with TLS, for `@hyperledger/fabric-gateway` applications.
     * Off by default: a command that only reads or submits needs no listening ports.
     */
    serve?: boolean | ServeOptions;
}

/** The parts of an open ledger, wired once by {@link EmbeddedLedger.open}. */
interface LedgerParts {
    topology: Topology;
    dataDir: string;
    store: LedgerStore;
    membership: Membership;
    chaincodes: ChaincodeRegistry;
    lifecycle: ChaincodeLifecycleImpl;
    orderer: Orderer;
    gateway: GatewayService;
    explorer: EmbeddedExplorer;
    logs: ChaincodeLogs;
    protocols: LedgerProtocols;
}

/**
 * A small, faithful Fabric in one process, and the embedded implementation of `@zhelian/api`'s
 * `LedgerBackend`: one channel, a simulated peer per organization, an orderer that cuts blocks,
 * and a committer writing to LevelDB. Chaincode runs unmodified in its own worker thread or
 * process and talks the shim protocol.
 *
 * ```ts
 * const ledger = await EmbeddedLedger.open({ dataDir: '.zhelian' });
 * await ledger.lifecycle.deploy({ packageDir: 'chaincode' });
 * const gateway = await ledger.connect({ mspId: 'MemberMSP', name: 'zheyi' });
 * ```
 */
export class EmbeddedLedger implements LedgerBackend {
    readonly kind = 'embedded';
    readonly topology: Topology;
    readonly dataDir: string;
    readonly explorer: EmbeddedExplorer;
    /**
     * Rebuilds world state, private data hashes, history and indexes from the blocks (`npx zhelian
     * rebuild`); and, for the lesson on tamper detection, changes one stored byte of a block and
     * puts it back (`npx zhelian tamper`).
     */
    readonly maintenance: LedgerMaintenance;
    /** Fabric's chaincode lifecycle, step by step, and the one-shot `deploy`. */
    readonly lifecycle: ChaincodeLifecycleImpl;
    /**
     * Fabric's Gateway and Deliver services over gRPC+TLS, one endpoint per organization's peer, and
     * the organizations' crypto material in cryptogen's layout: what an unmodified fabric-gateway
     * application needs to connect (see docs/embedded-ledger.md).
     */
    readonly fabricProtocols: LedgerProtocols;
    readonly #parts: LedgerParts;

    private constructor(parts: LedgerParts) {
        this.#parts = parts;
        this.topology = parts.topology;
        this.dataDir = parts.dataDir;
        this.explorer = parts.explorer;
        const blockToLive = blockToLiveOf((namespace) => parts.chaincodes.collections(namespace));
        this.maintenance = {
            rebuild: () => rebuildLedger(parts.store, blockToLive),
            tamperBlock: (blockNumber) => tamperBlock(parts.store, blockNumber),
            undoTamper: () => undoTamper(parts.store, blockToLive),
            pendingTamper: () => pendingTamper(parts.store),
        };
        this.lifecycle = parts.lifecycle;
        this.fabricProtocols = parts.protocols;
    }

    static async open(options: EmbeddedLedgerOptions = {}): Promise<EmbeddedLedger> {
        const dataDir = path.resolve(options.dataDir ?? process.env.ZHELIAN_DATA ?? '.zhelian');
        if (options.create === false && !existsSync(path.join(dataDir, 'ledger'))) {
            throw new ZhelianError(
                ErrorCode.NO_LEDGER,
                `no ledger in ${dataDir}: check --data (ZHELIAN_DATA); a new ledger is set up only by deploy, lifecycle package or install, or npm start`,
            );
        }
        await mkdir(dataDir, { recursive: true });
        const store = await openLedgerStore(path.join(dataDir, 'ledger'), { sync: options.syncCommits ?? true });
        let runners: RunnerPool | undefined;
        try {
            await checkDataFormat(store, dataDir);
            const created = (await store.getMeta('topology')) === undefined;
            const topology = await chooseTopology(store, dataDir, options);
            const isolation = options.chaincodeIsolation ?? 'worker';
            // A new ledger is about to deploy chaincode, one with chaincode starts it: either way the
            // runners load fabric-shim on the other core while this one issues or reads certificates.
            if (isolation === 'worker' && (created || (await ChaincodeLifecycleImpl.hasDefinitions(store)))) {
                runners = startRunners(topology);
            }
            await store.putMeta('topology', topology);
            const membership = await Membership.open(path.join(dataDir, 'msp'), topology);
            const policies = new ChannelPolicies(
                topology.orgs.map((o) => o.mspId),
                membership,
            );
            const logs = new ChaincodeLogs(path.join(dataDir, 'logs'));
            const limits = topology.queryLimits ?? {};
            const stateDatabase =
                topology.stateDatabase === 'couchdb'
                    ? await StateDatabase.couchdb(store, limits.internalQueryLimit)
                    : StateDatabase.leveldb();
            const chaincodes = new ChaincodeRegistry({
                policies,
                channel: topology.channel,
                executionTimeoutMs: options.chaincodeTimeoutMs ?? 30_000,
                isolation,
                ...(runners ? { runners } : {}),
                peers: topology.orgs.map((org) => ({ id: peerAddress(org.mspId), mspId: org.mspId })),
                output: options.chaincodeOutput ?? ((name, text) => logs.write(name, text)),
                stateDatabase,
                ...(limits.totalQueryLimit !== undefined ? { totalQueryLimit: limits.totalQueryLimit } : {}),
            });
            const lifecycle = await ChaincodeLifecycleImpl.open({
                store,
                dataDir,
                channel: topology.channel,
                orgs: topology.orgs.map((o) => o.mspId),
                defaultPolicy: topology.defaultPolicy,
                lifecycleEndorsement: topology.lifecycleEndorsement ?? 'MAJORITY Endorsement',
                policies,
                installed: await InstalledChaincodes.open(store, path.join(dataDir, 'lifecycle')),
                registry: chaincodes,
            });
            const endorser = new Endorser(
                store,
                chaincodes,
                (creator, message, signature) => membership.verifySignature(creator, message, signature),
                topology.proposalTimeWindowMs ?? DEFAULT_PROPOSAL_TIME_WINDOW_MS,
                stateDatabase,
            );
            const committer = new Committer(
                store,
                policies.validationRules(
                    (name) => chaincodes.definition(name),
                    (ns, coll) => chaincodes.collections(ns).get(coll),
                ),
                (namespace) => chaincodes.collections(namespace),
            );
            const deliver = new Deliver(store);
            const orderer = new Orderer(committer, topology.block, (block) => deliver.publish(block));
            const gateway = new GatewayService({
                channel: topology.channel,
                membership,
                endorser,
                orderer,
                policies,
                chaincodes,
                deliver,
                systemChaincodes: new Map<string, SystemChaincode>([
                    ['qscc', new Qscc(store, topology.channel)],
                    [
                        '_lifecycle',
                        new LifecycleQueries({
                            definition: (name) => chaincodes.definition(name),
                            definitions: () => chaincodes.definitions(),
                            queryCommitted: (name) => lifecycle.queryCommitted(name),
                        }),
                    ],
                ]),
                height: () => store.height,
            });
            const explorer = new EmbeddedExplorer(
                store,
                deliver,
                blockToLiveOf((namespace) => chaincodes.collections(namespace)),
            );
            const protocols = new LedgerProtocols({
                topology,
                mspDir: path.join(dataDir, 'msp'),
                store,
                membership,
                service: gateway,
                deliver,
                collections: (namespace) => chaincodes.collections(namespace),
            });
            if (options.serve) {
                await protocols.serve(options.serve === true ? {} : options.serve);
            }
            chaincodes.startAll();
            runners?.opened();
            return new EmbeddedLedger({
                topology,
                dataDir,
                store,
                membership,
                chaincodes,
                lifecycle,
                orderer,
                gateway,
                explorer,
                logs,
                protocols,
            });
        } catch (err) {
            await runners?.close();
            await store.close();
            throw err;
        }
    }

    get channel(): string {
        return this.topology.channel;
    }

    describe(): NetworkInfo {
        return {
            kind: this.kind,
            location: this.dataDir,
            channel: this.channel,
            stateDatabase: this.topology.stateDatabase ?? 'leveldb',
            organizations: this.topology.orgs.map((org) => ({
                mspId: org.mspId,
                name: org.name,
                peers: [peerAddress(org.mspId)],
            })),
            orderers: ['orderer0 (embedded)'],
            chaincodes: this.#parts.chaincodes
                .definitions()
                .map((definition) => describeDefinition(definition, this.lifecycle.packageIds(definition.name))),
        };
    }

    /** A signing identity of this network, private key included (the embedded ledger is its own wallet). */
    identity(mspId: string, name: string): Identity {
        return this.#parts.membership.identity(mspId, name);
    }

    async identities(): Promise<IdentityInfo[]> {
        return this.#parts.membership.identities().map(describeIdentity);
    }

    /** Enrolls a new participant (e.g. a workshop learner) with Fabric CA attributes. */
    async enroll(mspId: string, name: string, options: EnrollOptions = {}): Promise<IdentityInfo> {
        return describeIdentity(await this.#parts.membership.enroll(mspId, name, options));
    }

    /** A client connection acting as `identity`, shaped like fabric-gateway's `connect()`. */
    async connect(identity: IdentityRef): Promise<Gateway> {
        return this.connectWith(this.identity(identity.mspId, identity.name));
    }

    /**
     * A client connection signing with an identity the client holds itself, as fabric-gateway's
     * `connect({ identity, signer })`: the peers trust only what its certificate and signatures prove.
     */
    connectWith(identity: Identity): Gateway {
        return connectGateway(this.#parts.gateway, identity);
    }

    chaincodes(): ChaincodeDefinition[] {
        return this.#parts.chaincodes.definitions();
    }

    /**
     * Deploys (or upgrades with sequence + 1) a chaincode package through the lifecycle's steps:
     * package, install and approve for every organization, commit. See {@link ChaincodeLifecycleImpl.deploy}.
     */
    deploy(options: DeployOptions): Promise<DeployedChaincode> {
        return this.#parts.lifecycle.deploy(options);
    }

    /** Commits what is pending, stops chaincode, and closes the database. */
    async close(): Promise<void> {
        await this.#parts.protocols.close();
        await this.#parts.orderer.close();
        await this.#parts.chaincodes.close();
        await this.#parts.logs.close();
        await this.#parts.store.close();
    }
}

/**
 * Runners for the chaincode instances the ledger will start first: as many as the channel's
 * default endorsement policy asks endorsements of, each loading the fabric-shim that this
 * installation resolves (a package that resolves another starts its instances as before).
 * None when that shim cannot be found.
 */
function startRunners(topology: Topology): RunnerPool | undefined {
    let shimEntry: string;
    let size: number;
    try {
        shimEntry = require.resolve('fabric-shim');
        size = parseEndorsementPolicy(
            topology.defaultPolicy,
            topology.orgs.map((org) => org.mspId),
        ).chooseOrgs().length;
    } catch {
        return undefined;
    }
    return RunnerPool.start({ shimEntry, env: chaincodeEnvironment(), size });
}

/** The topology asked for, else the one the data dir was created with, else `zhelian`. */
async function chooseTopology(store: LedgerStore, dataDir: string, options: EmbeddedLedgerOptions): Promise<Topology> {
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
        throw new ZhelianError(
            ErrorCode.CHANNEL_MISMATCH,
            `data dir ${dataDir} holds channel ${stored.channel}; topology ${topology.name} describes channel ${topology.channel}`,
        );
    }
    // A peer's state database is chosen when it joins: the data dir keeps the one it was created
    // with, and only a topology or an option that names another one is refused.
    const asked = options.stateDatabase ?? topology.stateDatabase;
    if (stored) {
        const held = stored.stateDatabase ?? 'leveldb';
        if (asked && asked !== held) {
            throw new TopologyError(
                `data dir ${dataDir} keeps its world state for a ${held} state database; topology ${topology.name} asks for ${asked}: use another data dir (--data) for it`,
            );
        }
        if (stored.stateDatabase) {
            topology = { ...topology, stateDatabase: stored.stateDatabase };
        }
    } else if (asked) {
        topology = { ...topology, stateDatabase: asked };
    }
    return { ...topology, block: { ...topology.block, ...options.block } };
}

function describeIdentity(identity: Identity): IdentityInfo {
    return { mspId: identity.mspId, name: identity.name, role: identity.role, attrs: identity.attrs };
}
