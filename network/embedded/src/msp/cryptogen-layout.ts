import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { orgDomain } from './ca';
import type { PeerTls } from './peer-tls';

/** One organization's tree in cryptogen's layout. */
export interface CryptogenOrganization {
    mspId: string;
    domain: string;
    /** `<out>/peerOrganizations/<domain>`. */
    path: string;
    /** Each user's directory (`users/User1@<domain>`), by enrollment name. */
    users: Record<string, string>;
}

/**
 * Writes an organization's certificates and its users' keys from the data dir's MSP directory in
 * the layout `cryptogen generate` gives Fabric's test network, so an application configured for
 * the test network finds them where it looks:
 *
 * ```
 * peerOrganizations/org1.example.com/
 *   ca/ca.org1.example.com-cert.pem            tlsca/tlsca.org1.example.com-cert.pem
 *   msp/{cacerts,tlscacerts}/…, msp/config.yaml  (NodeOUs, as cryptogen writes it)
 *   peers/peer0.org1.example.com/msp/signcerts/…, tls/{ca.crt,server.crt}
 *   users/User1@org1.example.com/msp/{signcerts/User1@org1.example.com-cert.pem,keystore/priv_sk,cacerts,tlscacerts,config.yaml}
 *   users/User1@org1.example.com/tls/ca.crt
 * ```
 *
 * A user is named as cryptogen names them, its enrollment name with a capital first letter
 * (`user1` → `User1@org1.example.com`). Users' private keys are written, as a client needs them;
 * the CAs' and the peer's keys are not.
 */
export async function writeCryptogenOrganization(
    mspDir: string,
    mspId: string,
    tls: PeerTls,
    outDir: string,
): Promise<CryptogenOrganization> {
    const domain = orgDomain(mspId);
    const source = join(mspDir, mspId);
    const path = join(outDir, 'peerOrganizations', domain);
    const caFile = `ca.${domain}-cert.pem`;
    const tlsCaFile = `tlsca.${domain}-cert.pem`;
    const caCertificate = await readFile(join(source, 'ca', 'cert.pem'), 'utf8');

    await put(join(path, 'ca', caFile), caCertificate);
    await put(join(path, 'tlsca', tlsCaFile), tls.caCertificate);
    const msp = async (dir: string, signer?: { name: string; certificate: string; privateKey: string }) => {
        await put(join(dir, 'cacerts', caFile), caCertificate);
        await put(join(dir, 'tlscacerts', tlsCaFile), tls.caCertificate);
        await put(join(dir, 'config.yaml'), nodeOusConfig(caFile));
        if (signer) {
            await put(join(dir, 'signcerts', `${signer.name}-cert.pem`), signer.certificate);
            await put(join(dir, 'keystore', 'priv_sk'), signer.privateKey, 0o600);
        }
    };
    await msp(join(path, 'msp'));

    const peerDir = join(path, 'peers', tls.hostName);
    await msp(join(peerDir, 'msp'));
    const peerCertificate = await readFile(join(source, 'peers', tls.hostName, 'cert.pem'), 'utf8');
    await put(join(peerDir, 'msp', 'signcerts', `${tls.hostName}-cert.pem`), peerCertificate);
    await put(join(peerDir, 'tls', 'ca.crt'), tls.caCertificate);
    await put(join(peerDir, 'tls', 'server.crt'), tls.certificate);

    const users: Record<string, string> = {};
    const userNames = (await readdir(join(source, 'users'), { withFileTypes: true }))
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort();
    for (const name of userNames) {
        const [certificate, privateKey] = await Promise.all([
            readFile(join(source, 'users', name, 'cert.pem'), 'utf8').catch(() => undefined),
            readFile(join(source, 'users', name, 'key.pem'), 'utf8').catch(() => undefined),
        ]);
        if (certificate === undefined || privateKey === undefined) {
            continue; // an enrollment that never completed
        }
        const userName = `${name.charAt(0).toUpperCase()}${name.slice(1)}@${domain}`;
        const userDir = join(path, 'users', userName);
        await msp(join(userDir, 'msp'), { name: userName, certificate, privateKey });
        await put(join(userDir, 'tls', 'ca.crt'), tls.caCertificate);
        users[name] = userDir;
    }
    return { mspId, domain, path, users };
}

/** The NodeOUs configuration cryptogen writes into each MSP directory (`config.yaml`). */
function nodeOusConfig(caFile: string): string {
    const ou = (kind: string, name: string) =>
        `  ${kind}OUIdentifier:\n    Certificate: cacerts/${caFile}\n    OrganizationalUnitIdentifier: ${name}\n`;
    return `NodeOUs:\n  Enable: true\n${ou('Client', 'client')}${ou('Peer', 'peer')}${ou('Admin', 'admin')}${ou('Orderer', 'orderer')}`;
}

async function put(file: string, content: string, mode = 0o644): Promise<void> {
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(file, content, { mode });
}
