import { webcrypto, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { msp } from '@hyperledger/fabric-protos';
import { ClientIdentity } from 'fabric-shim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Topology } from '../topology';
import { CertificateAuthority } from './ca';
import {
    DuplicateIdentityError,
    InvalidCreatorError,
    InvalidIdentityNameError,
    UnknownIdentityError,
    UnknownOrganizationError,
} from './errors';
import { createIdentity, serializeIdentity } from './identity';
import { Membership } from './membership';
import { x509 } from '../../test/support/x509';

function topology(name: string): Topology {
    return JSON.parse(readFileSync(resolve(__dirname, '../../topologies', `${name}.json`), 'utf8')) as Topology;
}

/** A certificate naming the real CA as issuer (name and key id) but signed by another key. */
async function forgeCertificate(caPem: string, commonName: string): Promise<string> {
    const ca = new x509.X509Certificate(caPem);
    const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
    const forgerKeys = await webcrypto.subtle.generateKey(algorithm, false, ['sign', 'verify']);
    const subjectKeys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
    const caKeyId = ca.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId ?? '';
    const forged = await x509.X509CertificateGenerator.create({
        subject: `C=CN, ST=Zhejiang, L=Hangzhou, O=regulator.zhelian.local, OU=client, CN=${commonName}`,
        issuer: ca.subjectName,
        publicKey: subjectKeys.publicKey,
        signingKey: forgerKeys.privateKey,
        signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
        extensions: [
            new x509.AuthorityKeyIdentifierExtension(caKeyId),
            new x509.BasicConstraintsExtension(false, undefined, true),
        ],
    });
    return forged.toString('pem');
}

function creatorBytes(mspId: string, pem: string): Uint8Array {
    const serialized = new msp.SerializedIdentity();
    serialized.setMspid(mspId);
    serialized.setIdBytes(new TextEncoder().encode(pem));
    return serialized.serializeBinary();
}

const message = new TextEncoder().encode('signed proposal bytes');

describe('Membership', () => {
    let dir: string;

    beforeEach(async () => {
        dir = await mkdtemp(join(tmpdir(), 'zhelian-msp-'));
    });

    afterEach(async () => {
        await rm(dir, { recursive: true, force: true });
    });

    it('creates the zhelian organizations, their peers and every topology user', async () => {
        const zhelian = topology('zhelian');
        const membership = await Membership.open(dir, zhelian);

        expect(membership.orgs()).toEqual(['RegulatorMSP', 'CourtMSP', 'PlatformMSP', 'MemberMSP']);
        expect(membership.identities().map((identity) => `${identity.mspId}/${identity.name}`)).toEqual(
            zhelian.orgs.flatMap((org) => org.users.map((user) => `${org.mspId}/${user.name}`)),
        );
        const zheyi = membership.identity('MemberMSP', 'zheyi');
        expect(zheyi.role).toBe('client');
        expect(zheyi.attrs).toMatchObject({ role: 'hospital', unit: '浙江大学医学院附属第一医院' });
        expect(membership.identity('CourtMSP', 'admin').role).toBe('admin');
        const peer = membership.peer('CourtMSP');
        expect(peer.role).toBe('peer');
        expect(peer.name).toBe('peer0.court.zhelian.local');
    });

    it('keeps identities across restarts, creates users added later and re-certifies changed ones', async () => {
        const first = await Membership.open(dir, topology('test-network'));
        const user1 = first.identity('Org1MSP', 'user1');
        const admin = first.identity('Org2MSP', 'admin');

        const grown = topology('test-network');
        grown.orgs[0].users.push({ name: 'auditor', attrs: { role: 'auditor' } });
        grown.orgs[0].users[1].attrs = { role: 'teller' };
        const second = await Membership.open(dir, grown);

        expect(second.identity('Org2MSP', 'admin').certificate).toBe(admin.certificate);
        expect(second.peer('Org1MSP').certificate).toBe(first.peer('Org1MSP').certificate);
        expect(second.identity('Org1MSP', 'auditor').attrs.role).toBe('auditor');
        const reissued = second.identity('Org1MSP', 'user1');
        expect(reissued.attrs.role).toBe('teller');
        expect(reissued.certificate).not.toBe(user1.certificate);
        // Same key: a signature by the old identity verifies under the new certificate.
        expect(await second.verifySignature(serializeIdentity(reissued), message, await user1.sign(message))).toBe(
            true,
        );
    });

    it('enrolls workshop participants, persists them and refuses duplicates', async () => {
        const membership = await Membership.open(dir, topology('zhelian'));
        const participant = await membership.enroll('MemberMSP', '张三', {
            attrs: { role: 'volunteer', unit: '志愿者' },
        });
        expect(participant.role).toBe('client');
        expect(membership.identity('MemberMSP', '张三')).toBe(participant);

        await expect(membership.enroll('MemberMSP', '张三')).rejects.toThrow(DuplicateIdentityError);
        await expect(membership.enroll('MemberMSP', 'zheyi')).rejects.toThrow(DuplicateIdentityError);
        const racing = await Promise.allSettled([
            membership.enroll('MemberMSP', 'li'),
            membership.enroll('MemberMSP', 'li'),
        ]);
        expect(racing.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
        await expect(membership.enroll('MemberMSP', '../escape')).rejects.toThrow(InvalidIdentityNameError);
        await expect(membership.enroll('NoSuchMSP', 'x')).rejects.toThrow(UnknownOrganizationError);

        const reopened = await Membership.open(dir, topology('zhelian'));
        const again = reopened.identity('MemberMSP', '张三');
        expect(again.certificate).toBe(participant.certificate);
        expect(again.attrs.unit).toBe('志愿者');
        expect(reopened.identity('MemberMSP', 'li').role).toBe('client');
    });

    it('names both the organization and the user when an identity is unknown', async () => {
        const membership = await Membership.open(dir, topology('test-network'));
        expect(() => membership.identity('Org1MSP', 'nobody')).toThrow(UnknownIdentityError);
        try {
            membership.identity('Org1MSP', 'nobody');
        } catch (error) {
            expect(error).toMatchObject({ code: 'UNKNOWN_IDENTITY', mspId: 'Org1MSP', identityName: 'nobody' });
            expect((error as Error).message).toContain('Org1MSP');
            expect((error as Error).message).toContain('nobody');
        }
        expect(() => membership.peer('Org3MSP')).toThrow(UnknownOrganizationError);
    });

    it('deserializes creators issued by the organization CA into what chaincode sees', async () => {
        const membership = await Membership.open(dir, topology('zhelian'));
        const finance = membership.identity('RegulatorMSP', 'finance');
        const creator = membership.deserialize(serializeIdentity(finance));
        expect(creator).toMatchObject({
            mspId: 'RegulatorMSP',
            name: 'finance',
            nodeOU: 'client',
            certificate: finance.certificate,
        });
        expect(creator.attrs).toMatchObject({
            role: 'finance',
            unit: '浙江省财政厅票据中心',
            'hf.EnrollmentID': 'finance',
        });

        const stub = {
            getChannelID: () => 'zhelian',
            getTxID: () => 'tx',
            getCreator: () => ({ mspid: creator.mspId, idBytes: finance.credentials }),
        };
        expect(new ClientIdentity(stub as never).getAttributeValue('unit')).toBe(creator.attrs.unit);
        expect(membership.deserialize(serializeIdentity(membership.peer('CourtMSP'))).nodeOU).toBe('peer');
    });

    it('rejects creators that the claimed MSP did not issue', async () => {
        const membership = await Membership.open(dir, topology('zhelian'));
        const finance = membership.identity('RegulatorMSP', 'finance');
        const foreignCa = await CertificateAuthority.open(join(dir, 'foreign'), 'RegulatorMSP');
        const impostor = await foreignCa.issue({ commonName: 'finance', nodeOU: 'client', attrs: { role: 'finance' } });
        const caPem = await readFile(join(dir, 'RegulatorMSP', 'ca', 'cert.pem'), 'utf8');
        const forged = await forgeCertificate(caPem, 'finance');
        // Names and key identifiers line up; only the signature check can tell.
        expect(new X509Certificate(forged).checkIssued(new X509Certificate(caPem))).toBe(true);

        const cases: [string, Uint8Array][] = [
            ['another MSP claimed', creatorBytes('CourtMSP', finance.certificate)],
            ['unknown MSP', creatorBytes('NoSuchMSP', finance.certificate)],
            ['same names, other CA', creatorBytes('RegulatorMSP', impostor.certificate)],
            ['forged signature', creatorBytes('RegulatorMSP', forged)],
            ['CA certificate as identity', creatorBytes('RegulatorMSP', foreignCa.certificate)],
            ['not a certificate', creatorBytes('RegulatorMSP', 'hello')],
            ['not a SerializedIdentity', Uint8Array.from([0xff, 0xff, 0xff])],
        ];
        for (const [label, bytes] of cases) {
            expect(() => membership.deserialize(bytes), label).toThrow(InvalidCreatorError);
        }
        const impostorKey = createIdentity({
            mspId: 'RegulatorMSP',
            name: 'finance',
            role: 'client',
            attrs: {},
            ...impostor,
        });
        const impostorCreator = creatorBytes('RegulatorMSP', impostor.certificate);
        expect(await membership.verifySignature(impostorCreator, message, await impostorKey.sign(message))).toBe(false);
    });

    it('verifies signatures of members and refuses signatures by anyone else', async () => {
        const membership = await Membership.open(dir, topology('zhelian'));
        const notary = membership.identity('RegulatorMSP', 'notary');
        const creator = serializeIdentity(notary);
        const signature = await notary.sign(message);

        expect(await membership.verifySignature(creator, message, signature)).toBe(true);
        expect(await membership.verifySignature(creator, new TextEncoder().encode('other'), signature)).toBe(false);
        const tmall = membership.identity('MemberMSP', 'tmall');
        expect(await membership.verifySignature(creator, message, await tmall.sign(message))).toBe(false);

        // A key that merely claims the notary's certificate cannot sign for it.
        const foreignCa = await CertificateAuthority.open(join(dir, 'foreign'), 'RegulatorMSP');
        const forger = createIdentity({
            ...notary,
            attrs: { ...notary.attrs },
            privateKey: (await foreignCa.issue({ commonName: 'notary', nodeOU: 'client' })).privateKey,
        });
        expect(await membership.verifySignature(serializeIdentity(forger), message, await forger.sign(message))).toBe(
            false,
        );
    });
});
