import { generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isLowS, signLowS, verifyLowS } from './ecdsa';

const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** Re-encodes a DER signature with S replaced by n - S: the same signature in its malleable twin form. */
function highSTwin(der: Uint8Array): Uint8Array {
    const rLength = der[3];
    const r = der.subarray(4, 4 + rLength);
    const sLength = der[5 + rLength];
    const s = BigInt(`0x${Buffer.from(der.subarray(6 + rLength, 6 + rLength + sLength)).toString('hex')}`);
    let twin = [...Buffer.from((P256_ORDER - s).toString(16).padStart(64, '0'), 'hex')];
    while (twin[0] === 0) twin = twin.slice(1);
    if (twin[0] >= 0x80) twin = [0, ...twin];
    const body = [0x02, r.length, ...r, 0x02, twin.length, ...twin];
    return Uint8Array.from([0x30, body.length, ...body]);
}

describe('Fabric ECDSA signatures', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const message = new TextEncoder().encode('提案 proposal bytes');

    it('produces DER signatures with low S that standard ECDSA verification accepts', () => {
        for (let i = 0; i < 64; i++) {
            const signature = signLowS(privateKey, message);
            expect(signature[0]).toBe(0x30);
            expect(isLowS(signature)).toBe(true);
            expect(verify('sha256', message, publicKey, signature)).toBe(true);
            expect(verifyLowS(publicKey, message, signature)).toBe(true);
        }
    });

    it('rejects the high-S twin of a valid signature, as a Fabric peer does', () => {
        const signature = signLowS(privateKey, message);
        const twin = highSTwin(signature);
        // The twin is mathematically valid ECDSA…
        expect(verify('sha256', message, publicKey, twin)).toBe(true);
        expect(isLowS(twin)).toBe(false);
        // …but Fabric refuses it.
        expect(verifyLowS(publicKey, message, twin)).toBe(false);
    });

    it('rejects tampered messages, foreign keys and malformed DER', () => {
        const signature = signLowS(privateKey, message);
        const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
        expect(verifyLowS(publicKey, new TextEncoder().encode('another message'), signature)).toBe(false);
        expect(verifyLowS(other.publicKey, message, signature)).toBe(false);
        expect(verifyLowS(publicKey, message, signature.subarray(0, signature.length - 1))).toBe(false);
        expect(verifyLowS(publicKey, message, Uint8Array.from([...signature, 0]))).toBe(false);
        expect(verifyLowS(publicKey, message, new Uint8Array(8))).toBe(false);
    });

    it('refuses scalars of zero, of the group order and wider than 32 bytes', () => {
        const der = (r: number[], s: number[]) =>
            Uint8Array.from([0x30, r.length + s.length + 4, 0x02, r.length, ...r, 0x02, s.length, ...s]);
        const order = [0, ...Buffer.from(P256_ORDER.toString(16), 'hex')];
        const wide = [1, ...new Array<number>(32).fill(0)];
        expect(verifyLowS(publicKey, message, der([0], [1]))).toBe(false);
        expect(verifyLowS(publicKey, message, der([1], [0]))).toBe(false);
        expect(verifyLowS(publicKey, message, der(order, [1]))).toBe(false);
        expect(verifyLowS(publicKey, message, der(wide, [1]))).toBe(false);
        expect(isLowS(der([1], wide))).toBe(false);
    });
});
