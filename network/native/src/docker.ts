import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as compose from 'docker-compose';
import { ccaasPackage, type ChaincodeServer } from '@zhelian/fabric';
import { NativeNetworkError } from './errors';
import { ordererEnv, ordererNodes, peerEnv } from './nodes';
import { REPO_ROOT, type RunDir } from './paths';
import { waitForPort } from './ports';
import type { Progress } from './progress';
import { type NodeRunner, peerProcessName } from './runner';
import { readState } from './state';
import { type UpOptions, up, ZHELIAN_CHAINCODE } from './up';

/** network/docker/docker-compose.yaml: the same nodes as the native network, as containers. */
export const COMPOSE_FILE = path.join(REPO_ROOT, 'network', 'docker', 'docker-compose.yaml');
/** Its override with one CouchDB per peer as the peers' state database (`up --docker --couchdb`). */
export const COUCHDB_COMPOSE_FILE = path.join(REPO_ROOT, 'network', 'docker', 'docker-compose.couchdb.yaml');
/** The CouchDB containers' ports on 127.0.0.1, by the peer whose state they hold (as in that file). */
export const COUCHDB_PORTS: Readonly<Record<string, number>> = {
    'peer0-regulator': 5984,
    'peer0-court': 5985,
    'peer0-platform': 5986,
    'peer0-member': 5987,
};
const NATIVE_DIR = path.resolve(__dirname, '..');

/** Which compose files a network's containers are described by, and what they need in the environment. */
interface Composition {
    couchdb: boolean;
    extra: Record<string, string>;
}

/**
 * `network:up --docker`: the native network's steps with the orderer, the peers and the zhelian
 * chaincode server in containers (docker-compose.yaml, host networking), driven through the
 * docker-compose npm package. The setup tools (cryptogen, configtxgen, osnadmin, the peer CLI)
 * still come from `network:install`.
 */
export async function dockerUp(options: Omit<UpOptions, 'runner'>) {
    await composeOptions(options.run, { couchdb: false, extra: {} });
    return up({ ...options, runner: dockerRunner(options.run) });
}

/** Stops the containers (and with `wipe` removes the run dir and the CouchDB volumes). */
export async function dockerDown(run: RunDir, progress: Progress, { wipe }: { wipe: boolean }): Promise<void> {
    progress.step('Stopping the Docker network (docker-compose down)');
    const couchdb = (await readState(run))?.stateDatabase === 'couchdb';
    const options = await composeOptions(run, { couchdb, extra: couchdb ? await couchdbEnv(run) : {} });
    await checked(compose.downAll({ ...options, ...(wipe ? { commandOptions: ['--volumes'] } : {}) }));
    if (wipe) {
        await rm(run.root, { recursive: true, force: true });
        progress.step(`Removed ${run.root}`);
    }
}

function dockerRunner(run: RunDir): NodeRunner {
    const composition: Composition = { couchdb: false, extra: {} };
    return {
        runtime: 'docker',
        async startNodes(_run, state, orgs) {
            const dir = path.join(run.root, 'docker');
            await mkdir(dir, { recursive: true });
            const orderers = ordererNodes(state.ordering, orgs);
            if (state.ordering !== 'etcdraft') {
                throw new NativeNetworkError('The Docker network runs Raft ordering only: run BFT natively');
            }
            await writeEnvFile(path.join(dir, 'orderer0.env'), ordererEnv(run, orderers[0], state.ports));
            for (const org of orgs) {
                await writeEnvFile(path.join(dir, `${peerProcessName(org)}.env`), peerEnv(run, org, state.ports));
            }
            const peers = orgs.map(peerProcessName);
            if (state.stateDatabase === 'couchdb') {
                composition.couchdb = true;
                composition.extra = { ...composition.extra, ...(await couchdbEnv(run)) };
                // Each peer's CouchDB answers before the peer starts (the peer would retry, for a while).
                const couchdbs = peers.map((peer) => peer.replace(/^peer0-/, 'couchdb-'));
                await checked(compose.upMany(couchdbs, await composeOptions(run, composition)));
                for (const peer of peers) {
                    await waitForPort(COUCHDB_PORTS[peer], `The CouchDB of ${peer}`, 120_000);
                }
            }
            await checked(compose.upMany(['orderer0', ...peers], await composeOptions(run, composition)));
        },
        async startChaincodeServer(_run, request): Promise<ChaincodeServer> {
            if (path.resolve(request.packageDir) !== ZHELIAN_CHAINCODE.packageDir) {
                throw new NativeNetworkError(
                    `The Docker network runs the zhelian chaincode only; ${request.packageDir} needs the native network`,
                );
            }
            const address = `127.0.0.1:${request.port}`;
            const ccaas = await ccaasPackage(request.label, { address });
            await mkdir(run.chaincode, { recursive: true });
            const packageFile = path.join(run.chaincode, `${request.label}.tar.gz`);
            await writeFile(packageFile, ccaas.bytes);
            composition.extra = {
                ...composition.extra,
                ZHELIAN_SHIM_CLI: createRequire(path.join(request.packageDir, 'package.json')).resolve(
                    'fabric-shim/cli.js',
                ),
                ZHELIAN_CHAINCODE_ADDRESS: address,
                ZHELIAN_CHAINCODE_ID: ccaas.packageId,
            };
            await checked(compose.upOne('chaincode-zhelian', await composeOptions(run, composition)));
            await waitForPort(request.port, 'The zhelian chaincode container', 120_000);
            return {
                packageDir: request.packageDir,
                label: ccaas.label,
                packageId: ccaas.packageId,
                packageFile,
                address,
            };
        },
        async stopAll() {
            await checked(compose.downAll(await composeOptions(run, composition)));
        },
    };
}

