import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { common } from '@hyperledger/fabric-protos';
import { type LedgerBackend, openBackend, type PeerEndpoint } from '@zhelian/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.join(__dirname, '..', '..');
const ASSET_TRANSFER = path.join(ROOT, 'network', 'embedded', 'test', 'fixtures', 'ledger', 'asset-transfer');
/** A core.yaml for the peer CLI: the native network's (its values are overridden by the environment below). */
const FABRIC_CFG_PATH = path.join(ROOT, 'network', 'native', 'config');

/** Fabric's `peer` binary: FABRIC_BIN, else PATH, else the native network's binary cache. */
async function findPeerBinary(): Promise<string | undefined> {
    const candidates = [
        ...(process.env.FABRIC_BIN ? [path.join(process.env.FABRIC_BIN, 'peer')] : []),
        ...(process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'peer')),
    ];
    const cache = path.join(os.homedir(), '.cache', 'zhelian', 'fabric');
    for (const entry of await readdir(cache).catch(() => [])) {
        candidates.push(path.join(cache, entry, 'bin', 'peer'));
    }
    return candidates.find((candidate) => existsSync(candidate));
}

/**
 * Fabric's own `peer` CLI, unmodified, against the embedded ledger's served peer: queries through
 * the Endorser service (`chaincode query`, `lifecycle chaincode querycommitted` through
 * `_lifecycle`) and blocks through qscc and Deliver (`channel getinfo`, `channel fetch`). The
 * client's MSP is an exported user's, as an operator of Fabric's test network points the CLI at
 * one. Skipped where no `peer` binary is found (npm run network:install builds one).
 */
describe("Fabric's peer CLI against the embedded ledger", () => {
    let peerBinary: string | undefined;
    let dataDir: string;
    let backend: LedgerBackend;
    let env: NodeJS.ProcessEnv;

    const peerCli = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
        new Promise((resolve) => {
            // Asynchronous on purpose: the served peers run in this process's event loop.
            execFile(peerBinary!, args, { env, timeout: 60_000 }, (err, stdout, stderr) =>
                resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
            );
        });

    beforeAll(async () => {
        peerBinary = await findPeerBinary();
        if (!peerBinary) {
            return;
        }
        dataDir = await mkdtemp(path.join(os.tmpdir(), 'zhelian-peer-cli-'));
        backend = await openBackend({ network: 'embedded', dataDir, topology: 'test-network' });
        await backend.lifecycle!.deploy({ packageDir: ASSET_TRANSFER, name: 'basic' });
        const gateway = await backend.connect({ mspId: 'Org1MSP', name: 'user1' });
        await gateway
            .getNetwork('mychannel')
            .getContract('basic')
            .submitTransaction('CreateAsset', 'asset1', 'red', '7');
        gateway.close();
        const [endpoint]: PeerEndpoint[] = await backend.fabricProtocols!.serve({ ports: { Org1MSP: 0, Org2MSP: 0 } });
        const { organizations } = await backend.fabricProtocols!.exportOrganizations(
            path.join(dataDir, 'organizations'),
        );
        const org1 = organizations.find((org) => org.mspId === 'Org1MSP')!;
        env = {
            ...process.env,
            FABRIC_CFG_PATH,
            CORE_PEER_TLS_ENABLED: 'true',
            CORE_PEER_LOCALMSPID: 'Org1MSP',
            CORE_PEER_MSPCONFIGPATH: path.join(org1.users.admin, 'msp'),
            CORE_PEER_ADDRESS: endpoint.endpoint,
            CORE_PEER_TLS_ROOTCERT_FILE: path.join(org1.path, 'peers', endpoint.hostAlias, 'tls', 'ca.crt'),
            CORE_PEER_TLS_SERVERHOSTOVERRIDE: endpoint.hostAlias,
            FABRIC_LOGGING_SPEC: 'WARNING',
        };
    });

    afterAll(async () => {
        await backend?.close();
        if (dataDir) {
            await rm(dataDir, { recursive: true, force: true });
        }
    });

    it('queries a chaincode and the committed definitions through the Endorser service', async (context) => {
        if (!peerBinary) {
            context.skip('no Fabric peer binary (FABRIC_BIN, PATH or npm run network:install)');
        }
        const query = await peerCli(
            'chaincode',
            'query',
            '-C',
            'mychannel',
            '-n',
            'basic',
            '-c',
            '{"Args":["ReadAsset","asset1"]}',
        );
        expect(query.code).toBe(0);
        expect(JSON.parse(query.stdout)).toMatchObject({ ID: 'asset1', Color: 'red', OwnerOrg: 'Org1MSP' });

        const committed = await peerCli(
            'lifecycle',
            'chaincode',
            'querycommitted',
            '-C',
            'mychannel',
            '-n',
            'basic',
            '-O',
            'json',
        );
        expect(committed.code).toBe(0);
        expect(JSON.parse(committed.stdout)).toMatchObject({
            sequence: 1,
            approvals: { Org1MSP: true, Org2MSP: true },
        });
    });

    it('reads the chain through qscc and Deliver', async (context) => {
        if (!peerBinary) {
            context.skip('no Fabric peer binary (FABRIC_BIN, PATH or npm run network:install)');
        }
        const height = await backend.explorer.getHeight();
        const info = await peerCli('channel', 'getinfo', '-c', 'mychannel');
        expect(info.code).toBe(0);
        expect(JSON.parse(info.stdout.slice(info.stdout.indexOf('{')))).toMatchObject({ height });

        const file = path.join(dataDir, 'newest.block');
        const fetched = await peerCli('channel', 'fetch', 'newest', file, '-c', 'mychannel');
        expect(fetched.code).toBe(0);
        const block = common.Block.deserializeBinary(await readFile(file));
        expect(block.getHeader()?.getNumber()).toBe(height - 1);
    });
});
