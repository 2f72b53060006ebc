import { spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPOSE_FILE } from './docker';
import { REPO_ROOT } from './paths';

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

describe('network/docker/docker-compose.yaml', () => {
    it("pins every official image to a release, Fabric's to the native network's 3.1.5", async () => {
        const images = [...(await readFile(COMPOSE_FILE, 'utf8')).matchAll(/^\s+image: (\S+)$/gm)].map((m) => m[1]);
        expect(images.length).toBe(6);
        for (const image of images) {
            expect(image).toMatch(/^(hyperledger\/fabric-(peer|orderer):3\.1\.5|node:\d+\.\d+\.\d+-[a-z]+-slim)$/);
        }
    });

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
