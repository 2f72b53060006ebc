import { createHash, generateKeyPairSync } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import * as asn from '@peculiar/asn1-x509';
import { describe, expect, it } from 'vitest';
import {
    type CertificateContent,
    encodeCertificate,
    encodeName,
    encodeTbsCertificate,
    extension,
    KeyPurpose,
    KeyUsage,
    keyIdOf,
    type NameParts,
} from './certificate-writer';
import * as der from './der-writer';

/*
 * @peculiar/asn1-x509, a maintained ASN.1 model of RFC 5280, is the oracle: the same content,
 * built from its structures and encoded by it, must give the same bytes.
 */

const OIDS = { C: '2.5.4.6', ST: '2.5.4.8', L: '2.5.4.7', O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3' };

function oracleName(parts: NameParts, printable: (value: string) => boolean): asn.Name {
    return new asn.Name(
        parts.map(
            ([type, value]) =>
                new asn.RelativeDistinguishedName([
                    new asn.AttributeTypeAndValue({
                        type: OIDS[type],
                        value: new asn.AttributeValue(
                            printable(value) ? { printableString: value } : { utf8String: value },
                        ),
                    }),
                ]),
        ),
    );
}

const oracleExtension = (id: string, critical: boolean, value: ArrayBuffer | Uint8Array) =>
    new asn.Extension({ extnID: id, critical, extnValue: new OctetString(value) });

const serialize = (value: object): Buffer => Buffer.from(AsnConvert.serialize(value));

const spki = (): Buffer =>
    generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' });

describe('the DER the CA writes, byte for byte as @peculiar/asn1-x509 encodes the same certificate', () => {
    const issuer: NameParts = [
        ['C', 'CN'],
        ['ST', 'Zhejiang'],
        ['L', 'Hangzhou'],
        ['O', 'member.zhelian.local'],
        ['CN', 'ca.member.zhelian.local'],
    ];
    const subject: NameParts = [...issuer.slice(0, 4), ['OU', 'client'], ['CN', '浙一医院 (zheyi)']];
    const publicKey = spki();
    const keyId = keyIdOf(publicKey);
    // Long enough for a two-octet length: the attributes of a user with a long unit name.
    const attrs = Buffer.from(
        JSON.stringify({ attrs: { role: 'hospital', unit: '浙江大学医学院附属第一医院'.repeat(8) } }),
    );
    const content: CertificateContent = {
        // As the CA makes them: 20 random octets, the first one positive and not zero.
        serialNumber: Buffer.from('7f'.padEnd(40, '3c'), 'hex'),
        subject,
        issuer: encodeName(issuer),
        notBefore: new Date('2026-11-30T08:00:00.250Z'),
        // After 2049: GeneralizedTime (whole seconds; RFC 5280 allows no fraction there).
        notAfter: new Date('2051-01-01T00:00:00Z'),
        publicKey,
        extensions: [
            extension.keyUsage([KeyUsage.digitalSignature, KeyUsage.keyEncipherment]),
            { id: '1.2.3.4.5.6.7.8.1', critical: false, value: attrs },
            extension.subjectAltName(['peer0.member.zhelian.local', '127.0.0.1', '::1', 'fe80::1:2']),
            extension.extendedKeyUsage([KeyPurpose.serverAuth, KeyPurpose.clientAuth]),
            extension.basicConstraints(),
            extension.basicConstraints({ pathLength: 1 }),
            extension.keyUsage([KeyUsage.keyCertSign, KeyUsage.cRLSign]),
            extension.subjectKeyIdentifier(keyId),
            extension.authorityKeyIdentifier(keyId),
        ],
    };

    const oracleTbs = new asn.TBSCertificate({
        version: asn.Version.v3,
        serialNumber: new Uint8Array(content.serialNumber).buffer,
        signature: new asn.AlgorithmIdentifier({ algorithm: '1.2.840.10045.4.3.2' }),
        issuer: oracleName(issuer, (value) => /^[A-Za-z0-9 '()+,./:=?-]*$/.test(value)),
        validity: new asn.Validity({ notBefore: content.notBefore, notAfter: content.notAfter }),
        subject: oracleName(subject, (value) => /^[A-Za-z0-9 '()+,./:=?-]*$/.test(value)),
        subjectPublicKeyInfo: AsnConvert.parse(publicKey, asn.SubjectPublicKeyInfo),
        extensions: new asn.Extensions([
            oracleExtension(
                asn.id_ce_keyUsage,
                true,
                AsnConvert.serialize(
                    new asn.KeyUsage(asn.KeyUsageFlags.digitalSignature | asn.KeyUsageFlags.keyEncipherment),
                ),
            ),
            oracleExtension('1.2.3.4.5.6.7.8.1', false, attrs),
            oracleExtension(
                asn.id_ce_subjectAltName,
                false,
                AsnConvert.serialize(
                    new asn.SubjectAlternativeName([
                        new asn.GeneralName({ dNSName: 'peer0.member.zhelian.local' }),
                        new asn.GeneralName({ iPAddress: '127.0.0.1' }),
                        new asn.GeneralName({ iPAddress: '::1' }),
                        new asn.GeneralName({ iPAddress: 'fe80::1:2' }),
                    ]),
                ),
            ),
            oracleExtension(
                asn.id_ce_extKeyUsage,
                false,
                AsnConvert.serialize(new asn.ExtendedKeyUsage([asn.id_kp_serverAuth, asn.id_kp_clientAuth])),
            ),
            oracleExtension(
                asn.id_ce_basicConstraints,
                true,
                AsnConvert.serialize(new asn.BasicConstraints({ cA: false })),
            ),
            oracleExtension(
                asn.id_ce_basicConstraints,
                true,
                AsnConvert.serialize(new asn.BasicConstraints({ cA: true, pathLenConstraint: 1 })),
            ),
            oracleExtension(
                asn.id_ce_keyUsage,
                true,
                AsnConvert.serialize(new asn.KeyUsage(asn.KeyUsageFlags.keyCertSign | asn.KeyUsageFlags.cRLSign)),
            ),
            oracleExtension(
                asn.id_ce_subjectKeyIdentifier,
                false,
                AsnConvert.serialize(new asn.SubjectKeyIdentifier(keyId)),
            ),
            oracleExtension(
                asn.id_ce_authorityKeyIdentifier,
                false,
                AsnConvert.serialize(new asn.AuthorityKeyIdentifier({ keyIdentifier: new asn.KeyIdentifier(keyId) })),
            ),
        ]),
    });

    it('writes the TBSCertificate: version, serial, algorithm, names, validity, key and every extension of its profiles', () => {
        expect(encodeTbsCertificate(content).toString('hex')).toBe(serialize(oracleTbs).toString('hex'));
    });

    it('writes the signed certificate around it', () => {
        const tbs = encodeTbsCertificate(content);
        const signature = Buffer.from('3045022100' + 'ab'.repeat(32) + '0220' + 'cd'.repeat(32), 'hex');
        const oracle = new asn.Certificate({
            tbsCertificate: oracleTbs,
            signatureAlgorithm: new asn.AlgorithmIdentifier({ algorithm: '1.2.840.10045.4.3.2' }),
            signatureValue: new Uint8Array(signature).buffer,
        });
        expect(encodeCertificate(tbs, signature).toString('hex')).toBe(serialize(oracle).toString('hex'));
    });

    it("computes a key's identifier as RFC 5280's first method: SHA-1 of the public key's bits", () => {
        const bits = AsnConvert.parse(publicKey, asn.SubjectPublicKeyInfo).subjectPublicKey;
        expect(keyId).toEqual(createHash('sha1').update(Buffer.from(bits)).digest());
    });
});

describe('DER primitives', () => {
    it('writes a positive INTEGER with a leading zero before a high bit, and none that is not needed', () => {
        expect(der.unsignedInteger(Uint8Array.of(0x80)).toString('hex')).toBe('02020080');
        expect(der.unsignedInteger(Uint8Array.of(0, 0, 0x7f)).toString('hex')).toBe('02017f');
        expect(der.unsignedInteger(Uint8Array.of(0)).toString('hex')).toBe('020100');
    });

    it('writes lengths in the short form below 128 octets, else in the fewest octets of the long form', () => {
        expect(der.octetString(Buffer.alloc(127)).subarray(0, 2).toString('hex')).toBe('047f');
        expect(der.octetString(Buffer.alloc(128)).subarray(0, 3).toString('hex')).toBe('048180');
        expect(der.octetString(Buffer.alloc(256)).subarray(0, 4).toString('hex')).toBe('04820100');
    });

    it('writes object identifiers with their arcs in base 128', () => {
        // X.690's example and the ECDSA-with-SHA-256 algorithm.
        expect(der.objectIdentifier('2.100.3').toString('hex')).toBe('0603813403');
        expect(der.objectIdentifier('1.2.840.10045.4.3.2').toString('hex')).toBe('06082a8648ce3d040302');
    });
});
