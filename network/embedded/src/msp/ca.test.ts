import { webcrypto, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientIdentity } from 'fabric-shim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CertificateAuthority, orgDomain } from './ca';
import { x509 } from '../../test/support/x509';
import { readCertificate } from './certificate';
import { writeCredentials } from './credentials';
import { ReservedAttributeError } from './errors';

/** The least fabric-shim's ClientIdentity reads from a ChaincodeStub. */
function clientIdentityOf(mspid: string, certificate: string): ClientIdentity {
    const stub = {
        getChannelID: () => 'zhelian',
        getTxID: () => 'tx1',
        getCreator: () => ({ mspid, idBytes: new TextEncoder().encode(certificate) }),
    };
    return new ClientIdentity(stub as never);
}

describe('CertificateAuthority', () => {
    let dir: string;

    beforeEach(async () => {
        dir = await mkdtemp(join(tmpdir(), 'zhelian-ca-'));
    });

    afterEach(async () => {
        await rm(dir, { recursive: true, force: true });
    });

    it('derives Fabric-sample style domains from MSP IDs', () => {
        expect(orgDomain('Org1MSP')).toBe('org1.example.com');
        expect(orgDomain('RegulatorMSP')).toBe('regulator.zhelian.local');
        expect(orgDomain('MemberMSP')).toBe('member.zhelian.local');
    });

    it('creates a self-signed P-256 root and reloads the same one', async () => {
        const first = await CertificateAuthority.open(dir, 'RegulatorMSP');
        const root = new X509Certificate(first.certificate);
        expect(root.ca).toBe(true);
        expect(root.subject).toContain('CN=ca.regulator.zhelian.local');
        expect(root.subject).toContain('O=regulator.zhelian.local');
        expect(root.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
        expect(root.verify(root.publicKey)).toBe(true);
        expect(await readFile(join(dir, 'key.pem'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);

        const second = await CertificateAuthority.open(dir, 'RegulatorMSP');
        expect(second.certificate).toBe(first.certificate);
        const issued = await second.issue({ commonName: 'finance', nodeOU: 'client' });
        expect(new X509Certificate(issued.certificate).verify(first.publicKey)).toBe(true);
    });

    it('issues certificates that fabric-shim ClientIdentity reads unchanged, Chinese attributes included', async () => {
        const ca = await CertificateAuthority.open(dir, 'MemberMSP');
        const { certificate, privateKey } = await ca.issue({
            commonName: 'zheyi',
            nodeOU: 'client',
            attrs: { role: 'hospital', unit: '浙江大学医学院附属第一医院' },
        });
        expect(privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);

        const identity = clientIdentityOf('MemberMSP', certificate);
        expect(identity.getMSPID()).toBe('MemberMSP');
        expect(identity.getID()).toBe(
            'x509::/C=CN/ST=Zhejiang/L=Hangzhou/O=member.zhelian.local/OU=client/CN=zheyi' +
                '::/C=CN/ST=Zhejiang/L=Hangzhou/O=member.zhelian.local/CN=ca.member.zhelian.local',
        );
        expect(identity.getAttributeValue('role')).toBe('hospital');
        expect(identity.getAttributeValue('unit')).toBe('浙江大学医学院附属第一医院');
        expect(identity.assertAttributeValue('role', 'hospital')).toBe(true);
        expect(identity.assertAttributeValue('role', 'patient')).toBe(false);
        expect(identity.getAttributeValue('hf.EnrollmentID')).toBe('zheyi');
        expect(identity.getAttributeValue('hf.Type')).toBe('client');
        expect(identity.getAttributeValue('missing')).toBeNull();
    });

    it('writes the Fabric CA profile: NodeOU, hf.* attributes, leaf constraints and SAN for peers', async () => {
        const ca = await CertificateAuthority.open(dir, 'Org1MSP');
        const peer = await ca.issue({ commonName: 'peer0.org1.example.com', nodeOU: 'peer' });
        const parsed = new X509Certificate(peer.certificate);
        expect(parsed.ca).toBe(false);
        expect(parsed.checkIssued(new X509Certificate(ca.certificate))).toBe(true);
        expect(parsed.subjectAltName).toBe('DNS:peer0.org1.example.com');
        expect(readCertificate(peer.certificate)).toEqual({
            commonName: 'peer0.org1.example.com',
            nodeOU: 'peer',
            attrs: { 'hf.Affiliation': '', 'hf.EnrollmentID': 'peer0.org1.example.com', 'hf.Type': 'peer' },
        });
    });

    it('certifies an existing key again when asked to', async () => {
        const ca = await CertificateAuthority.open(dir, 'Org1MSP');
        const first = await ca.issue({ commonName: 'user1', nodeOU: 'client' });
        const again = await ca.issue({ commonName: 'user1', nodeOU: 'admin', privateKey: first.privateKey });
        expect(again.privateKey).toBe(first.privateKey);
        expect(
            new X509Certificate(again.certificate).publicKey.equals(new X509Certificate(first.certificate).publicKey),
        ).toBe(true);
        expect(readCertificate(again.certificate).nodeOU).toBe('admin');
    });

    it('issues under a root that another encoder wrote (as data dirs made before hold), naming it as it names itself', async () => {
        // A root as @peculiar/x509's generator made them, with its own choice of string types.
        const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
            'sign',
            'verify',
        ]);
        const made = await x509.X509CertificateGenerator.createSelfSigned({
            serialNumber: '01',
            name: new x509.Name([
                { C: ['CN'] },
                { O: ['org1.example.com'] },
                { CN: [{ utf8String: 'ca.org1.example.com' }] },
            ]),
            notBefore: new Date(Date.now() - 60_000),
            notAfter: new Date(Date.now() + 3_600_000),
            signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
            keys,
            extensions: [
                new x509.BasicConstraintsExtension(true, 1, true),
                await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
            ],
        });
        const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
        await writeCredentials(dir, {
            certificate: made.toString('pem'),
            privateKey: `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)?.join('\n')}\n-----END PRIVATE KEY-----\n`,
        });

        const ca = await CertificateAuthority.open(dir, 'Org1MSP');
        const root = new X509Certificate(made.toString('pem'));
        const issued = new x509.X509Certificate(
            (await ca.issue({ commonName: 'user1', nodeOU: 'client' })).certificate,
        );
        expect(new X509Certificate(issued.toString('pem')).checkIssued(root)).toBe(true);
        expect(await issued.verify({ publicKey: keys.publicKey })).toBe(true);
        expect(Buffer.from(issued.issuerName.toArrayBuffer())).toEqual(Buffer.from(made.subjectName.toArrayBuffer()));
        expect(issued.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId).toBe(
            made.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId,
        );
    });

    it('issues TLS server certificates with their host names and addresses for server and client authentication', async () => {
        const ca = await CertificateAuthority.open(dir, 'Org1MSP', 'tlsca');
        const { certificate } = await ca.issueTls({
            commonName: 'peer0.org1.example.com',
            hosts: ['localhost', '127.0.0.1'],
        });
        const parsed = new X509Certificate(certificate);
        expect(parsed.checkIssued(new X509Certificate(ca.certificate))).toBe(true);
        expect(new X509Certificate(ca.certificate).subject).toContain('CN=tlsca.org1.example.com');
        expect(parsed.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
        expect(parsed.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
        expect(parsed.checkHost('localhost')).toBe('localhost');
        expect(parsed.checkIP('127.0.0.1')).toBe('127.0.0.1');
    });

    it('refuses to let a request set the CA-reserved hf.* attributes', async () => {
        const ca = await CertificateAuthority.open(dir, 'Org1MSP');
        await expect(
            ca.issue({ commonName: 'mallory', nodeOU: 'client', attrs: { 'hf.Type': 'admin' } }),
        ).rejects.toThrow(ReservedAttributeError);
    });
});
