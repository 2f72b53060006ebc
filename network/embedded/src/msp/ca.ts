import {
    createPrivateKey,
    createPublicKey,
    generateKeyPairSync,
    randomBytes,
    webcrypto,
    type KeyObject,
} from 'node:crypto';
import { isIP } from 'node:net';
import { x509 } from './x509';
import { encodeAttrs, FABRIC_ATTRS_OID, type NodeOU } from './certificate';
import { readCredentials, writeCredentials, type Credentials } from './credentials';
import { ReservedAttributeError } from './errors';

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
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

/**
 * An organization's root certificate authority (ECDSA P-256, self-signed), issuing enrollment
 * certificates in the Fabric CA profile: subject `…, O=<org domain>, OU=<NodeOU>, CN=<name>`
 * and the attribute extension fabric-shim's `ClientIdentity` reads.
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
    readonly #parsed: x509.X509Certificate;
    readonly #signingKey: webcrypto.CryptoKey;

    private constructor(
        readonly mspId: string,
        readonly domain: string,
        certificate: string,
        signingKey: webcrypto.CryptoKey,
    ) {
        this.certificate = certificate;
        this.#parsed = new x509.X509Certificate(certificate);
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
            credentials = await createRoot(`${kind}.${domain}`, domain);
            await writeCredentials(dir, credentials);
        }
        const signingKey = await importSigningKey(credentials.privateKey);
        return new CertificateAuthority(mspId, domain, credentials.certificate, signingKey);
    }

    /**
     * Issues a TLS certificate for a node's server (and a new key unless one is given): its host
     * names and IP addresses as subject alternative names, for server and client authentication,
     * as cryptogen issues a peer's `tls/server.crt`.
     */
    async issueTls(request: { commonName: string; hosts: string[]; privateKey?: string }): Promise<Credentials> {
        const names = request.hosts.map((host) =>
            isIP(host) ? { type: 'ip' as const, value: host } : { type: 'dns' as const, value: host },
        );
        return this.#certify(
            request.privateKey,
            [{ CN: [request.commonName] }],
            [
                new x509.KeyUsagesExtension(
                    x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
                    true,
                ),
                new x509.ExtendedKeyUsageExtension([
                    x509.ExtendedKeyUsage.serverAuth,
                    x509.ExtendedKeyUsage.clientAuth,
                ]),
                new x509.SubjectAlternativeNameExtension(names),
            ],
        );
    }

    /** Issues an enrollment certificate (and a new key unless one is given). */
    async issue(request: IssueRequest): Promise<Credentials> {
        const attrs = fabricCaAttrs(request);
        const extensions: x509.Extension[] = [
            new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
            new x509.Extension(FABRIC_ATTRS_OID, false, encodeAttrs(attrs)),
        ];
        if (request.nodeOU === 'peer' || request.nodeOU === 'orderer') {
            // Nodes serve TLS under their host name, as Fabric CA enrolls them with `--csr.hosts`.
            extensions.push(new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: request.commonName }]));
        }
        return this.#certify(request.privateKey, [{ OU: [request.nodeOU] }, { CN: [request.commonName] }], extensions);
    }

    /**
     * Signs a certificate for `privateKey`'s public key (a new key when absent), its subject the
     * organization's name followed by `subject`, an end entity with key identifiers and `extensions`.
     */
    async #certify(
        privateKey: string | undefined,
        subject: x509.JsonName,
        extensions: x509.Extension[],
    ): Promise<Credentials> {
        const key = privateKey ?? generatePrivateKeyPem();
        const subjectPublicKey = spkiOf(createPrivateKey(key));
        const now = Date.now();
        const authorityKeyId = this.#parsed.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
        const certificate = await x509.X509CertificateGenerator.create({
            serialNumber: serialNumber(),
            subject: [...organizationName(this.domain), ...subject],
            issuer: this.#parsed.subjectName,
            notBefore: new Date(now - BACKDATE_MS),
            notAfter: new Date(now + ENROLLMENT_VALIDITY_MS),
            signingAlgorithm: SIGNING_ALGORITHM,
            publicKey: subjectPublicKey,
            signingKey: this.#signingKey,
            extensions: [
                ...extensions,
                new x509.BasicConstraintsExtension(false, undefined, true),
                await x509.SubjectKeyIdentifierExtension.create(subjectPublicKey),
                ...(authorityKeyId ? [new x509.AuthorityKeyIdentifierExtension(authorityKeyId)] : []),
            ],
        });
        return { certificate: certificate.toString('pem'), privateKey: key };
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

async function createRoot(commonName: string, domain: string): Promise<Credentials> {
    const privateKey = generatePrivateKeyPem();
    const keyObject = createPrivateKey(privateKey);
    const keys: webcrypto.CryptoKeyPair = {
        privateKey: await importSigningKey(privateKey),
        publicKey: await webcrypto.subtle.importKey('spki', spkiOf(keyObject), ECDSA_P256, true, ['verify']),
    };
    const now = Date.now();
    const certificate = await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: serialNumber(),
        name: [...organizationName(domain), { CN: [commonName] }],
        notBefore: new Date(now - BACKDATE_MS),
        notAfter: new Date(now + CA_VALIDITY_MS),
        signingAlgorithm: SIGNING_ALGORITHM,
        keys,
        extensions: [
            new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
            new x509.BasicConstraintsExtension(true, 1, true),
            await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        ],
    });
    return { certificate: certificate.toString('pem'), privateKey };
}

function organizationName(domain: string): x509.JsonName {
    return [{ C: ['CN'] }, { ST: ['Zhejiang'] }, { L: ['Hangzhou'] }, { O: [domain] }];
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

function generatePrivateKeyPem(): string {
    // Synchronous on purpose: a P-256 key takes microseconds, the thread-pool round trip far longer.
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    return privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
}

async function importSigningKey(privateKeyPem: string): Promise<webcrypto.CryptoKey> {
    const der = createPrivateKey(privateKeyPem).export({ type: 'pkcs8', format: 'der' });
    return webcrypto.subtle.importKey('pkcs8', der, ECDSA_P256, false, ['sign']);
}

function spkiOf(privateKey: KeyObject): Buffer {
    return createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
}

/** A random positive 159-bit serial, as RFC 5280 asks (at most 20 octets, non-negative). */
function serialNumber(): string {
    const bytes = randomBytes(20);
    bytes[0] = (bytes[0] & 0x7f) | 0x01;
    return bytes.toString('hex');
}
