import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Contract } from '@zhelian/api';
import { FabricBackend, type FabricConnection, readConnection } from '@zhelian/fabric';
import { fabricBinaries } from './binaries';
import { NativeNetworkError } from './errors';
import { type Ordering, ordererCrypto, ordererNodes, orgCrypto, peerAdminEnv } from './nodes';
import { CONFIG_DIR, REPO_ROOT, type RunDir } from './paths';
import { listProcesses } from './processes';
import { checkPortsFree, describePorts, planPorts, waitForPort } from './ports';
import type { Progress } from './progress';
import { nativeRunner, type NodeRunner } from './runner';
import { type NetworkState, readRawConnection, readState, writeConnection, writeState } from './state';
import { runTool } from './tools';
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

async function createArtifacts(run: RunDir, state: NetworkState, orgs: NativeOrg[], progress: Progress) {
    progress.step('Generating certificates (cryptogen: orderer and four organizations, TLS with 127.0.0.1)');
    // A new network: nothing of an earlier, unfinished one may mix with it (cryptogen keeps old files).
    for (const dir of [
        run.crypto,
        run.config,
        path.dirname(run.channelBlock),
        run.wallet,
        run.chaincode,
        run.nodeDir(''),
    ]) {
        await rm(dir, { recursive: true, force: true });
    }
    await mkdir(run.root, { recursive: true });
    const cryptoConfigs = ['crypto-config.yaml', ...(state.ordering === 'BFT' ? ['crypto-config-bft.yaml'] : [])];
    for (const file of cryptoConfigs) {
        await runTool(state.binDir, 'cryptogen', [
            'generate',
            `--config=${path.join(CONFIG_DIR, file)}`,
            `--output=${run.crypto}`,
        ]);
    }
    const bft = state.ordering === 'BFT';
    progress.step(
        `Writing the genesis block of channel ${state.channel} (configtxgen, ${bft ? 'BFT, one orderer per organization' : 'Raft'}, BatchTimeout ${state.batchTimeout})`,
    );
    await mkdir(run.config, { recursive: true });
    // The template holds both profiles: the BFT ports follow the first orderer's, ten apart.
    const firstOrderer = state.ports.orderers[0].listen;
    const values: Record<string, string> = {
        ORDERER_PORT: String(firstOrderer),
        ...Object.fromEntries(orgs.map((org, i) => [`BFT_PORT_${org.key}`, String(firstOrderer + 10 * i)])),
        BATCH_TIMEOUT: state.batchTimeout,
        CHANNEL_CAPABILITY: state.fabricVersion.startsWith('2.') ? 'V2_0' : 'V3_0',
        ...Object.fromEntries(orgs.map((org) => [`PEER_PORT_${org.key}`, String(state.ports.peers[org.mspId].listen)])),
    };
    const template = await readFile(path.join(CONFIG_DIR, 'configtx.yaml'), 'utf8');
    await writeFile(path.join(run.config, 'configtx.yaml'), render(keepSections(template, { bft }), values));
    await mkdir(path.dirname(run.channelBlock), { recursive: true });
    await runTool(
        state.binDir,
        'configtxgen',
        [
            '-profile',
            bft ? 'ZhelianBFT' : 'ZhelianRaft',
            '-outputBlock',
            run.channelBlock,
            '-channelID',
            state.channel,
            '-configPath',
            run.config,
        ],
        { ...process.env, FABRIC_LOGGING_SPEC: 'warning' },
    );
}

/**
 * Keeps or drops a config file's marked sections: the lines from `# {name}` to `# {/name}` stay
 * when `sections[name]` is true (markers included, as comments) and go otherwise.
 */
export function keepSections(text: string, sections: Record<string, boolean>): string {
    return text.replace(/^ *# \{(\w+)\}.*\n[\s\S]*?^ *# \{\/\1\}\n/gm, (section, name: string) =>
        sections[name] ? section : '',
    );
}

/**
 * The peers' core.yaml and the orderers' orderer.yaml for this network's Fabric version, in the
 * run dir's config/ (FABRIC_CFG_PATH): each with its version's sections (`# {fabric2}`, `# {fabric3}`).
 */
async function writeNodeConfig(run: RunDir, fabricVersion: string): Promise<void> {
    await mkdir(run.config, { recursive: true });
    for (const file of ['core.yaml', 'orderer.yaml']) {
        const text = await readFile(path.join(CONFIG_DIR, file), 'utf8');
        const fabric2 = fabricVersion.startsWith('2.');
        await writeFile(path.join(run.config, file), keepSections(text, { fabric2, fabric3: !fabric2 }));
    }
}

