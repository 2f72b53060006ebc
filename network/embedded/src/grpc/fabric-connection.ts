import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ExportedOrganizations, PeerEndpoint } from '@zhelian/api';

/**
 * Writes, beside an export, the connection description `@zhelian/fabric` reads (the format
 * `npm run network:up` writes for a Fabric network: `format: 1`, organizations with their peers'
 * endpoints and TLS CAs, their CAs, a wallet of `<mspId>/<name>/{cert.pem,key.pem}`), naming the
 * embedded peers' endpoints. Zhelian's Fabric backend — and so `ZHELIAN_NETWORK=fabric npx zhelian
 * …` — then works through the served peers, e.g. while `zhelian serve` holds the data dir. It
 * orders through the peers' gateways and has no orderer or chaincode servers of its own.
 *
 * ```ts
 * const file = await writeFabricConnection(exported, endpoints, { channel, mspDir, topologyName });
 * ```
 */
export async function writeFabricConnection(
    exported: ExportedOrganizations,
    endpoints: readonly PeerEndpoint[],
    network: { channel: string; defaultPolicy: string; stateDatabase: 'leveldb' | 'couchdb'; mspDir: string },
): Promise<string> {
    const wallet = path.join(exported.directory, 'wallet');
    for (const org of exported.organizations) {
        for (const [name, userDir] of Object.entries(org.users)) {
            const target = path.join(wallet, org.mspId, name);
            await mkdir(target, { recursive: true });
            const signcerts = path.join(userDir, 'msp', 'signcerts');
            await copyFile(path.join(signcerts, (await readdir(signcerts))[0]), path.join(target, 'cert.pem'));
            await copyFile(path.join(userDir, 'msp', 'keystore', 'priv_sk'), path.join(target, 'key.pem'));
        }
    }
    const relative = (file: string) => path.relative(exported.directory, file);
    const connection = {
        format: 1,
        runtime: 'embedded',
        fabricVersion: 'embedded',
        stateDatabase: network.stateDatabase,
        channel: network.channel,
        defaultPolicy: network.defaultPolicy,
        ordering: { type: 'etcdraft', orderers: [] },
        organizations: exported.organizations.map((org) => {
            const endpoint = endpoints.find((e) => e.mspId === org.mspId)!;
            return {
                mspId: org.mspId,
                name: org.mspId.replace(/MSP$/, ''),
                domain: org.domain,
                peers: [
                    {
                        name: endpoint.hostAlias,
                        address: endpoint.endpoint,
                        tlsRootCert: relative(path.join(org.path, 'peers', endpoint.hostAlias, 'tls', 'ca.crt')),
                    },
                ],
                // The organization's CA stays in the data dir; enrolling a participant needs its key.
                ca: {
                    certificate: path.join(network.mspDir, org.mspId, 'ca', 'cert.pem'),
                    privateKey: path.join(network.mspDir, org.mspId, 'ca', 'key.pem'),
                },
            };
        }),
        wallet: relative(wallet),
        chaincodeServers: [],
    };
    const file = path.join(exported.directory, 'connection.json');
    await writeFile(file, `${JSON.stringify(connection, null, 4)}\n`);
    return file;
}
