import { generateKeyPairSync, verify, X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { msp } from '@hyperledger/fabric-protos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateAuthority } from './ca';
import { isLowS } from './ecdsa';
import { createIdentity, serializeIdentity, type Identity } from './identity';

describe('Identity', () => {
    let dir: string;
    let identity: Identity;

    beforeAll(async () => {
        dir = await mkdtemp(join(tmpdir(), 'zhelian-identity-'));
        const ca = await CertificateAuthority.open(dir, 'CourtMSP');
        const attrs = { role: 'court', unit: '杭州互联网法院' };
        const credentials = await ca.issue({ commonName: 'hangzhou', nodeOU: 'client', attrs });
        identity = createIdentity({ mspId: 'CourtMSP', name: 'hangzhou', role: 'client', attrs, ...credentials });
    });

    afterAll(async () => {
        await rm(dir, { recursive: true, force: true });
    });

    it('signs with the key its certificate certifies, low S', async () => {
        const message = new TextEncoder().encode('立案 case filing');
        const signature = await identity.sign(message);
        const certificateKey = new X509Certificate(identity.certificate).publicKey;
        expect(verify('sha256', message, certificateKey, signature)).toBe(true);
        expect(isLowS(signature)).toBe(true);
        const stranger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
        expect(verify('sha256', message, stranger, signature)).toBe(false);
    });

    it('carries its certificate as PEM bytes in credentials', () => {
        expect(new TextDecoder().decode(identity.credentials)).toBe(identity.certificate);
    });

    it('serializes to an msp.SerializedIdentity with the MSP ID and the PEM', () => {
        const decoded = msp.SerializedIdentity.deserializeBinary(serializeIdentity(identity));
        expect(decoded.getMspid()).toBe('CourtMSP');
        expect(new TextDecoder().decode(decoded.getIdBytes_asU8())).toBe(identity.certificate);
    });
});
