import { X509Certificate, type KeyObject } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { msp } from '@hyperledger/fabric-protos';
import type { Topology, UserRole } from '../topology';
import { CertificateAuthority, type IssueRequest } from './ca';
import { readCertificate, type CertificateFields, type NodeOU } from './certificate';
import { readCredentials, readPrivateKey, writeCredentials, type Credentials } from './credentials';
import { verifyOffThread } from './ecdsa-thread';
import {
    DuplicateIdentityError,
    InvalidCreatorError,
    InvalidIdentityNameError,
    UnknownIdentityError,
    UnknownOrganizationError,
} from './errors';
import { createIdentity, type Identity } from './identity';

/** What a verified creator (transaction submitter or endorser) is, read from its certificate. */
export interface VerifiedCreator {
    mspId: string;
    /** Enrollment ID (certificate CN). */
    name: string;
    /** PEM of the certificate; also a stable key for "same signer" checks. */
    certificate: string;
    nodeOU: NodeOU;
    /** Fabric CA attributes, `hf.*` included. */
    attrs: Readonly<Record<string, string>>;
}

/** A new workshop participant: NodeOU `client` unless stated, with Fabric CA attributes. */
export interface EnrollOptions {
    role?: UserRole;
    attrs?: Record<string, string>;
}

interface Organization {
    ca: CertificateAuthority;
    caCertificate: X509Certificate;
    peer: Identity;
    users: Map<string, Identity>;
}

interface TrustedCreator {
    creator: VerifiedCreator;
    publicKey: KeyObject;
    notAfter: number;
}

const IDENTITY_NAME = /^[\p{L}\p{N}_-][\p{L}\p{N}_.-]{0,63}$/u;
// Distinct creators are few (one per identity); the bound only stops garbage from growing it.
const MAX_CACHED_CREATORS = 4096;

/**
 * The network's membership service: a root CA per organization, one peer identity per org
 * (the endorser's signer) and the users of the topology plus enrolled workshop participants,
 * all persisted under one directory so restarts keep the same keys. It also plays the MSP role
 * of a peer: it checks that a serialized creator was issued by its organization's CA and
 * verifies signatures.
 *
 * ```ts
 * const membership = await Membership.open('.zhelian/msp', topology);
 * const finance = membership.identity('RegulatorMSP', 'finance');
 * const creator = membership.deserialize(serializeIdentity(finance)); // { mspId, nodeOU: 'client', attrs, … }
 * await membership.verifySignature(serializeIdentity(finance), bytes, await finance.sign(bytes)); // true
 * ```
 */
export class Membership {
    readonly #dir: string;
    readonly #orgs: Map<string, Organization>;
    readonly #trusted = new Map<string, TrustedCreator>();
    readonly #enrolling = new Set<string>();

    private constructor(dir: string, orgs: Map<string, Organization>) {
        this.#dir = dir;
        this.#orgs = orgs;
    }

    /**
     * Loads the membership persisted in `dir`, creating whatever the topology names and the
     * directory lacks: CAs, peers, users (a user added to the topology later is created now; one
     * whose role or attributes changed gets a new certificate for the same key).
     */
    static async open(dir: string, topology: Topology): Promise<Membership> {
        const entries = await Promise.all(
            topology.orgs.map(async (org): Promise<[string, Organization]> => {
                const orgDir = join(dir, org.mspId);
                const ca = await CertificateAuthority.open(join(orgDir, 'ca'), org.mspId);
                const peerName = `peer0.${ca.domain}`;
                const peer = await loadOrIssue(ca, join(orgDir, 'peers', peerName), {
                    commonName: peerName,
                    nodeOU: 'peer',
                });
                const names = new Set<string>();
                for (const user of org.users) {
                    assertIdentityName(user.name);
                    if (names.has(user.name)) {
                        throw new DuplicateIdentityError(org.mspId, user.name);
                    }
                    names.add(user.name);
                }
                const topologyUsers = await Promise.all(
                    org.users.map((user) =>
                        loadOrIssue(ca, join(orgDir, 'users', user.name), {
                            commonName: user.name,
                            nodeOU: user.role ?? 'client',
                            attrs: user.attrs ?? {},
                        }),
                    ),
                );
                const users = new Map(topologyUsers.map((identity) => [identity.name, identity]));
                for (const enrolled of await loadEnrolled(ca, join(orgDir, 'users'), users)) {
                    users.set(enrolled.name, enrolled);
                }
                const caCertificate = new X509Certificate(ca.certificate);
                return [org.mspId, { ca, caCertificate, peer, users }];
            }),
        );
        return new Membership(dir, new Map(entries));
    }

