import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, webcrypto } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ErrorCode, ZhelianError } from '@zhelian/api';
import { x509 } from './x509';

/** Where Fabric CA writes attributes: the raw JSON `{"attrs":{…}}` that fabric-shim's ClientIdentity reads. */
const FABRIC_CA_ATTRS_OID = '1.2.3.4.5.6.7.8.1';

const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
// Fabric CA backdates by five minutes for clock skew; a lab's network lives for years at most.
const BACKDATE_MS = 5 * 60_000;
const VALIDITY_MS = 10 * 365 * 24 * 3_600_000;

export type EnrollmentRole = 'client' | 'admin';

export interface EnrollmentRequest {
    name: string;
    role: EnrollmentRole;
    /** Application attributes (`role`, `unit`, …); `hf.*` are the CA's own. */
    attrs: Record<string, string>;
}

/** A certificate and its private key, both PEM. */
export interface Enrollment {
    certificate: string;
    privateKey: string;
}

/**
 * Issues enrollment certificates from an organization's CA key (the one `cryptogen` made), in
 * Fabric CA's profile: subject `O=<org domain>, OU=<client|admin>, CN=<name>`, the NodeOU the
 * channel's MSP classifies by, and the attribute extension with `hf.EnrollmentID`, `hf.Type`,
 * `hf.Affiliation` beside the requested attributes — what the chaincode's role checks read.
 *
 * ```ts
 * const issuer = await EnrollmentIssuer.load(org.ca.certificate, org.ca.privateKey);
 * const { certificate, privateKey } = await issuer.issue({ name: 'zheyi', role: 'client', attrs: { role: 'hospital' } });
 * ```
 */
export class EnrollmentIssuer {
    readonly #ca: x509.X509Certificate;
    readonly #key: webcrypto.CryptoKey;
    readonly #domain: string;

    private constructor(ca: x509.X509Certificate, key: webcrypto.CryptoKey) {
        this.#ca = ca;
        this.#key = key;
        this.#domain = ca.subjectName.getField('O')[0] ?? '';
    }

    static async load(certificateFile: string, privateKeyFile: string): Promise<EnrollmentIssuer> {
        const [certificate, privateKey] = await Promise.all([
            readFile(certificateFile, 'utf8'),
            readFile(privateKeyFile, 'utf8'),
        ]);
        const der = createPrivateKey(privateKey).export({ type: 'pkcs8', format: 'der' });
        const key = await webcrypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, [
            'sign',
        ]);
        return new EnrollmentIssuer(new x509.X509Certificate(certificate), key);
    }

    async issue(request: EnrollmentRequest): Promise<Enrollment> {
        const reserved = Object.keys(request.attrs).find((name) => name.startsWith('hf.'));
        if (reserved !== undefined) {
            throw new ZhelianError(
                ErrorCode.RESERVED_ATTRIBUTE,
                `Attribute "${reserved}" requested for "${request.name}" is reserved: names starting with "hf." are set by the CA`,
            );
        }
        const attrs = {
            ...request.attrs,
            'hf.Affiliation': '',
            'hf.EnrollmentID': request.name,
            'hf.Type': request.role,
        };
        const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
        const publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
        const authorityKeyId = this.#ca.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
        const now = Date.now();
        const certificate = await x509.X509CertificateGenerator.create({
            serialNumber: serial(),
            subject: [{ O: [this.#domain] }, { OU: [request.role] }, { CN: [request.name] }],
            issuer: this.#ca.subjectName,
            // Fabric's MSP verifies the chain as of the certificate's notBefore: it may not precede
            // the CA's (cryptogen's CA starts at a whole minute, five minutes back).
            notBefore: new Date(Math.max(now - BACKDATE_MS, this.#ca.notBefore.getTime())),
            notAfter: new Date(Math.min(now + VALIDITY_MS, this.#ca.notAfter.getTime())),
            signingAlgorithm: SIGNING,
            publicKey,
            signingKey: this.#key,
            extensions: [
                new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
                new x509.BasicConstraintsExtension(false, undefined, true),
                await x509.SubjectKeyIdentifierExtension.create(publicKey),
                ...(authorityKeyId ? [new x509.AuthorityKeyIdentifierExtension(authorityKeyId)] : []),
                new x509.Extension(FABRIC_CA_ATTRS_OID, false, attributeBytes(attrs)),
            ],
        });
        return {
            certificate: certificate.toString('pem'),
            privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
        };
    }
}

/** What a certificate says about its holder: CN, NodeOU and Fabric CA attributes (without `hf.*`). */
export function certificateHolder(pem: string): { name: string; role: string; attrs: Record<string, string> } {
    const certificate = new x509.X509Certificate(pem);
    const role = certificate.subjectName.getField('OU').find((ou) => ou === 'client' || ou === 'admin') ?? 'client';
    const extension = certificate.getExtension(FABRIC_CA_ATTRS_OID);
    const all = extension
        ? ((JSON.parse(Buffer.from(extension.value).toString('utf8')) as { attrs?: Record<string, unknown> }).attrs ??
          {})
        : {};
    const attrs = Object.fromEntries(
        Object.entries(all).filter(
            (entry): entry is [string, string] => typeof entry[1] === 'string' && !entry[0].startsWith('hf.'),
        ),
    );
    return { name: certificate.subjectName.getField('CN')[0] ?? '', role, attrs };
}

/** Go marshals a map with sorted keys: so does this, byte for byte as Fabric CA writes it. */
function attributeBytes(attrs: Record<string, string>): Uint8Array {
    const sorted = Object.fromEntries(Object.entries(attrs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return Buffer.from(JSON.stringify({ attrs: sorted }), 'utf8');
}

/** A positive serial of at most 20 octets (RFC 5280). */
function serial(): string {
    const bytes = randomBytes(16);
    bytes[0] &= 0x7f;
    bytes[0] |= 0x01;
    return bytes.toString('hex');
}
