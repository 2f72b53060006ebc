import { spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as compose from 'docker-compose';
import { describe, expect, it } from 'vitest';
import { COMPOSE_FILE, COUCHDB_COMPOSE_FILE, COUCHDB_PORTS } from './docker';
import { REPO_ROOT } from './paths';

/** What these tests read of a service in `docker compose config`'s output. */
interface ComposeService {
    image: string;
    environment?: Record<string, string>;
    ports?: (string | { host_ip?: string; published: number | string; target: number })[];
    depends_on?: Record<string, unknown>;
}

/** A published port as `host_ip:published:target`, from either form Compose prints. */
function publishedPort(port: NonNullable<ComposeService['ports']>[number]): string {
    return typeof port === 'string'
        ? port.replace(/\/tcp$/, '')
        : `${port.host_ip ?? ''}:${port.published}:${port.target}`;
}

/** A Docker Compose client, if this machine has one (an engine is not needed to check a file). */
function composeCommand(): string[] | undefined {
    if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0) {
        return ['docker', 'compose'];
    }
    if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) {
        return ['docker-compose'];
    }
    return undefined;
}

const PEERS = ['peer0-regulator', 'peer0-court', 'peer0-platform', 'peer0-member'];

/** A run dir with the env files the scripts write, and the variables they set, for `config`. */
async function withRunDir<T>(check: (env: NodeJS.ProcessEnv) => Promise<T>): Promise<T> {
    const runDir = await mkdtemp(path.join(tmpdir(), 'zhelian-compose-'));
    try {
        await mkdir(path.join(runDir, 'docker'));
        for (const service of ['orderer0', ...PEERS]) {
            await writeFile(path.join(runDir, 'docker', `${service}.env`), 'FABRIC_LOGGING_SPEC=info\n');
        }
        return await check({
            ...process.env,
            ZHELIAN_FABRIC_DIR: runDir,
            ZHELIAN_NATIVE_DIR: path.join(REPO_ROOT, 'network', 'native'),
            ZHELIAN_REPO: REPO_ROOT,
            ZHELIAN_SHIM_CLI: 'cli.js',
            ZHELIAN_CHAINCODE_ADDRESS: '127.0.0.1:9050',
            ZHELIAN_CHAINCODE_ID: 'zhelian:0',
        });
    } finally {
        await rm(runDir, { recursive: true, force: true });
    }
}

