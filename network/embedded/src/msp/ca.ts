import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { encodeAttrs, FABRIC_ATTRS_OID, type NodeOU } from './certificate';
import { readCertificateParts, readOctetString, readSubjectName } from './certificate-der';
import {
    type CertificateContent,
    type CertificateExtension,
    encodeCertificate,
    encodeName,
    encodeTbsCertificate,
    extension,
    KeyPurpose,
    KeyUsage,
    keyIdOf,
    type NameParts,
} from './certificate-writer';
import { readCredentials, writeCredentials, type Credentials } from './credentials';
import { ReservedAttributeError } from './errors';

const HOUR_MS = 3_600_000;
// Fabric CA's defaults are 15 years for a root and 1 year for enrollments; a lab's data dir
// outlives a year, so enrollments here last 10 years.
const CA_VALIDITY_MS = 15 * 8_760 * HOUR_MS;
const ENROLLMENT_VALIDITY_MS = 10 * 8_760 * HOUR_MS;
// Fabric CA backdates certificates by five minutes to tolerate clock skew.
const BACKDATE_MS = 5 * 60_000;

/** What to certify: the enrollment ID (subject CN), its NodeOU and Fabric CA attributes. */
export interface IssueRequest {
    commonName: string;
    nodeOU: NodeOU;
    /** Application attributes such as `role` and `unit`; `hf.*` are added by the CA. */
    attrs?: Record<string, string>;
    /** PKCS#8 PEM of an existing key to certify again; a new key is generated when absent. */
    privateKey?: string;
}

/** The parts of the CA's own certificate that go into each certificate it issues. */
interface IssuerParts {
    /** The CA certificate's subject, as it encodes it: an issued certificate names it as its issuer. */
    name: Uint8Array;
    /** The CA's subject key identifier, if its certificate has one. */
    keyId: Uint8Array | undefined;
}

/**
 * An organization's root certificate authority (ECDSA P-256, self-signed), issuing enrollment
 * certificates in the Fabric CA profile: subject `…, O=<org domain>, OU=<NodeOU>, CN=<name>`
 * and the attribute extension fabric-shim's `ClientIdentity` reads.
 *
 * Certificates are written in DER (`certificate-writer.ts`) and signed with `node:crypto`:
 * @peculiar/x509's generator encoded and parsed each part again on the way, and even
 * @peculiar/asn1-x509's encoder alone was 40 % of opening a new network, which issues 43.
 *
 * ```ts
 * const ca = await CertificateAuthority.open('.zhelian/msp/Org1MSP/ca', 'Org1MSP');
 * const { certificate, privateKey } = await ca.issue({ commonName: 'user1', nodeOU: 'client', attrs: { role: 'auditor' } });
 * ```
 */
export class CertificateAuthority {
    /** PEM of the CA's self-signed certificate. */
    readonly certificate: string;
    /** KeyObject of the CA's public key, for checking that a certificate was issued here. */
    readonly publicKey: KeyObject;
    readonly #signingKey: KeyObject;
    /** Read from the certificate on first issue: reopening a data dir issues nothing. */
    #issuer: IssuerParts | undefined;

    private constructor(
        readonly mspId: string,
        readonly domain: string,
        certificate: string,
        signingKey: KeyObject,
    ) {
        this.certificate = certificate;
        this.publicKey = createPublicKey(certificate);
        this.#signingKey = signingKey;
    }

    /**
     * Loads the CA persisted in `dir`, or creates and persists a new one on first use. `tlsca` is
     * the organization's TLS CA, apart from its identity CA as cryptogen makes them.
     */
    static async open(dir: string, mspId: string, kind: 'ca' | 'tlsca' = 'ca'): Promise<CertificateAuthority> {
        const domain = orgDomain(mspId);
        let credentials = await readCredentials(dir);
        if (!credentials) {
            credentials = createRoot(`${kind}.${domain}`, domain);
            await writeCredentials(dir, credentials);
        }
        return new CertificateAuthority(
            mspId,
            domain,
            credentials.certificate,
            createPrivateKey(credentials.privateKey),
        );
    }

