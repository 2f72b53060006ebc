/*
 * Writes the few ASN.1 types an X.509 certificate is made of, in DER. The CA issues a new
 * network's 43 certificates as it opens; @peculiar/asn1-x509's encoder spent about 40 % of that
 * opening's CPU building its object model and encoding it, where these functions concatenate
 * bytes. The tests hold the result to that library's encoding of the same certificates, byte for
 * byte (`der-writer.test.ts`).
 */

/** One encoded element (tag, length, content). */
export type Der = Buffer;

/** An element of `tag` around `content`, with DER's shortest length. */
export function element(tag: number, ...content: Uint8Array[]): Der {
    const body = Buffer.concat(content);
    const length = body.length;
    let header: number[];
    if (length < 0x80) {
        header = [tag, length];
    } else {
        const octets: number[] = [];
        for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) {
            octets.unshift(rest % 256);
        }
        header = [tag, 0x80 | octets.length, ...octets];
    }
    return Buffer.concat([Buffer.from(header), body]);
}

export const sequence = (...items: Uint8Array[]): Der => element(0x30, ...items);
export const set = (...items: Uint8Array[]): Der => element(0x31, ...items);
export const octetString = (bytes: Uint8Array): Der => element(0x04, bytes);
export const booleanTrue = (): Der => Buffer.from([0x01, 0x01, 0xff]);
export const printableString = (text: string): Der => element(0x13, Buffer.from(text, 'latin1'));
export const utf8String = (text: string): Der => element(0x0c, Buffer.from(text, 'utf8'));
export const ia5String = (text: string): Der => element(0x16, Buffer.from(text, 'latin1'));
/** `[n] EXPLICIT`: a context-specific constructed element around `content`. */
export const explicit = (n: number, ...content: Uint8Array[]): Der => element(0xa0 | n, ...content);
/** `[n] IMPLICIT` of a primitive type: its content under a context-specific tag. */
export const implicit = (n: number, content: Uint8Array): Der => element(0x80 | n, content);

/** A non-negative INTEGER from its big-endian bytes (leading zeros dropped, a zero added before a high bit). */
export function unsignedInteger(bytes: Uint8Array): Der {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) {
        start++;
    }
    const value = bytes.subarray(start);
    return element(0x02, ...(value.length === 0 || value[0] & 0x80 ? [Buffer.from([0]), value] : [value]));
}

/** An OBJECT IDENTIFIER from its dotted form, e.g. `2.5.4.3`. */
export function objectIdentifier(dotted: string): Der {
    const [first, second, ...rest] = dotted.split('.').map(Number);
    const bytes: number[] = [];
    for (const arc of [first * 40 + second, ...rest]) {
        const groups = [arc & 0x7f];
        for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) {
            groups.unshift(0x80 | (rest & 0x7f));
        }
        bytes.push(...groups);
    }
    return element(0x06, Buffer.from(bytes));
}

/** A BIT STRING holding `bytes` whole (a signature, a public key). */
export const bitString = (bytes: Uint8Array): Der => element(0x03, Buffer.from([0]), bytes);

/**
 * A BIT STRING of named bits (bit 0 first, as KeyUsage numbers them) with DER's trailing zero
 * bits left out.
 */
export function namedBits(bits: readonly number[]): Der {
    const last = Math.max(...bits);
    const bytes = Buffer.alloc(Math.floor(last / 8) + 1);
    for (const bit of bits) {
        bytes[Math.floor(bit / 8)] |= 0x80 >> (bit % 8);
    }
    return element(0x03, Buffer.from([7 - (last % 8)]), bytes);
}

/** X.509's Time: UTCTime through 2049, GeneralizedTime after, in whole seconds (RFC 5280 4.1.2.5). */
export function time(date: Date): Der {
    const iso = date.toISOString();
    const digits = iso.slice(0, 19).replace(/[-:T]/g, '');
    return date.getUTCFullYear() < 2050
        ? element(0x17, Buffer.from(`${digits.slice(2)}Z`, 'latin1'))
        : element(0x18, Buffer.from(`${digits}Z`, 'latin1'));
}
