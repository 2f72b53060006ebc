import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
    cliEnv,
    requireBuiltCli,
    runZhelian,
    runZhelianWith,
    SEMANTICS_CHAINCODE,
    ZHELIAN_BIN,
} from '../test/support/bin';

interface Serving {
    mspId: string;
    peerEndpoint: string;
    peerHostAlias: string;
    cryptoPath: string;
    tlsCertPath: string;
    users: Record<string, string>;
    connectionProfile: string;
}

describe('zhelian serve and export', () => {
    let dataDir: string;

    beforeAll(async () => {
        requireBuiltCli();
        dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-cli-serve-'));
        const deployed = await runZhelian(
            '--data',
            dataDir,
            '--topology',
            'test-network',
            'deploy',
            SEMANTICS_CHAINCODE,
        );
        expect(deployed.code).toBe(0);
    });

    afterAll(async () => {
        await rm(dataDir, { recursive: true, force: true });
    });

    it("serves each organization's peer with TLS under the test network's host names until Ctrl-C", async () => {
        const organizations = path.join(dataDir, 'organizations');
        const server = spawn(
            ZHELIAN_BIN,
            ['--data', dataDir, 'serve', '--port', 'Org1MSP=0', '--port', 'Org2MSP=0', '--export', organizations],
            { env: cliEnv() },
        );
        let out = '';
        const serving = await new Promise<Serving[]>((resolve, reject) => {
            server.stdout.on('data', (chunk: Buffer) => {
                out += chunk.toString();
                try {
                    resolve((JSON.parse(out) as { serving: Serving[] }).serving);
                } catch {
                    // not the whole JSON yet
                }
            });
            server.once('exit', (code) => reject(new Error(`serve exited with ${code} before it printed: ${out}`)));
        });
        try {
            expect(serving.map((s) => [s.mspId, s.peerHostAlias])).toEqual([
                ['Org1MSP', 'peer0.org1.example.com'],
                ['Org2MSP', 'peer0.org2.example.com'],
            ]);
            const org1 = serving[0];
            expect(org1.cryptoPath).toBe(path.join(organizations, 'peerOrganizations', 'org1.example.com'));
            expect(org1.users.user1).toBe(path.join(org1.cryptoPath, 'users', 'User1@org1.example.com'));
            expect(existsSync(path.join(org1.users.user1, 'msp', 'keystore', 'priv_sk'))).toBe(true);
            expect(existsSync(path.join(org1.users.user1, 'msp', 'signcerts', 'User1@org1.example.com-cert.pem'))).toBe(
                true,
            );
            expect(existsSync(path.join(org1.cryptoPath, 'msp', 'config.yaml'))).toBe(true);

            // A TLS client that trusts the exported CA and expects the peer's host name gets through.
            const port = Number(org1.peerEndpoint.split(':')[1]);
            const ca = await readFile(org1.tlsCertPath);
            const protocol = await new Promise<string | false | null>((resolve, reject) => {
                const socket = tls.connect(
                    { host: '127.0.0.1', port, ca, servername: org1.peerHostAlias, ALPNProtocols: ['h2'] },
                    () => {
                        resolve(socket.alpnProtocol);
                        socket.end();
                    },
                );
                socket.once('error', reject);
            });
            expect(protocol).toBe('h2');

            // serve holds the data dir: other commands reach it through the served peers, as a Fabric network.
            const connection = path.join(organizations, 'connection.json');
            const invoked = await runZhelianWith(
                { ZHELIAN_NETWORK: 'fabric', ZHELIAN_FABRIC_CONNECTION: connection },
                'invoke',
                'semantics',
                'semantics:put',
                'k',
                'v',
                '--as',
                'Org1MSP:user1',
            );
            expect(invoked.stderr).toBe('');
            expect(JSON.parse(invoked.stdout)).toMatchObject({ validationCodeName: 'VALID' });
        } finally {
            server.kill('SIGINT');
        }
        expect(await new Promise((resolve) => server.once('exit', resolve))).toBe(0);
    });

    it("exports the organizations' crypto material with a connection profile naming the topology's ports", async () => {
        const out = path.join(dataDir, 'exported');
        const exported = await runZhelian('--data', dataDir, 'export', out);
        expect(exported.code).toBe(0);
        const { organizations } = JSON.parse(exported.stdout) as { organizations: { connectionProfile: string }[] };
        const profile = JSON.parse(await readFile(organizations[1].connectionProfile, 'utf8'));
        expect(profile.organizations).toEqual({
            Org2: { mspid: 'Org2MSP', peers: ['peer0.org2.example.com'], certificateAuthorities: [] },
        });
        expect(profile.peers['peer0.org2.example.com'].url).toBe('grpcs://localhost:9051');
        expect(profile.peers['peer0.org2.example.com'].tlsCACerts.pem).toContain('BEGIN CERTIFICATE');
    });
});
