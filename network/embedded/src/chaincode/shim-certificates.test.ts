import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createTestIdentity } from '../../test/support/test-proposal';
import { cacheShimCertificateParsing } from './shim-certificates';

interface X509 {
    Certificate: { fromPEM(pem: string): { subject: { commonName: string } } };
}

describe("the shim's certificate parsing", () => {
    it('parses each certificate once for the shim, and leaves others their own @fidm/x509', async () => {
        const { certificatePem } = await createTestIdentity('Org1MSP', 'alice');
        const fromShim = createRequire(createRequire(__filename).resolve('fabric-shim'));
        const shims = fromShim('@fidm/x509') as X509;
        cacheShimCertificateParsing(fromShim);

        const parsed = shims.Certificate.fromPEM(certificatePem);
        expect(parsed.subject.commonName).toBe('alice');
        expect(shims.Certificate.fromPEM(certificatePem)).toBe(parsed);

        const theirs = fromShim('@fidm/x509') as X509;
        expect(theirs).not.toBe(shims);
        expect(theirs.Certificate.fromPEM(certificatePem)).not.toBe(theirs.Certificate.fromPEM(certificatePem));
    });
});
