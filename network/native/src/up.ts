import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Contract } from '@zhelian/api';
import { FabricBackend, type FabricConnection, readConnection } from '@zhelian/fabric';
import { createArtifacts, writeNodeConfig } from './artifacts';
import { fabricBinaries } from './binaries';
import { joinChannel } from './channel';
import { NativeNetworkError } from './errors';
import { type Ordering, ordererCrypto, ordererNodes, orgCrypto } from './nodes';
import { REPO_ROOT, type RunDir } from './paths';
import { listProcesses } from './processes';
import { checkPortsFree, describePorts, planPorts } from './ports';
import type { Progress } from './progress';
import { nativeRunner, type NodeRunner } from './runner';
import { type NetworkState, readRawConnection, readState, writeConnection, writeState } from './state';
import { type NativeOrg, zhelianTopology } from './topology';

export interface UpOptions {
    run: RunDir;
    progress: Progress;
    fabricVersion: string;
    portBase: number;
    /** configtx.yaml's BatchTimeout for a new channel, e.g. `250ms`. */
    batchTimeout: string;
    /** Processes of this machine (the default) or containers. */
    runner?: NodeRunner;
    /** A new network's ordering service: one Raft node (the default), or BFT with one node per organization. */
    ordering?: Ordering;
    /** A new network's state database: LevelDB (the default), or CouchDB, which only the Docker network runs. */
    stateDatabase?: 'leveldb' | 'couchdb';
}

/** The zhelian chaincode, run by one chaincode server for the whole network. */
export const ZHELIAN_CHAINCODE = { packageDir: path.join(REPO_ROOT, 'chaincode'), label: 'zhelian' };

/**
 * Brings the native network up, or resumes a kept one: crypto material, the channel's genesis
 * block, one Raft orderer (or four BFT orderers, one per organization) and one peer per
 * organization (TLS, LevelDB), the channel joined through
 * osnadmin and the peer CLI, every topology user's certificate, the zhelian chaincode as a service
 * deployed through the lifecycle, and a check that the peers endorse it with the channel's policy.
 */
export async function up(options: UpOptions): Promise<FabricConnection> {
    const { run, progress, runner = nativeRunner } = options;
    const topology = await zhelianTopology();
    const previous = await readState(run);
    const running = (await listProcesses(run)).filter((p) => p.alive);
    if (previous && running.length > 0) {
        throw new NativeNetworkError(
            `A network is already running from ${run.root} (${running.map((p) => p.name).join(', ')}): ` +
                '`npm run network:status` shows it, `npm run network:down` stops it',
        );
    }
    try {
        return await bringUp(options, topology, previous, runner);
    } catch (err) {
        // Nothing of this network ran before (checked above): stop all that this `up` started.
        progress.step('up failed: stopping what it started (ledgers are kept)');
        await runner.stopAll(run).catch(() => undefined);
        throw err;
    }
}

async function bringUp(
    options: UpOptions,
    topology: Awaited<ReturnType<typeof zhelianTopology>>,
    previous: NetworkState | undefined,
    runner: NodeRunner,
): Promise<FabricConnection> {
    const { run, progress } = options;
    const binaries = await fabricBinaries({
        version: previous?.fabricVersion ?? options.fabricVersion,
        repoRoot: REPO_ROOT,
        progress,
    });
    const ordering = previous?.ordering ?? options.ordering ?? 'etcdraft';
    const ports =
        previous?.ports ??
        planPorts(
            topology.orgs.map((o) => o.mspId),
            options.portBase,
            ordererNodes(ordering, topology.orgs).length,
        );
    // A resumed network restarts every chaincode server it had, on the same addresses.
    const servers = [
        { ...ZHELIAN_CHAINCODE, port: ports.chaincodeServers },
        ...((previous && (await readRawConnection(run))?.chaincodeServers) ?? [])
            .filter((server) => server.label !== ZHELIAN_CHAINCODE.label)
            .map((server) => ({
                packageDir: server.packageDir,
                label: server.label,
                port: Number(server.address.split(':')[1]),
                mspId: server.mspId,
            })),
    ];
    await checkPortsFree([
        ...describePorts(ports),
        ...servers.map((server) => ({ port: server.port, use: `the ${server.label} chaincode server` })),
    ]);
    const state: NetworkState = previous ?? {
        fabricVersion: binaries.version,
        binDir: binaries.dir,
        ports,
        channel: topology.channel,
        batchTimeout: options.batchTimeout,
        ordering,
        stateDatabase: options.stateDatabase ?? 'leveldb',
    };
    state.binDir = binaries.dir;
    const fresh = !previous || !existsSync(run.channelBlock);
    if (fresh) {
        await createArtifacts(run, state, topology.orgs, progress);
    } else {
        progress.step(`Resuming the network kept in ${run.root} (Fabric ${state.fabricVersion}, ${state.ordering})`);
        if (options.ordering && options.ordering !== state.ordering) {
            progress.step(`It keeps its ${state.ordering} ordering: \`network:down -- --wipe\` first for a new one`);
        }
        const held = state.stateDatabase ?? 'leveldb';
        if (options.stateDatabase && options.stateDatabase !== held) {
            progress.step(`It keeps its ${held} state database: \`network:down -- --wipe\` first for a new one`);
        }
    }
    await writeState(run, state);
    await writeNodeConfig(run, state.fabricVersion);

    progress.step(`Starting the orderer, the peers and the zhelian chaincode server (${runner.runtime})`);
    await runner.startNodes(run, state, topology.orgs);
    const chaincodeServers = Promise.all(servers.map((server) => runner.startChaincodeServer(run, server)));
    try {
        await joinChannel(run, state, topology.orgs, fresh, progress);
        const connection = await describeNetwork(run, state, topology, await chaincodeServers, runner.runtime);
        await writeConnection(run, connection);
        await issueIdentities(run, topology.orgs, progress);
        await deployZhelian(run, progress);
        return readConnection(run.connectionFile);
    } catch (err) {
        await chaincodeServers.catch(() => undefined);
        throw err;
    }
}

