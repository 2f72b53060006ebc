import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signerOf } from './signer';

/** A self-signed P-256 certificate with a client's subject (made once with openssl; only its subject matters). */
const PEM = `-----BEGIN CERTIFICATE-----
MIIB9jCCAZugAwIBAgIUdaFnpcvQcMoK0TnaYONIkjWtdDkwCgYIKoZIzj0EAwIw
TzELMAkGA1UEBhMCQ04xHzAdBgNVBAoMFm1lbWJlci56aGVsaWFuLmV4YW1wbGUx
DzANBgNVBAsMBmNsaWVudDEOMAwGA1UEAwwFemhleWkwIBcNMjYxMTMwMDgzNzQz
WhgPMjEyNjExMDYwODM3NDNaME8xCzAJBgNVBAYTAkNOMR8wHQYDVQQKDBZtZW1i
ZXIuemhlbGlhbi5leGFtcGxlMQ8wDQYDVQQLDAZjbGllbnQxDjAMBgNVBAMMBXpo
ZXlpMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEBbKxYhsetwRUPrW4wfeX+ukj
9FNPJZU1wgT4b8LUv9kFbW7+FOO7f/6nnWc2pnMcrWC7FTVtInl8byx74HMJ/qNT
MFEwHQYDVR0OBBYEFBZJcpeXvZf1AMELmFHDlaBWY20yMB8GA1UdIwQYMBaAFBZJ
cpeXvZf1AMELmFHDlaBWY20yMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwID
SQAwRgIhAOuIYDnhOVb+VI46e8Rmdpol7aZKorZrR1Xl+7IaSbdZAiEAvgQ8jvQ6
xZE6qJdKgTmqq9/IG/+3kdxlaF5v8q1Vwg4=
-----END CERTIFICATE-----`;

describe('signerOf', () => {
    it("names the MSP ID and the certificate's subject on one line, from PEM or DER bytes", () => {
        const expected = { mspId: 'MemberMSP', subject: 'C=CN, O=member.zhelian.example, OU=client, CN=zheyi' };
        expect(signerOf('MemberMSP', Buffer.from(PEM, 'utf8'))).toEqual(expected);
        expect(signerOf('MemberMSP', new X509Certificate(PEM).raw)).toEqual(expected);
    });

    it('says the certificate is unreadable rather than failing on bytes that are not one', () => {
        expect(signerOf('Org1MSP', Buffer.from('not a certificate'))).toEqual({
            mspId: 'Org1MSP',
            subject: '(unreadable certificate)',
        });
        expect(signerOf('Org1MSP', new Uint8Array())).toEqual({
            mspId: 'Org1MSP',
            subject: '(unreadable certificate)',
        });
    });
});
