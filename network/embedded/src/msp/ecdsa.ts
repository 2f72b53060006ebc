import { sign, verify, type KeyObject } from 'node:crypto';

/*
 * Fabric's ECDSA signature format: SHA-256 over the message, the signature DER-encoded as
 * SEQUENCE { INTEGER r, INTEGER s } with s in the lower half of the curve order. Fabric's BCCSP
 * rejects high-S signatures to rule out malleability, so we normalise when signing and refuse
 * high S when verifying, exactly as a peer does.
 */

/** Order n of the P-256 group. */
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const P256_HALF_ORDER = P256_ORDER >> 1n;
const SCALAR_BYTES = 32;

/** Signs `message` with a P-256 private key: DER-encoded, low-S, as Fabric expects. */
export function signLowS(privateKey: KeyObject, message: Uint8Array): Uint8Array {
    const raw = sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    const r = bytesToBigInt(raw.subarray(0, SCALAR_BYTES));
    let s = bytesToBigInt(raw.subarray(SCALAR_BYTES));
    if (s > P256_HALF_ORDER) {
        s = P256_ORDER - s;
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
    if (r <= 0n || s <= 0n || r >= P256_ORDER || s > P256_HALF_ORDER) {
        return false;
    }
    const raw = new Uint8Array(SCALAR_BYTES * 2);
    raw.set(bigIntToBytes(r, SCALAR_BYTES), 0);
    raw.set(bigIntToBytes(s, SCALAR_BYTES), SCALAR_BYTES);
    return verify('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, raw);
}

/** True when the DER signature's S lies in the lower half of the P-256 order. */
export function isLowS(signature: Uint8Array): boolean {
    const scalars = decodeDerSignature(signature);
    return scalars !== undefined && scalars.s <= P256_HALF_ORDER;
}

function encodeDerSignature(r: bigint, s: bigint): Uint8Array {
    const rBytes = derInteger(r);
    const sBytes = derInteger(s);
    // Both integers are at most 35 bytes, so every length fits the short form.
    const body = [0x02, rBytes.length, ...rBytes, 0x02, sBytes.length, ...sBytes];
    return Uint8Array.from([0x30, body.length, ...body]);
}

/** Minimal big-endian two's-complement content of a non-negative INTEGER. */
function derInteger(value: bigint): number[] {
    const bytes = [...bigIntToBytes(value, SCALAR_BYTES)];
    while (bytes.length > 1 && bytes[0] === 0) {
        bytes.shift();
    }
    if (bytes[0] >= 0x80) {
        bytes.unshift(0);
    }
    return bytes;
}

/** Strict DER parse of SEQUENCE { INTEGER, INTEGER }; undefined when the bytes are anything else. */
function decodeDerSignature(der: Uint8Array): { r: bigint; s: bigint } | undefined {
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

function readDerInteger(der: Uint8Array, offset: number): { value: bigint; end: number } | undefined {
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
    return { value: bytesToBigInt(content), end };
}

function bytesToBigInt(bytes: Uint8Array): bigint {
    return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

function bigIntToBytes(value: bigint, size: number): Uint8Array {
    return Buffer.from(value.toString(16).padStart(size * 2, '0'), 'hex');
}
