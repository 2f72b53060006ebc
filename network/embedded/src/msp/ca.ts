import {
    createHash,
    createPrivateKey,
    createPublicKey,
    generateKeyPairSync,
    randomBytes,
    sign,
    type KeyObject,
} from 'node:crypto';
import { isIP } from 'node:net';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import * as asn from '@peculiar/asn1-x509';
import { encodeAttrs, FABRIC_ATTRS_OID, type NodeOU } from './certificate';
import { readCredentials, writeCredentials, type Credentials } from './credentials';
import { ReservedAttributeError } from './errors';

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
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
    name: asn.Name;
    /** The CA's subject key identifier, if its certificate has one. */
    keyId: ArrayBuffer | undefined;
}

/**
 * An organization's root certificate authority (ECDSA P-256, self-signed), issuing enrollment
 * certificates in the Fabric CA profile: subject `…, O=<org domain>, OU=<NodeOU>, CN=<name>`
 * and the attribute extension fabric-shim's `ClientIdentity` reads.
 *
 * Certificates are assembled from @peculiar/asn1-x509's ASN.1 structures and signed with
 * `node:crypto`; @peculiar/x509's generator encoded and parsed each part again on the way, which
 * made issuing a new network's 43 certificates the largest part of opening it.
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
        const names = request.hosts.map((host) =>
            isIP(host) ? new asn.GeneralName({ iPAddress: host }) : new asn.GeneralName({ dNSName: host }),
        );
        return this.#certify(
            request.privateKey,
            [['CN', request.commonName]],
            [
                extension(
                    asn.id_ce_keyUsage,
                    true,
                    new asn.KeyUsage(asn.KeyUsageFlags.digitalSignature | asn.KeyUsageFlags.keyEncipherment),
                ),
                extension(
                    asn.id_ce_extKeyUsage,
                    false,
                    new asn.ExtendedKeyUsage([asn.id_kp_serverAuth, asn.id_kp_clientAuth]),
                ),
                extension(asn.id_ce_subjectAltName, false, new asn.SubjectAlternativeName(names)),
            ],
        );
    }

    /** Issues an enrollment certificate (and a new key unless one is given). */
    async issue(request: IssueRequest): Promise<Credentials> {
        const attrs = fabricCaAttrs(request);
        const extensions = [
            extension(asn.id_ce_keyUsage, true, new asn.KeyUsage(asn.KeyUsageFlags.digitalSignature)),
            new asn.Extension({
                extnID: FABRIC_ATTRS_OID,
                critical: false,
                extnValue: new OctetString(encodeAttrs(attrs)),
            }),
        ];
        if (request.nodeOU === 'peer' || request.nodeOU === 'orderer') {
            // Nodes serve TLS under their host name, as Fabric CA enrolls them with `--csr.hosts`.
            extensions.push(
                extension(
                    asn.id_ce_subjectAltName,
                    false,
                    new asn.SubjectAlternativeName([new asn.GeneralName({ dNSName: request.commonName })]),
                ),
            );
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
        extensions: asn.Extension[],
    ): Promise<Credentials> {
        const { pem, key } = privateKey ? { pem: privateKey, key: createPrivateKey(privateKey) } : generatePrivateKey();
        const publicKey = subjectPublicKeyInfo(key);
        const issuer = this.#issuerParts();
        const now = Date.now();
        const certificate = signCertificate(
            {
                subject: name([...organizationName(this.domain), ...subject]),
                issuer: issuer.name,
                notBefore: new Date(now - BACKDATE_MS),
                notAfter: new Date(now + ENROLLMENT_VALIDITY_MS),
                publicKey,
                extensions: [
                    ...extensions,
                    extension(asn.id_ce_basicConstraints, true, new asn.BasicConstraints({ cA: false })),
                    extension(asn.id_ce_subjectKeyIdentifier, false, new asn.SubjectKeyIdentifier(keyIdOf(publicKey))),
                    ...(issuer.keyId
                        ? [
                              extension(
                                  asn.id_ce_authorityKeyIdentifier,
                                  false,
                                  new asn.AuthorityKeyIdentifier({
                                      keyIdentifier: new asn.KeyIdentifier(issuer.keyId),
                                  }),
                              ),
                          ]
                        : []),
                ],
            },
            this.#signingKey,
        );
        return { certificate, privateKey: pem, key };
    }

    #issuerParts(): IssuerParts {
        if (!this.#issuer) {
            const der = derOf(this.certificate);
            const { tbsCertificate } = AsnConvert.parse(der, asn.Certificate);
            const keyId = tbsCertificate.extensions?.find((ext) => ext.extnID === asn.id_ce_subjectKeyIdentifier);
            this.#issuer = {
                name: tbsCertificate.subject,
                keyId: keyId ? AsnConvert.parse(keyId.extnValue, asn.SubjectKeyIdentifier).buffer : undefined,
            };
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
    const subject = name([...organizationName(domain), ['CN', commonName]]);
    const now = Date.now();
    const certificate = signCertificate(
        {
            subject,
            issuer: subject,
            notBefore: new Date(now - BACKDATE_MS),
            notAfter: new Date(now + CA_VALIDITY_MS),
            publicKey,
            extensions: [
                extension(
                    asn.id_ce_keyUsage,
                    true,
                    new asn.KeyUsage(asn.KeyUsageFlags.keyCertSign | asn.KeyUsageFlags.cRLSign),
                ),
                extension(
                    asn.id_ce_basicConstraints,
                    true,
                    new asn.BasicConstraints({ cA: true, pathLenConstraint: 1 }),
                ),
                extension(asn.id_ce_subjectKeyIdentifier, false, new asn.SubjectKeyIdentifier(keyIdOf(publicKey))),
            ],
        },
        signingKey,
    );
    return { certificate, privateKey, key: signingKey };
}

