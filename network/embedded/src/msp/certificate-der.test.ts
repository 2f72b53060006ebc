import { webcrypto, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FABRIC_ATTRS_OID } from './certificate';
import { readCertificateParts } from './certificate-der';
import { x509 } from '../../test/support/x509';

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' };

/** A self-signed certificate with `name` as its subject and the given extensions. */
async function certificate(name: x509.JsonNameParams | string, extensions: x509.Extension[]): Promise<string> {
    const keys = await webcrypto.subtle.generateKey(ALGORITHM, false, ['sign', 'verify']);
    const made = await x509.X509CertificateGenerator.createSelfSigned({
        name: new x509.Name(name),
        keys,
        signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
        extensions,
    });
    return made.toString('pem');
}

/** X.520's names of the subject attributes these certificates use, by @peculiar/x509's short names. */
const TYPES: Record<string, string> = {
    C: '2.5.4.6',
    ST: '2.5.4.8',
    L: '2.5.4.7',
    O: '2.5.4.10',
    OU: '2.5.4.11',
    CN: '2.5.4.3',
};

/** What @peculiar/x509, reading the whole certificate, says the same parts are. */
function peculiarParts(pem: string): { fields: Record<string, string[]>; extensions: Map<string, Uint8Array> } {
    const parsed = new x509.X509Certificate(pem);
    const fields = Object.fromEntries(Object.keys(TYPES).map((name) => [name, parsed.subjectName.getField(name)]));
    const extensions = new Map<string, Uint8Array>();
    for (const extension of parsed.extensions) {
        if (!extensions.has(extension.type)) {
            extensions.set(extension.type, new Uint8Array(extension.value));
        }
    }
    return { fields, extensions };
}

function der(pem: string): Uint8Array {
    return new X509Certificate(pem).raw;
}

describe('readCertificateParts', () => {
    it('reads what @peculiar/x509 reads: each subject attribute, in order, and each extension value', async () => {
        const attrs = new TextEncoder().encode(JSON.stringify({ attrs: { role: '法官', 'hf.EnrollmentID': 'zheyi' } }));
        const cases: [x509.JsonNameParams | string, x509.Extension[]][] = [
            [
                'C=CN, ST=Zhejiang, L=Hangzhou, O=court.zhelian.local, OU=client, CN=zheyi',
                [
                    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
                    new x509.Extension(FABRIC_ATTRS_OID, false, attrs),
                ],
            ],
            [
                [{ O: ['法院'] }, { OU: ['member', 'admin'] }, { CN: [{ utf8String: '浙一 法官' }] }],
                [new x509.BasicConstraintsExtension(true, 1, true)],
            ],
            [
                [{ OU: [{ printableString: 'peer' }] }, { CN: [{ ia5String: 'peer0.member.zhelian.local' }] }],
                [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'peer0.member.zhelian.local' }])],
            ],
            [[{ CN: [{ bmpString: 'bmp 名字' }] }, { OU: [{ universalString: 'univ' }] }], []],
        ];
        for (const [name, extensions] of cases) {
            const pem = await certificate(name, extensions);
            const ours = readCertificateParts(der(pem));
            const theirs = peculiarParts(pem);
            const fields = Object.fromEntries(
                Object.entries(TYPES).map(([name, oid]) => [
                    name,
                    ours.subject.filter((a) => a.type === oid).map((a) => a.value),
                ]),
            );
            expect(fields).toEqual(theirs.fields);
            expect(ours.subject.length).toBe(Object.values(theirs.fields).flat().length);
            expect(ours.extensions).toEqual(theirs.extensions);
        }
    });

    it('reads a large extension, whose length takes the long form', async () => {
        const big = new TextEncoder().encode(JSON.stringify({ attrs: { note: 'x'.repeat(70_000) } }));
        const pem = await certificate('CN=big', [new x509.Extension(FABRIC_ATTRS_OID, false, big)]);
        expect(readCertificateParts(der(pem)).extensions.get(FABRIC_ATTRS_OID)).toEqual(big);
    });

    it('throws on bytes that are not a certificate, rather than reading garbage', () => {
        expect(() => readCertificateParts(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]))).toThrow(/TBSCertificate/);
        expect(() => readCertificateParts(new Uint8Array([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]))).toThrow(/runs past/);
    });
});