    /** MSP IDs of the organizations, in topology order. */
    orgs(): string[] {
        return [...this.#orgs.keys()];
    }

    /** A user of an organization; throws UnknownIdentityError when there is none of that name. */
    identity(mspId: string, name: string): Identity {
        const identity = this.#org(mspId).users.get(name);
        if (!identity) {
            throw new UnknownIdentityError(mspId, name);
        }
        return identity;
    }

    /** The organization's peer (`peer0`, NodeOU peer), which signs its endorsements. */
    peer(mspId: string): Identity {
        return this.#org(mspId).peer;
    }

    /** Every user (not peers), organization by organization. */
    identities(): Identity[] {
        return [...this.#orgs.values()].flatMap((org) => [...org.users.values()]);
    }

    /** Registers and enrolls a new user, persisted for later runs; refuses a name already taken. */
    async enroll(mspId: string, name: string, options: EnrollOptions = {}): Promise<Identity> {
        const org = this.#org(mspId);
        assertIdentityName(name);
        const key = `${mspId}\u0000${name}`;
        if (org.users.has(name) || this.#enrolling.has(key)) {
            throw new DuplicateIdentityError(mspId, name);
        }
        this.#enrolling.add(key);
        try {
            const request = { commonName: name, nodeOU: options.role ?? 'client', attrs: options.attrs ?? {} };
            const credentials = await org.ca.issue(request);
            await writeCredentials(join(this.#dir, mspId, 'users', name), credentials);
            const identity = identityFrom(mspId, credentials);
            org.users.set(name, identity);
            return identity;
        } finally {
            this.#enrolling.delete(key);
        }
    }

    /**
     * Decodes an `msp.SerializedIdentity` and checks it as a peer's MSP does: the MSP is one of
     * this network's, the certificate was signed by that MSP's CA, is not a CA itself, is within
     * its validity period and carries a NodeOU. Throws InvalidCreatorError otherwise.
     */
    deserialize(creator: Uint8Array): VerifiedCreator {
        return this.#trust(creator).creator;
    }

    /**
     * Verifies a low-S DER ECDSA-SHA256 signature by `creator` over `message`. False for a wrong or
     * malformed signature and for a creator that `deserialize` would reject, so a committer can
     * call it on untrusted endorsements without guarding; `deserialize` says why a creator fails.
     * The check runs on the signing thread, off the event loop; a block's checks go there together.
     */
    async verifySignature(creator: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
        let trusted: TrustedCreator;
        try {
            trusted = this.#trust(creator);
        } catch (error) {
            if (error instanceof InvalidCreatorError) {
                return false;
            }
            throw error;
        }
        return verifyOffThread(trusted.publicKey, message, signature);
    }

    #org(mspId: string): Organization {
        const org = this.#orgs.get(mspId);
        if (!org) {
            throw new UnknownOrganizationError(mspId);
        }
        return org;
    }

    #trust(creator: Uint8Array): TrustedCreator {
        const cacheKey = Buffer.from(creator.buffer, creator.byteOffset, creator.byteLength).toString('latin1');
        const cached = this.#trusted.get(cacheKey);
        if (cached && Date.now() <= cached.notAfter) {
            return cached;
        }
        const trusted = this.#verifyCreator(creator);
        if (this.#trusted.size >= MAX_CACHED_CREATORS) {
            this.#trusted.clear();
        }
        this.#trusted.set(cacheKey, trusted);
        return trusted;
    }

    #verifyCreator(creator: Uint8Array): TrustedCreator {
        let serialized: msp.SerializedIdentity;
        try {
            serialized = msp.SerializedIdentity.deserializeBinary(creator);
        } catch (error) {
            throw new InvalidCreatorError('', 'the bytes are not an msp.SerializedIdentity', { cause: error });
        }
        const mspId = serialized.getMspid();
        const org = this.#orgs.get(mspId);
        if (!org) {
            throw new InvalidCreatorError(mspId, 'no organization with that MSP ID is on this network');
        }
        const pem = new TextDecoder().decode(serialized.getIdBytes_asU8());
        let certificate: X509Certificate;
        try {
            certificate = new X509Certificate(pem);
        } catch (error) {
            throw new InvalidCreatorError(mspId, 'the identity bytes are not a PEM X.509 certificate', {
                cause: error,
            });
        }
        if (!certificate.checkIssued(org.caCertificate) || !certificate.verify(org.ca.publicKey)) {
            throw new InvalidCreatorError(
                mspId,
                `the certificate "${certificate.subject.replace(/\n/g, ', ')}" was not issued by ${mspId}'s CA`,
            );
        }
        if (certificate.ca) {
            throw new InvalidCreatorError(mspId, 'a CA certificate cannot act as an identity');
        }
        const now = Date.now();
        const notAfter = Date.parse(certificate.validTo);
        if (now < Date.parse(certificate.validFrom) || now > notAfter) {
            throw new InvalidCreatorError(
                mspId,
                `the certificate is valid only from ${certificate.validFrom} to ${certificate.validTo}`,
            );
        }
        const fields = readCertificate(pem);
        if (!fields.nodeOU) {
            throw new InvalidCreatorError(
                mspId,
                'the certificate has no NodeOU (client, admin, peer or orderer) in its subject',
            );
        }
        const verified: VerifiedCreator = Object.freeze({
            mspId,
            name: fields.commonName,
            certificate: pem,
            nodeOU: fields.nodeOU,
            attrs: Object.freeze(fields.attrs),
        });
        return { creator: verified, publicKey: certificate.publicKey, notAfter };
    }
}

function assertIdentityName(name: string): void {
    if (!IDENTITY_NAME.test(name)) {
        throw new InvalidIdentityNameError(name);
    }
}

/**
 * The identity persisted in `dir` when it still matches `request` and `ca`; otherwise a new
 * certificate (for the persisted key, if any) written back to `dir`.
 */
async function loadOrIssue(
    ca: CertificateAuthority,
    dir: string,
    request: Omit<IssueRequest, 'privateKey'>,
): Promise<Identity> {
    const persisted = await readCredentials(dir);
    if (persisted && issuedBy(ca, persisted.certificate)) {
        const fields = readCertificate(persisted.certificate);
        if (matches(fields, request)) {
            return identityFrom(ca.mspId, persisted, fields);
        }
    }
    const privateKey = persisted?.privateKey ?? (await readPrivateKey(dir));
    const credentials = await ca.issue({ ...request, privateKey });
    await writeCredentials(dir, credentials);
    return identityFrom(ca.mspId, credentials);
}

/** Users enrolled at runtime in an earlier run: directories under `users/` the topology does not name. */
async function loadEnrolled(
    ca: CertificateAuthority,
    usersDir: string,
    known: Map<string, Identity>,
): Promise<Identity[]> {
    const names = (await readdir(usersDir, { withFileTypes: true }).catch(() => []))
        .filter((entry) => entry.isDirectory() && !known.has(entry.name) && IDENTITY_NAME.test(entry.name))
        .map((entry) => entry.name)
        .sort();
    const loaded = await Promise.all(names.map((name) => readCredentials(join(usersDir, name))));
    // A directory without both files is an enrollment that never completed.
    return loaded
        .filter(
            (credentials): credentials is Credentials =>
                credentials !== undefined && issuedBy(ca, credentials.certificate),
        )
        .map((credentials) => identityFrom(ca.mspId, credentials));
}

function issuedBy(ca: CertificateAuthority, certificate: string): boolean {
    return new X509Certificate(certificate).verify(ca.publicKey);
}

function matches(fields: CertificateFields, request: Omit<IssueRequest, 'privateKey'>): boolean {
    const wanted = request.attrs ?? {};
    const present = Object.entries(fields.attrs).filter(([name]) => !name.startsWith('hf.'));
    return (
        fields.commonName === request.commonName &&
        fields.nodeOU === request.nodeOU &&
        present.length === Object.keys(wanted).length &&
        present.every(([name, value]) => wanted[name] === value)
    );
}

function identityFrom(
    mspId: string,
    credentials: Credentials,
    fields = readCertificate(credentials.certificate),
): Identity {
    if (!fields.nodeOU) {
        throw new InvalidCreatorError(mspId, `the persisted certificate of "${fields.commonName}" has no NodeOU`);
    }
    return createIdentity({ mspId, name: fields.commonName, role: fields.nodeOU, attrs: fields.attrs, ...credentials });
}