/** What a certificate says, apart from its serial number (random) and signature algorithm (ECDSA with SHA-256). */
interface CertificateContent {
    subject: asn.Name;
    issuer: asn.Name;
    notBefore: Date;
    notAfter: Date;
    publicKey: asn.SubjectPublicKeyInfo;
    extensions: asn.Extension[];
}

/** An X.509 v3 certificate of `content`, signed by `signingKey` (the issuer's), as PEM. */
function signCertificate(content: CertificateContent, signingKey: KeyObject): string {
    const algorithm = new asn.AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 });
    const tbsCertificate = new asn.TBSCertificate({
        version: asn.Version.v3,
        serialNumber: serialNumber(),
        signature: algorithm,
        issuer: content.issuer,
        validity: new asn.Validity({ notBefore: content.notBefore, notAfter: content.notAfter }),
        subject: content.subject,
        subjectPublicKeyInfo: content.publicKey,
        extensions: new asn.Extensions(content.extensions),
    });
    // DER-encoded (r, s), as X.509 carries an ECDSA signature.
    const signature = sign('sha256', Buffer.from(AsnConvert.serialize(tbsCertificate)), signingKey);
    const der = AsnConvert.serialize(
        new asn.Certificate({
            tbsCertificate,
            signatureAlgorithm: algorithm,
            signatureValue: toArrayBuffer(signature),
        }),
    );
    const lines =
        Buffer.from(der)
            .toString('base64')
            .match(/.{1,64}/g) ?? [];
    return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** Attribute short names and values, one relative distinguished name each, in order. */
type NameParts = [keyof typeof NAME_OIDS, string][];

const NAME_OIDS = { C: '2.5.4.6', ST: '2.5.4.8', L: '2.5.4.7', O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3' };

/** A distinguished name: PrintableString where the text allows it, else UTF8String (a Chinese name). */
function name(parts: NameParts): asn.Name {
    return new asn.Name(
        parts.map(
            ([type, value]) =>
                new asn.RelativeDistinguishedName([
                    new asn.AttributeTypeAndValue({
                        type: NAME_OIDS[type],
                        value: new asn.AttributeValue(
                            /^[A-Za-z0-9 '()+,./:=?-]*$/.test(value)
                                ? { printableString: value }
                                : { utf8String: value },
                        ),
                    }),
                ]),
        ),
    );
}

function organizationName(domain: string): NameParts {
    return [
        ['C', 'CN'],
        ['ST', 'Zhejiang'],
        ['L', 'Hangzhou'],
        ['O', domain],
    ];
}

/** An extension whose value is the DER of `value`. */
function extension(id: string, critical: boolean, value: object): asn.Extension {
    return new asn.Extension({ extnID: id, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

function subjectPublicKeyInfo(privateKey: KeyObject): asn.SubjectPublicKeyInfo {
    return AsnConvert.parse(
        createPublicKey(privateKey).export({ type: 'spki', format: 'der' }),
        asn.SubjectPublicKeyInfo,
    );
}

/** RFC 5280's key identifier: the SHA-1 of the subject public key's bits. */
function keyIdOf(publicKey: asn.SubjectPublicKeyInfo): ArrayBuffer {
    return toArrayBuffer(createHash('sha1').update(Buffer.from(publicKey.subjectPublicKey)).digest());
}

/** The DER bytes of a PEM certificate. */
function derOf(pem: string): Buffer {
    return Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
}

function toArrayBuffer(bytes: Buffer): ArrayBuffer {
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
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
function serialNumber(): ArrayBuffer {
    const bytes = randomBytes(20);
    bytes[0] = (bytes[0] & 0x7f) | 0x01;
    return toArrayBuffer(bytes);
}
