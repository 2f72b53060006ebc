import { sign, verify, type KeyObject } from 'node:crypto';

/*
 * Fabric's ECDSA signature format: SHA-256 over the message, the signature DER-encoded as
 * SEQUENCE { INTEGER r, INTEGER s } with s in the lower half of the curve order. Fabric's BCCSP
 * rejects high-S signatures to rule out malleability, so we normalise when signing and refuse
 * high S when verifying, exactly as a peer does. These run where they are called; the ledger
 * calls them on its signing thread (`ecdsa-thread.ts`), off the event loop.
 */

const SCALAR_BYTES = 32;
/** Order n of the P-256 group, and n / 2 (rounded down), as 32 big-endian bytes. */
const P256_ORDER = Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex');
const P256_HALF_ORDER = Buffer.from('7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a8', 'hex');

/** Signs `message` with a P-256 private key: DER-encoded, low-S, as Fabric expects. */
export function signLowS(privateKey: KeyObject, message: Uint8Array): Uint8Array {
    const raw = sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    const r = raw.subarray(0, SCALAR_BYTES);
    let s: Buffer = raw.subarray(SCALAR_BYTES);
    if (s.compare(P256_HALF_ORDER) > 0) {
        s = subtract(P256_ORDER, s);
    }
    return encodeDerSignature(r, s);
}

/**
 * Verifies a Fabric signature: false for a malformed DER value, a zero or out-of-range scalar,
 * a high S, or a signature that does not match.
 */
export function verifyLowS(publicKey: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
    const scalars = decodeDerSignature(signature);
    if (!scalars) {
        return false;
    }
    const { r, s } = scalars;
    if (isZero(r) || isZero(s) || r.compare(P256_ORDER) >= 0 || s.compare(P256_HALF_ORDER) > 0) {
        return false;
    }
    return verify('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.concat([r, s]));
}

/** True when the DER signature's S lies in the lower half of the P-256 order. */
export function isLowS(signature: Uint8Array): boolean {
    const scalars = decodeDerSignature(signature);
    return scalars !== undefined && scalars.s.compare(P256_HALF_ORDER) <= 0;
}

function encodeDerSignature(r: Buffer, s: Buffer): Uint8Array {
    const rBytes = derInteger(r);
    const sBytes = derInteger(s);
    // Both integers are at most 33 bytes, so every length fits the short form.
    const body = [0x02, rBytes.length, ...rBytes, 0x02, sBytes.length, ...sBytes];
    return Uint8Array.from([0x30, body.length, ...body]);
}

/** Minimal big-endian two's-complement content of a non-negative INTEGER given as 32 bytes. */
function derInteger(scalar: Buffer): number[] {
    let start = 0;
    while (start < scalar.length - 1 && scalar[start] === 0) {
        start++;
    }
    const bytes = [...scalar.subarray(start)];
    return bytes[0] >= 0x80 ? [0, ...bytes] : bytes;
}

/** Strict DER parse of SEQUENCE { INTEGER, INTEGER }, each as 32 bytes; undefined for anything else. */
function decodeDerSignature(der: Uint8Array): { r: Buffer; s: Buffer } | undefined {
    if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2) {
        return undefined;
    }
    const r = readDerInteger(der, 2);
    if (!r) {
        return undefined;
    }
    const s = readDerInteger(der, r.end);
    if (!s || s.end !== der.length) {
        return undefined;
    }
    return { r: r.value, s: s.value };
}

function readDerInteger(der: Uint8Array, offset: number): { value: Buffer; end: number } | undefined {
    if (der[offset] !== 0x02) {
        return undefined;
    }
    const length = der[offset + 1];
    const start = offset + 2;
    const end = start + length;
    if (length === undefined || length === 0 || length > SCALAR_BYTES + 1 || end > der.length) {
        return undefined;
    }
    const content = der.subarray(start, end);
    const negative = content[0] >= 0x80;
    const nonMinimal = content.length > 1 && content[0] === 0 && content[1] < 0x80;
    if (negative || nonMinimal) {
        return undefined;
    }
    if (content.length > SCALAR_BYTES && content[0] !== 0) {
        // Wider than 32 bytes: beyond the curve order, so never a valid scalar.
        return undefined;
    }
    const magnitude = content.length > SCALAR_BYTES ? content.subarray(1) : content;
    const value = Buffer.alloc(SCALAR_BYTES);
    value.set(magnitude, SCALAR_BYTES - magnitude.length);
    return { value, end };
}

function isZero(scalar: Buffer): boolean {
    return scalar.every((byte) => byte === 0);
}

/** a − b for 32-byte big-endian values with a ≥ b. */
function subtract(a: Buffer, b: Buffer): Buffer {
    const difference = Buffer.alloc(SCALAR_BYTES);
    let borrow = 0;
    for (let i = SCALAR_BYTES - 1; i >= 0; i--) {
        const digit = a[i] - b[i] - borrow;
        borrow = digit < 0 ? 1 : 0;
        difference[i] = digit + (borrow << 8);
    }
    return difference;
}