async function describeNetwork(
    run: RunDir,
    state: NetworkState,
    topology: { channel: string; defaultPolicy: string; orgs: NativeOrg[] },
    servers: FabricConnection['chaincodeServers'],
    runtime: FabricConnection['runtime'],
): Promise<FabricConnection> {
    const relative = (file: string) => path.relative(run.root, file);
    return {
        format: 1,
        runtime,
        fabricVersion: state.fabricVersion,
        stateDatabase: state.stateDatabase ?? 'leveldb',
        channel: topology.channel,
        defaultPolicy: topology.defaultPolicy,
        ordering: {
            type: state.ordering,
            orderers: ordererNodes(state.ordering, topology.orgs).map((orderer) => ({
                name: orderer.name,
                address: `127.0.0.1:${state.ports.orderers[orderer.index].listen}`,
                tlsRootCert: relative(ordererCrypto(run, orderer).tlsCaCert),
            })),
        },
        organizations: topology.orgs.map((org) => {
            const crypto = orgCrypto(run, org);
            return {
                mspId: org.mspId,
                name: org.name,
                domain: org.domain,
                peers: [
                    {
                        name: org.peerName,
                        address: `127.0.0.1:${state.ports.peers[org.mspId].listen}`,
                        tlsRootCert: relative(crypto.tlsCaCert),
                    },
                ],
                ca: { certificate: relative(crypto.caCert), privateKey: relative(crypto.caKey) },
            };
        }),
        wallet: relative(run.wallet),
        chaincodeServers: servers.map((server) => ({
            ...server,
            packageDir: server.packageDir,
            packageFile: relative(server.packageFile),
        })),
    };
}

/** Every user of the zhelian topology, with its attributes, issued from its organization's CA key. */
async function issueIdentities(run: RunDir, orgs: NativeOrg[], progress: Progress) {
    const backend = new FabricBackend(run.connectionFile, await readConnection(run.connectionFile));
    const existing = new Set((await backend.identities()).map((i) => `${i.mspId}:${i.name}`));
    let issued = 0;
    for (const org of orgs) {
        for (const user of org.users) {
            if (!existing.has(`${org.mspId}:${user.name}`)) {
                await backend.enroll(org.mspId, user.name, { role: user.role ?? 'client', attrs: user.attrs ?? {} });
                issued += 1;
            }
        }
    }
    await backend.close();
    progress.step(`Identities: ${issued} issued with role/unit attributes, ${existing.size} kept (${run.wallet})`);
}

/**
 * The zhelian chaincode through the lifecycle (install on each peer, approve by each organization,
 * commit with collections_config.json and the channel's MAJORITY Endorsement), then proposals
 * endorsed on the policy's plan and on every peer: the network is ready when they succeed.
 */
async function deployZhelian(run: RunDir, progress: Progress) {
    const backend = new FabricBackend(run.connectionFile, await readConnection(run.connectionFile));
    try {
        progress.step('Deploying zhelian: install ×4, approve ×4, commit (collections, MAJORITY Endorsement)');
        const deployed = await retryWhileStarting(() =>
            backend.lifecycle.deploy({
                packageDir: ZHELIAN_CHAINCODE.packageDir,
                name: 'zhelian',
                collections: path.join(ZHELIAN_CHAINCODE.packageDir, 'collections_config.json'),
            }),
        );
        progress.step(`zhelian sequence ${deployed.sequence} in force (package ${deployed.packageId.slice(0, 24)}…)`);
        const { channel, organizations } = backend.describe();
        const gateway = await backend.connect({ mspId: organizations[0].mspId, name: 'admin' });
        try {
            const system: Contract = gateway.getNetwork(channel).getContract('zhelian', 'org.hyperledger.fabric');
            await retryWhileStarting(() => system.newProposal('GetMetadata').endorse());
            await retryWhileStarting(() =>
                system
                    .newProposal('GetMetadata', { endorsingOrganizations: organizations.map((o) => o.mspId) })
                    .endorse(),
            );
        } finally {
            gateway.close();
        }
        progress.step('Every peer endorses zhelian: the network is ready');
    } finally {
        await backend.close();
    }
}

/**
 * Retries what fails while the network settles: gossip has not yet shown the other organizations'
 * peers to service discovery, or a peer is still launching the chaincode.
 */
async function retryWhileStarting<T>(call: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 1; ; attempt++) {
        try {
            return await call();
        } catch (err) {
            const message = (err as Error).message;
            const settling =
                /no combination of peers|no peers available|failed to find|UNAVAILABLE|not found|unavailable|connection/i;
            if (Date.now() > deadline || !settling.test(message)) {
                throw err;
            }
            await new Promise((resolve) => setTimeout(resolve, Math.min(200 * attempt, 1000)));
        }
    }
}
