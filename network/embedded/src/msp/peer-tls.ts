import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { CertificateAuthority, orgDomain } from './ca';
import { readCredentials, readPrivateKey, writeCredentials } from './credentials';

/** A peer's TLS identity: its server certificate and key, and the TLS CA clients trust. */
export interface PeerTls {
    /** The peer's host name, the TLS server name clients verify: `peer0.org1.example.com`. */
    hostName: string;
    /** PEM of the organization's TLS CA (`tlsca.<domain>`): a client's `tls/ca.crt`. */
    caCertificate: string;
    certificate: string;
    privateKey: string;
}

/**
 * The TLS material of an organization's peer, persisted beside its MSP as cryptogen lays it out
 * (`<org>/tlsca/`, `<org>/peers/peer0.<domain>/tls/`): a TLS CA of the organization's own, apart
 * from its identity CA, and a server certificate for the peer's host name plus `extraHosts`
 * (`localhost`, `127.0.0.1` by default, so clients connect locally with or without a host
 * alias). The certificate is issued again, for the same key, when the names it must cover change.
 *
 * ```ts
 * const tls = await openPeerTls('.zhelian/msp', 'Org1MSP');
 * grpc.ServerCredentials.createSsl(null, [{ cert_chain: Buffer.from(tls.certificate), private_key: Buffer.from(tls.privateKey) }]);
 * ```
 */
export async function openPeerTls(
    mspDir: string,
    mspId: string,
    extraHosts: readonly string[] = ['localhost', '127.0.0.1'],
): Promise<PeerTls> {
    const orgDir = join(mspDir, mspId);
    const ca = await CertificateAuthority.open(join(orgDir, 'tlsca'), mspId, 'tlsca');
    const hostName = `peer0.${orgDomain(mspId)}`;
    const dir = join(orgDir, 'peers', hostName, 'tls');
    const hosts = [...new Set([hostName, ...extraHosts])];
    let credentials = await readCredentials(dir);
    if (!credentials || !covers(credentials.certificate, hosts) || !issuedBy(credentials.certificate, ca)) {
        const privateKey = credentials ? credentials.privateKey : await readPrivateKey(dir);
        credentials = await ca.issueTls({ commonName: hostName, hosts, ...(privateKey ? { privateKey } : {}) });
        await writeCredentials(dir, credentials);
    }
    return { hostName, caCertificate: ca.certificate, ...credentials };
}

function covers(certificate: string, hosts: readonly string[]): boolean {
    const names = (new X509Certificate(certificate).subjectAltName ?? '').split(', ');
    return hosts.every((host) => names.includes(`DNS:${host}`) || names.includes(`IP Address:${host}`));
}

function issuedBy(certificate: string, ca: CertificateAuthority): boolean {
    return new X509Certificate(certificate).verify(ca.publicKey);
}
