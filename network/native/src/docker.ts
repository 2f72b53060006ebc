import { spawnSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
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
import { type UpOptions, up, ZHELIAN_CHAINCODE } from './up';

/** network/docker/docker-compose.yaml: the same nodes as the native network, as containers. */
export const COMPOSE_FILE = path.join(REPO_ROOT, 'network', 'docker', 'docker-compose.yaml');
const NATIVE_DIR = path.resolve(__dirname, '..');

/**
 * `network:up --docker`: the native network's steps with the orderer, the peers and the zhelian
 * chaincode server in containers (docker-compose.yaml, host networking), driven through the
 * docker-compose npm package. The setup tools (cryptogen, configtxgen, osnadmin, the peer CLI)
 * still come from `network:install`.
 */
export async function dockerUp(options: Omit<UpOptions, 'runner'>) {
    await composeOptions(options.run, {});
    return up({ ...options, runner: dockerRunner(options.run) });
}

export async function dockerDown(run: RunDir, progress: Progress, { wipe }: { wipe: boolean }): Promise<void> {
    progress.step('Stopping the Docker network (docker-compose down)');
    await checked(compose.downAll(await composeOptions(run, {})));
    if (wipe) {
        await rm(run.root, { recursive: true, force: true });
        progress.step(`Removed ${run.root}`);
    }
}

function dockerRunner(run: RunDir): NodeRunner {
    let chaincodeEnv: Record<string, string> = {};
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
            const services = ['orderer0', ...orgs.map(peerProcessName)];
            await checked(compose.upMany(services, await composeOptions(run, chaincodeEnv)));
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
            chaincodeEnv = {
                ZHELIAN_SHIM_CLI: createRequire(path.join(request.packageDir, 'package.json')).resolve(
                    'fabric-shim/cli.js',
                ),
                ZHELIAN_CHAINCODE_ADDRESS: address,
                ZHELIAN_CHAINCODE_ID: ccaas.packageId,
            };
            await checked(compose.upOne('chaincode-zhelian', await composeOptions(run, chaincodeEnv)));
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
            await checked(compose.downAll(await composeOptions(run, {})));
        },
    };
}

/** `docker compose` (the plugin) where there is one, else the standalone `docker-compose`. */
async function composeOptions(run: RunDir, extra: Record<string, string>): Promise<compose.IDockerComposeOptions> {
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
        config: COMPOSE_FILE,
        cwd: path.dirname(COMPOSE_FILE),
        composeOptions: [['-p', 'zhelian']],
        log: false,
        ...(plugin ? {} : { executable: { standalone: true as const } }),
        env: {
            ...process.env,
            ZHELIAN_FABRIC_DIR: run.root,
            ZHELIAN_NATIVE_DIR: NATIVE_DIR,
            ZHELIAN_REPO: REPO_ROOT,
            ...extra,
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