describe('network/docker/docker-compose.yaml', () => {
    it("pins every official image to a release, Fabric's to the native network's 3.1.5", async () => {
        const images = [...(await readFile(COMPOSE_FILE, 'utf8')).matchAll(/^\s+image: (\S+)$/gm)].map((m) => m[1]);
        expect(images.length).toBe(6);
        for (const image of images) {
            expect(image).toMatch(/^(hyperledger\/fabric-(peer|orderer):3\.1\.5|node:\d+\.\d+\.\d+-[a-z]+-slim)$/);
        }
    });

    it('pins CouchDB, in its override, to the release Fabric 3.1.5 is tested with (3.4.2)', async () => {
        const images = [...(await readFile(COUCHDB_COMPOSE_FILE, 'utf8')).matchAll(/^\s+image: (\S+)$/gm)].map(
            (m) => m[1],
        );
        expect(images).toEqual(['couchdb:3.4.2']);
    });

    it.skipIf(composeCommand() === undefined)(
        'with the CouchDB override: one CouchDB per peer on 127.0.0.1, each peer on its own with the admin CouchDB has',
        async () => {
            const [command] = composeCommand()!;
            const parsed = await withRunDir((env) =>
                compose.config({
                    config: [COMPOSE_FILE, COUCHDB_COMPOSE_FILE],
                    cwd: path.dirname(COMPOSE_FILE),
                    composeOptions: [['-p', 'zhelian']],
                    log: false,
                    ...(command === 'docker-compose' ? { executable: { standalone: true as const } } : {}),
                    env: { ...env, ZHELIAN_COUCHDB_PASSWORD: 'pw-from-network-up' },
                }),
            );
            const services = parsed.data.config.services as unknown as Record<string, ComposeService>;
            expect(Object.keys(services).sort()).toEqual([
                'chaincode-zhelian',
                'couchdb-court',
                'couchdb-member',
                'couchdb-platform',
                'couchdb-regulator',
                'orderer0',
                ...PEERS.slice().sort(),
            ]);
            for (const peer of PEERS) {
                const couchdb = services[peer.replace('peer0-', 'couchdb-')];
                const port = COUCHDB_PORTS[peer];
                expect(couchdb.image).toBe('couchdb:3.4.2');
                expect(couchdb.environment).toEqual({ COUCHDB_USER: 'admin', COUCHDB_PASSWORD: 'pw-from-network-up' });
                // Compose v1 prints the short form (127.0.0.1:5984:5984/tcp), v2 the long one.
                expect(couchdb.ports?.map(publishedPort)).toEqual([`127.0.0.1:${port}:5984`]);
                expect(services[peer].environment).toMatchObject({
                    CORE_LEDGER_STATE_STATEDATABASE: 'CouchDB',
                    CORE_LEDGER_STATE_COUCHDBCONFIG_COUCHDBADDRESS: `127.0.0.1:${port}`,
                    CORE_LEDGER_STATE_COUCHDBCONFIG_USERNAME: 'admin',
                    CORE_LEDGER_STATE_COUCHDBCONFIG_PASSWORD: 'pw-from-network-up',
                    FABRIC_LOGGING_SPEC: 'info',
                });
                expect(Object.keys(services[peer].depends_on ?? {})).toEqual([peer.replace('peer0-', 'couchdb-')]);
            }
        },
    );

    it.skipIf(composeCommand() === undefined)(
        'without the override the peers keep LevelDB; the override refuses to run without a CouchDB password',
        async () => {
            const [command, ...args] = composeCommand()!;
            await withRunDir(async (env) => {
                const plain = spawnSync(command, [...args, '-f', COMPOSE_FILE, '-p', 'zhelian', 'config'], {
                    encoding: 'utf8',
                    env,
                });
                expect(plain.status).toBe(0);
                expect(plain.stdout).not.toMatch(/COUCHDB|couchdb/);
                const unset = { ...env };
                delete unset.ZHELIAN_COUCHDB_PASSWORD;
                const refused = spawnSync(
                    command,
                    [...args, '-f', COMPOSE_FILE, '-f', COUCHDB_COMPOSE_FILE, '-p', 'zhelian', 'config'],
                    { encoding: 'utf8', env: unset },
                );
                expect(refused.status).not.toBe(0);
                expect(refused.stderr).toMatch(/set by network:up --docker --couchdb, or by you/);
            });
        },
    );

    it.skipIf(composeCommand() === undefined)(
        'is a valid Compose file (checked by the Compose client, no engine needed)',
        async () => {
            const [command, ...args] = composeCommand()!;
            const runDir = await mkdtemp(path.join(tmpdir(), 'zhelian-compose-'));
            try {
                await mkdir(path.join(runDir, 'docker'));
                for (const service of [
                    'orderer0',
                    'peer0-regulator',
                    'peer0-court',
                    'peer0-platform',
                    'peer0-member',
                ]) {
                    await writeFile(path.join(runDir, 'docker', `${service}.env`), 'FABRIC_LOGGING_SPEC=info\n');
                }
                const result = spawnSync(
                    command,
                    [...args, '-f', COMPOSE_FILE, '-p', 'zhelian', 'config', '--services'],
                    {
                        encoding: 'utf8',
                        env: {
                            ...process.env,
                            ZHELIAN_FABRIC_DIR: runDir,
                            ZHELIAN_NATIVE_DIR: path.join(REPO_ROOT, 'network', 'native'),
                            ZHELIAN_REPO: REPO_ROOT,
                            ZHELIAN_SHIM_CLI: 'cli.js',
                            ZHELIAN_CHAINCODE_ADDRESS: '127.0.0.1:9050',
                            ZHELIAN_CHAINCODE_ID: 'zhelian:0',
                        },
                    },
                );
                expect(result.stderr).toBe('');
                expect(result.stdout.trim().split('\n').sort()).toEqual([
                    'chaincode-zhelian',
                    'orderer0',
                    'peer0-court',
                    'peer0-member',
                    'peer0-platform',
                    'peer0-regulator',
                ]);
            } finally {
                await rm(runDir, { recursive: true, force: true });
            }
        },
    );
});