    /**
     * Issues a TLS certificate for a node's server (and a new key unless one is given): its host
     * names and IP addresses as subject alternative names, for server and client authentication,
     * as cryptogen issues a peer's `tls/server.crt`.
     */
    async issueTls(request: { commonName: string; hosts: string[]; privateKey?: string }): Promise<Credentials> {
        return this.#certify(
            request.privateKey,
            [['CN', request.commonName]],
            [
                extension.keyUsage([KeyUsage.digitalSignature, KeyUsage.keyEncipherment]),
                extension.extendedKeyUsage([KeyPurpose.serverAuth, KeyPurpose.clientAuth]),
                extension.subjectAltName(request.hosts),
            ],
        );
    }

    /** Issues an enrollment certificate (and a new key unless one is given). */
    async issue(request: IssueRequest): Promise<Credentials> {
        const attrs = fabricCaAttrs(request);
        const extensions = [
            extension.keyUsage([KeyUsage.digitalSignature]),
            // Fabric CA writes the attributes' JSON as the extension's value itself.
            { id: FABRIC_ATTRS_OID, critical: false, value: encodeAttrs(attrs) },
        ];
        if (request.nodeOU === 'peer' || request.nodeOU === 'orderer') {
            // Nodes serve TLS under their host name, as Fabric CA enrolls them with `--csr.hosts`.
            extensions.push(extension.subjectAltName([request.commonName]));
        }
        return this.#certify(
            request.privateKey,
            [
                ['OU', request.nodeOU],
                ['CN', request.commonName],
            ],
            extensions,
        );
    }

    /**
     * Signs a certificate for `privateKey`'s public key (a new key when absent), its subject the
     * organization's name followed by `subject`, an end entity with key identifiers and `extensions`.
     */
    async #certify(
        privateKey: string | undefined,
        subject: NameParts,
        extensions: CertificateExtension[],
    ): Promise<Credentials> {
        const { pem, key } = privateKey ? { pem: privateKey, key: createPrivateKey(privateKey) } : generatePrivateKey();
        const publicKey = subjectPublicKeyInfo(key);
        const issuer = this.#issuerParts();
        const now = Date.now();
        const certificate = signCertificate(
            {
                serialNumber: serialNumber(),
                subject: [...organizationName(this.domain), ...subject],
                issuer: issuer.name,
                notBefore: new Date(now - BACKDATE_MS),
                notAfter: new Date(now + ENROLLMENT_VALIDITY_MS),
                publicKey,
                extensions: [
                    ...extensions,
                    extension.basicConstraints(),
                    extension.subjectKeyIdentifier(keyIdOf(publicKey)),
                    ...(issuer.keyId ? [extension.authorityKeyIdentifier(issuer.keyId)] : []),
                ],
            },
            this.#signingKey,
        );
        return { certificate, privateKey: pem, key };
    }

    #issuerParts(): IssuerParts {
        if (!this.#issuer) {
            const der = derOf(this.certificate);
            const keyId = readCertificateParts(der).extensions.get(SUBJECT_KEY_IDENTIFIER);
            this.#issuer = { name: readSubjectName(der), keyId: keyId ? readOctetString(keyId) : undefined };
        }
        return this.#issuer;
    }
}

/**
 * The DNS-style domain of an organization, as Fabric samples name them: `Org1MSP` →
 * `org1.example.com`, `RegulatorMSP` → `regulator.zhelian.local`.
 */
export function orgDomain(mspId: string): string {
    const label = mspId
        .replace(/MSP$/, '')
        .toLowerCase()
        .replace(/[^a-z0-9.-]+/g, '-');
    return /^org\d+$/.test(label) ? `${label}.example.com` : `${label}.zhelian.local`;
}

function createRoot(commonName: string, domain: string): Credentials {
    const { pem: privateKey, key: signingKey } = generatePrivateKey();
    const publicKey = subjectPublicKeyInfo(signingKey);
    const now = Date.now();
    const subject: NameParts = [...organizationName(domain), ['CN', commonName]];
    const certificate = signCertificate(
        {
            serialNumber: serialNumber(),
            subject,
            issuer: encodeName(subject),
            notBefore: new Date(now - BACKDATE_MS),
            notAfter: new Date(now + CA_VALIDITY_MS),
            publicKey,
            extensions: [
                extension.keyUsage([KeyUsage.keyCertSign, KeyUsage.cRLSign]),
                extension.basicConstraints({ pathLength: 1 }),
                extension.subjectKeyIdentifier(keyIdOf(publicKey)),
            ],
        },
        signingKey,
    );
    return { certificate, privateKey, key: signingKey };
}

/** `content` signed by `signingKey` (the issuer's), as a PEM certificate. */
function signCertificate(content: CertificateContent, signingKey: KeyObject): string {
    const tbsCertificate = encodeTbsCertificate(content);
    // DER-encoded (r, s), as X.509 carries an ECDSA signature.
    const der = encodeCertificate(tbsCertificate, sign('sha256', tbsCertificate, signingKey));
    const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
    return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

const SUBJECT_KEY_IDENTIFIER = '2.5.29.14';

function organizationName(domain: string): NameParts {
    return [
        ['C', 'CN'],
        ['ST', 'Zhejiang'],
        ['L', 'Hangzhou'],
        ['O', domain],
    ];
}

function subjectPublicKeyInfo(privateKey: KeyObject): Buffer {
    return createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
}

/** The DER bytes of a PEM certificate. */
function derOf(pem: string): Buffer {
    return Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
}

/** The attribute set Fabric CA writes: the requested ones plus its own `hf.*` entries. */
function fabricCaAttrs(request: IssueRequest): Record<string, string> {
    const requested = request.attrs ?? {};
    const reserved = Object.keys(requested).find((name) => name.startsWith('hf.'));
    if (reserved !== undefined) {
        throw new ReservedAttributeError(reserved, request.commonName);
    }
    return {
        ...requested,
        'hf.Affiliation': '',
        'hf.EnrollmentID': request.commonName,
        'hf.Type': request.nodeOU,
    };
}

/** A new P-256 key, as PKCS#8 PEM and parsed. */
function generatePrivateKey(): { pem: string; key: KeyObject } {
    // Synchronous on purpose: a P-256 key takes microseconds, the thread-pool round trip far longer.
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    return { pem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, key: privateKey };
}

/** A random positive 159-bit serial, as RFC 5280 asks (at most 20 octets, non-negative). */
function serialNumber(): Buffer {
    const bytes = randomBytes(20);
    bytes[0] = (bytes[0] & 0x7f) | 0x01;
    return bytes;
}
