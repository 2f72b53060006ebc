import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openBackend } from '@zhelian/api';
import { describeEvidenceClient } from './evidence-client';

const CHAINCODE_DIR = path.join(__dirname, '..', '..', 'chaincode');

/**
 * The embedded ledger as an application meets it: the zhelian chaincode deployed, each
 * organization's peer served over gRPC+TLS (on free ports), and the crypto material exported in
 * cryptogen's layout — the application reads its certificate, key and the peer's TLS CA from
 * files there, as it would from Fabric's test network.
 */
describeEvidenceClient('the embedded ledger', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-fabric-clients-'));
    const backend = await openBackend({ network: 'embedded', dataDir, topology: 'zhelian' });
    try {
        await backend.lifecycle!.deploy({
            packageDir: CHAINCODE_DIR,
            name: 'zhelian',
            collections: path.join(CHAINCODE_DIR, 'collections_config.json'),
        });
        const protocols = backend.fabricProtocols!;
        const orgs = backend.describe().organizations.map((org) => org.mspId);
        const endpoints = await protocols.serve({ ports: Object.fromEntries(orgs.map((mspId) => [mspId, 0])) });
        const { organizations } = await protocols.exportOrganizations(path.join(dataDir, 'organizations'));
        const organization = (mspId: string) => organizations.find((org) => org.mspId === mspId)!;
        const signcerts = new Map<string, string>();
        for (const org of organizations) {
            for (const userDir of Object.values(org.users)) {
                const dir = path.join(userDir, 'msp', 'signcerts');
                signcerts.set(userDir, path.join(dir, (await readdir(dir))[0]));
            }
        }
        return {
            channel: backend.describe().channel,
            chaincode: 'zhelian',
            peer(mspId) {
                const endpoint = endpoints.find((e) => e.mspId === mspId)!;
                return {
                    endpoint: endpoint.endpoint,
                    hostAlias: endpoint.hostAlias,
                    tlsCertPath: path.join(organization(mspId).path, 'peers', endpoint.hostAlias, 'tls', 'ca.crt'),
                };
            },
            user(mspId, name) {
                const userDir = organization(mspId).users[name];
                return {
                    mspId,
                    certPath: signcerts.get(userDir)!,
                    keyPath: path.join(userDir, 'msp', 'keystore', 'priv_sk'),
                };
            },
            async close() {
                await backend.close();
                await rm(dataDir, { recursive: true, force: true });
            },
        };
    } catch (err) {
        await backend.close();
        await rm(dataDir, { recursive: true, force: true });
        throw err;
    }
});