/** Replaces each `${NAME}` of a template; a name without a value is an error, not an empty string. */
export function render(template: string, values: Record<string, string>): string {
    return template.replace(/\$\{([A-Z0-9_]+)\}/g, (_, name: string) => {
        if (!(name in values)) {
            throw new NativeNetworkError(`configtx.yaml asks for \${${name}}, which up does not set`);
        }
        return values[name];
    });
}

async function joinChannel(run: RunDir, state: NetworkState, orgs: NativeOrg[], fresh: boolean, progress: Progress) {
    const { ports } = state;
    const orderers = ordererNodes(state.ordering, orgs);
    const unjoined = await Promise.all(
        orderers.map(async (orderer) => {
            const crypto = ordererCrypto(run, orderer);
            const admin = ports.orderers[orderer.index].admin;
            await waitForPort(admin, orderer.name);
            const osnadminTls = [
                `--orderer-address=127.0.0.1:${admin}`,
                `--ca-file=${crypto.tlsCaCert}`,
                `--client-cert=${crypto.adminTlsCert}`,
                `--client-key=${crypto.adminTlsKey}`,
            ];
            // A kept network may have stopped half-way through an earlier `up`: ask what is joined.
            const joined =
                !fresh &&
                (await runTool(state.binDir, 'osnadmin', ['channel', 'list', ...osnadminTls])).includes(
                    `"${state.channel}"`,
                );
            return joined ? [] : [{ osnadminTls }];
        }),
    );
    const ordererJoins = unjoined.flat();
    if (ordererJoins.length > 0) {
        progress.step(
            `Joining ${ordererJoins.length === 1 ? 'the orderer' : `${ordererJoins.length} orderers`} to ${state.channel} (osnadmin, channel participation API)`,
        );
        await Promise.all(
            ordererJoins.map(({ osnadminTls }) =>
                runTool(state.binDir, 'osnadmin', [
                    'channel',
                    'join',
                    `--channelID=${state.channel}`,
                    `--config-block=${run.channelBlock}`,
                    ...osnadminTls,
                ]),
            ),
        );
    }
    progress.step(`Waiting for the ${state.ordering === 'BFT' ? 'BFT' : 'Raft'} leader`);
    await waitForLeader(
        ports.orderers.map((p) => p.operations),
        state.channel,
        state.ordering,
    );
    await Promise.all(orgs.map((org) => waitForPort(ports.peers[org.mspId].listen, `${org.mspId}'s peer`)));
    const joined = await Promise.all(
        orgs.map(async (org) =>
            fresh
                ? false
                : (await runTool(state.binDir, 'peer', ['channel', 'list'], peerAdminEnv(run, org, ports)))
                      .split('\n')
                      .includes(state.channel),
        ),
    );
    const joining = orgs.filter((_, i) => !joined[i]);
    if (joining.length > 0) {
        progress.step(
            `Joining ${joining.map((org) => org.mspId).join(', ')}'s peers to ${state.channel} (peer channel join, as each organization's admin)`,
        );
        await Promise.all(
            joining.map((org) =>
                runTool(
                    state.binDir,
                    'peer',
                    ['channel', 'join', '-b', run.channelBlock],
                    peerAdminEnv(run, org, ports),
                ),
            ),
        );
    }
}

/** Polls the orderers' metrics until one of them leads the channel (Raft), or all name a leader (BFT). */
async function waitForLeader(
    operationsPorts: number[],
    channel: string,
    ordering: Ordering,
    timeoutMs = 30_000,
): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const leader =
        ordering === 'BFT'
            ? new RegExp(`consensus_BFT_leader_id\\{channel="${channel}"\\} [1-9]`)
            : new RegExp(`consensus_etcdraft_is_leader\\{channel="${channel}"\\} 1`);
    const metrics = (port: number) =>
        fetch(`http://127.0.0.1:${port}/metrics`)
            .then((response) => response.text())
            .catch(() => '');
    while (Date.now() < deadline) {
        const found = await Promise.all(operationsPorts.map(async (port) => leader.test(await metrics(port))));
        if (ordering === 'BFT' ? found.every(Boolean) : found.some(Boolean)) {
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new NativeNetworkError(
        `Channel ${channel} has no ${ordering === 'BFT' ? 'BFT' : 'Raft'} leader after ${timeoutMs / 1000} s: see the orderer logs in .fabric/logs/`,
    );
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
