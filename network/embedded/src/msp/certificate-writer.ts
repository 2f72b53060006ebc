import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { readSubjectPublicKey } from './certificate-der';
import * as der from './der-writer';

/**
 * An X.509 v3 certificate's parts as the embedded CA writes them (RFC 5280), in DER: names,
 * the extensions of its profiles, the TBSCertificate to sign, and the signed certificate. Signing
 * is the caller's (`node:crypto`); see `der-writer.ts` for why this does not go through an ASN.1
 * library's object model.
 */

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';

const NAME_OIDS = { C: '2.5.4.6', ST: '2.5.4.8', L: '2.5.4.7', O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3' };

/** Attribute short names and values, one relative distinguished name each, in order. */
export type NameParts = [keyof typeof NAME_OIDS, string][];

/** A distinguished name: PrintableString where the text allows it, else UTF8String (a Chinese name). */
export function encodeName(parts: NameParts): der.Der {
    return der.sequence(
        ...parts.map(([type, value]) =>
            der.set(
                der.sequence(
                    der.objectIdentifier(NAME_OIDS[type]),
                    /^[A-Za-z0-9 '()+,./:=?-]*$/.test(value) ? der.printableString(value) : der.utf8String(value),
                ),
            ),
        ),
    );
}

/** An extension: its OID, whether it is critical, and its value (the OCTET STRING's content). */
export interface CertificateExtension {
    id: string;
    critical: boolean;
    value: Uint8Array;
}

/** KeyUsage's bits (RFC 5280 4.2.1.3), by their number. */
export const KeyUsage = { digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 } as const;

/** The extensions of the CA's profiles. */
export const extension = {
    keyUsage: (bits: readonly number[]): CertificateExtension => ({
        id: '2.5.29.15',
        critical: true,
        value: der.namedBits(bits),
    }),
    /** An end entity (`undefined`), or a CA that may certify CAs `pathLength` deep. */
    basicConstraints: (ca?: { pathLength: number }): CertificateExtension => ({
        id: '2.5.29.19',
        critical: true,
        value: ca ? der.sequence(der.booleanTrue(), der.unsignedInteger(Uint8Array.of(ca.pathLength))) : der.sequence(),
    }),
    subjectKeyIdentifier: (keyId: Uint8Array): CertificateExtension => ({
        id: '2.5.29.14',
        critical: false,
        value: der.octetString(keyId),
    }),
    authorityKeyIdentifier: (keyId: Uint8Array): CertificateExtension => ({
        id: '2.5.29.35',
        critical: false,
        value: der.sequence(der.implicit(0, keyId)),
    }),
    /** Host names as dNSName, IPv4 and IPv6 addresses as iPAddress. */
    subjectAltName: (hosts: readonly string[]): CertificateExtension => ({
        id: '2.5.29.17',
        critical: false,
        value: der.sequence(
            ...hosts.map((host) =>
                isIP(host) ? der.implicit(7, ipAddressBytes(host)) : der.element(0x82, Buffer.from(host, 'latin1')),
            ),
        ),
    }),
    extendedKeyUsage: (purposes: readonly string[]): CertificateExtension => ({
        id: '2.5.29.37',
        critical: false,
        value: der.sequence(...purposes.map((purpose) => der.objectIdentifier(purpose))),
    }),
};

/** ExtendedKeyUsage purposes (RFC 5280 4.2.1.12). */
export const KeyPurpose = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2' } as const;

/** What a certificate says, apart from its signature algorithm (always ECDSA with SHA-256). */
export interface CertificateContent {
    /** A positive serial number, big-endian. */
    serialNumber: Uint8Array;
    subject: NameParts;
    /** The issuer's name as its own certificate encodes it (the subject's, when self-signed). */
    issuer: Uint8Array;
    notBefore: Date;
    notAfter: Date;
    /** The subject's public key, a DER SubjectPublicKeyInfo. */
    publicKey: Uint8Array;
    extensions: CertificateExtension[];
}

/** The TBSCertificate of `content`: the bytes the issuer signs. */
export function encodeTbsCertificate(content: CertificateContent): der.Der {
    return der.sequence(
        der.explicit(0, der.unsignedInteger(Uint8Array.of(2))),
        der.unsignedInteger(content.serialNumber),
        der.sequence(der.objectIdentifier(ECDSA_WITH_SHA256)),
        content.issuer,
        der.sequence(der.time(content.notBefore), der.time(content.notAfter)),
        encodeName(content.subject),
        content.publicKey,
        der.explicit(
            3,
            der.sequence(
                ...content.extensions.map((ext) =>
                    der.sequence(
                        der.objectIdentifier(ext.id),
                        ...(ext.critical ? [der.booleanTrue()] : []),
                        der.octetString(ext.value),
                    ),
                ),
            ),
        ),
    );
}

/** The certificate: a TBSCertificate and its issuer's DER ECDSA-with-SHA-256 signature of it. */
export function encodeCertificate(tbsCertificate: Uint8Array, signature: Uint8Array): der.Der {
    return der.sequence(
        tbsCertificate,
        der.sequence(der.objectIdentifier(ECDSA_WITH_SHA256)),
        der.bitString(signature),
    );
}

/** RFC 5280's key identifier (method 1): the SHA-1 of the public key's bits in a DER SubjectPublicKeyInfo. */
export function keyIdOf(publicKey: Uint8Array): Buffer {
    return createHash('sha1').update(readSubjectPublicKey(publicKey)).digest();
}

/** An iPAddress's octets: 4 for IPv4, 16 for IPv6 (`::` expanded, a trailing dotted quad as its two groups). */
function ipAddressBytes(address: string): Buffer {
    const quad = (text: string): number[] => text.split('.').map(Number);
    if (isIP(address) === 4) {
        return Buffer.from(quad(address));
    }
    const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address)?.[1];
    const text = dotted
        ? address.slice(0, -dotted.length) +
          ((b) => `${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`)(quad(dotted))
        : address;
    const [head = '', tail] = text.split('::');
    const groups = (part: string): number[] => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
    const front = groups(head);
    const back = tail === undefined ? [] : groups(tail);
    const all = [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
    return Buffer.from(all.flatMap((group) => [group >> 8, group & 0xff]));
}
