import { generateKeyPairSync, webcrypto, X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@zhelian/api';
import { certificateHolder, EnrollmentIssuer } from './enrollment-issuer';
import { Wallet } from './wallet';
import { x509 } from './x509';

let dir: string;
let caPem: string;
let issuer: EnrollmentIssuer;

/** A CA like cryptogen's: a self-signed P-256 certificate and its PKCS#8 key. */
beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'zhelian-fabric-msp-'));
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
    const keys = {
        privateKey: await webcrypto.subtle.importKey(
            'pkcs8',
            privateKey.export({ type: 'pkcs8', format: 'der' }),
            algorithm,
            true,
            ['sign'],
        ),
        publicKey: await webcrypto.subtle.importKey(
            'spki',
            publicKey.export({ type: 'spki', format: 'der' }),
            algorithm,
            true,
            ['verify'],
        ),
    };
    const ca = await x509.X509CertificateGenerator.createSelfSigned({
        name: 'C=US, O=member.zhelian.local, CN=ca.member.zhelian.local',
        keys,
        signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
        extensions: [
            new x509.BasicConstraintsExtension(true, undefined, true),
            await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        ],
    });
    caPem = ca.toString('pem');
    await writeFile(path.join(dir, 'ca.pem'), caPem);
    await writeFile(path.join(dir, 'priv_sk'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    issuer = await EnrollmentIssuer.load(path.join(dir, 'ca.pem'), path.join(dir, 'priv_sk'));
});

afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
});

describe('enrollment certificates from an organization CA key', () => {
    it("carry the NodeOU and Fabric CA's attributes, signed by the CA", async () => {
        const { certificate } = await issuer.issue({
            name: 'zheyi',
            role: 'client',
            attrs: { role: 'hospital', unit: '浙江大学医学院附属第一医院' },
        });
        const parsed = new X509Certificate(certificate);
        expect(parsed.verify(new X509Certificate(caPem).publicKey)).toBe(true);
        expect(parsed.subject).toContain('OU=client');
        expect(parsed.issuer).toBe(new X509Certificate(caPem).subject);
        expect(certificateHolder(certificate)).toEqual({
            name: 'zheyi',
            role: 'client',
            attrs: { role: 'hospital', unit: '浙江大学医学院附属第一医院' },
        });
    });

    it("lie within the CA's validity, which Fabric checks as of the certificate's notBefore", async () => {
        const { certificate } = await issuer.issue({ name: 'early', role: 'client', attrs: {} });
        const ca = new X509Certificate(caPem);
        const issued = new X509Certificate(certificate);
        expect(Date.parse(issued.validFrom)).toBeGreaterThanOrEqual(Date.parse(ca.validFrom));
        expect(Date.parse(issued.validTo)).toBeLessThanOrEqual(Date.parse(ca.validTo));
    });

    it('refuse attributes only the CA sets', async () => {
        await expect(issuer.issue({ name: 'x', role: 'client', attrs: { 'hf.Type': 'admin' } })).rejects.toMatchObject({
            code: ErrorCode.RESERVED_ATTRIBUTE,
        });
    });
});

describe('the wallet', () => {
    it("keeps a client's own enrollments apart, searched first, and refuses a name taken in either", async () => {
        const network = new Wallet(path.join(dir, 'network'));
        const own = new Wallet(path.join(dir, 'network'), path.join(dir, 'own'));
        await network.add(
            { mspId: 'MemberMSP', name: 'zheyi' },
            await issuer.issue({ name: 'zheyi', role: 'client', attrs: {} }),
        );
        await own.add(
            { mspId: 'MemberMSP', name: 'grower2' },
            await issuer.issue({ name: 'grower2', role: 'client', attrs: { role: 'grower' } }),
        );
        expect((await own.list()).map((i) => i.name)).toEqual(['grower2', 'zheyi']);
        expect((await network.list()).map((i) => i.name)).toEqual(['zheyi']);
        await expect(
            own.add({ mspId: 'MemberMSP', name: 'zheyi' }, { certificate: '', privateKey: '' }),
        ).rejects.toMatchObject({
            code: ErrorCode.DUPLICATE_IDENTITY,
        });
        await expect(own.credentials({ mspId: 'MemberMSP', name: 'nobody' })).rejects.toMatchObject({
            code: ErrorCode.UNKNOWN_IDENTITY,
        });
        await expect(
            own.add({ mspId: 'MemberMSP', name: '../x' }, { certificate: '', privateKey: '' }),
        ).rejects.toMatchObject({
            code: ErrorCode.INVALID_IDENTITY_NAME,
        });
    });
});