/**
 * The CouchDB admin's name and password for docker-compose.couchdb.yaml: made once per run dir
 * (random, or ZHELIAN_COUCHDB_PASSWORD when set then) and kept in `docker/couchdb.env`, since
 * each CouchDB keeps the admin its data volume was created with.
 */
export async function couchdbEnv(run: RunDir): Promise<Record<string, string>> {
    const file = path.join(run.root, 'docker', 'couchdb.env');
    try {
        return Object.fromEntries(
            (await readFile(file, 'utf8'))
                .split('\n')
                .filter((line) => line.includes('='))
                .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
        );
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
            throw err;
        }
    }
    const env = {
        ZHELIAN_COUCHDB_USER: process.env.ZHELIAN_COUCHDB_USER || 'admin',
        ZHELIAN_COUCHDB_PASSWORD: process.env.ZHELIAN_COUCHDB_PASSWORD || randomBytes(18).toString('base64url'),
    };
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(
        file,
        `${Object.entries(env)
            .map(([name, value]) => `${name}=${value}`)
            .join('\n')}\n`,
        { mode: 0o600 },
    );
    return env;
}

/** `docker compose` (the plugin) where there is one, else the standalone `docker-compose`. */
async function composeOptions(run: RunDir, composition: Composition): Promise<compose.IDockerComposeOptions> {
    const plugin = spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0;
    if (!plugin && spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status !== 0) {
        throw new NativeNetworkError(
            'Neither `docker compose` nor `docker-compose` is installed: install Docker Compose',
        );
    }
    if (spawnSync('docker', ['info'], { stdio: 'ignore' }).status !== 0) {
        throw new NativeNetworkError(
            'No Docker engine answers (`docker info` fails): start Docker, or run the network natively with `npm run network:up`',
        );
    }
    return {
        config: composition.couchdb ? [COMPOSE_FILE, COUCHDB_COMPOSE_FILE] : COMPOSE_FILE,
        cwd: path.dirname(COMPOSE_FILE),
        composeOptions: [['-p', 'zhelian']],
        log: false,
        ...(plugin ? {} : { executable: { standalone: true as const } }),
        env: {
            ...process.env,
            ZHELIAN_FABRIC_DIR: run.root,
            ZHELIAN_NATIVE_DIR: NATIVE_DIR,
            ZHELIAN_REPO: REPO_ROOT,
            ...composition.extra,
        },
    };
}

async function checked(result: Promise<compose.IDockerComposeResult>): Promise<compose.IDockerComposeResult> {
    try {
        return await result;
    } catch (err) {
        const { err: stderr = '', out = '' } = err as Partial<compose.IDockerComposeResult>;
        throw new NativeNetworkError(`docker compose failed: ${(stderr || out || String(err)).trim()}`);
    }
}

async function writeEnvFile(file: string, env: Record<string, string>): Promise<void> {
    await writeFile(
        file,
        `${Object.entries(env)
            .map(([name, value]) => `${name}=${value}`)
            .join('\n')}\n`,
    );
}
