/*
 * Reads the few parts of a DER X.509 certificate that an enrollment certificate's fields come
 * from: the subject's attributes and one extension's value; and what a CA takes from its own
 * certificate into those it issues. The certificate has already been
 * parsed by OpenSSL (node's X509Certificate), so this only walks its known structure; anything
 * else throws. @peculiar/x509 reads the same fields but builds the whole certificate first,
 * which cost a millisecond or more of CPU per certificate at every start (a ledger reads each
 * of its identities' certificates when it opens) — this walk costs a few microseconds.
 */

/** One DER element: its tag, where it starts, and where its content starts and ends in the buffer. */
interface Element {
    tag: number;
    offset: number;
    start: number;
    end: number;
}

const SEQUENCE = 0x30;
const SET = 0x31;
const OBJECT_IDENTIFIER = 0x06;
const OCTET_STRING = 0x04;
const BOOLEAN = 0x01;
const BIT_STRING = 0x03;
/** `[0] EXPLICIT Version` and `[3] EXPLICIT Extensions` of a TBSCertificate. */
const VERSION = 0xa0;
const EXTENSIONS = 0xa3;

function readElement(der: Uint8Array, offset: number, limit: number): Element {
    if (offset + 2 > limit) {
        throw new Error(`DER element at ${offset} runs past its container`);
    }
    const tag = der[offset];
    let length = der[offset + 1];
    let start = offset + 2;
    if (length & 0x80) {
        const octets = length & 0x7f;
        if (octets === 0 || octets > 4 || start + octets > limit) {
            throw new Error(`DER element at ${offset} has an unsupported length`);
        }
        length = 0;
        for (let i = 0; i < octets; i++) {
            length = length * 256 + der[start + i];
        }
        start += octets;
    }
    const end = start + length;
    if (end > limit) {
        throw new Error(`DER element at ${offset} runs past its container`);
    }
    return { tag, offset, start, end };
}

/** The elements inside a constructed element, in order. */
function children(der: Uint8Array, parent: Element): Element[] {
    const found: Element[] = [];
    for (let offset = parent.start; offset < parent.end;) {
        const element = readElement(der, offset, parent.end);
        found.push(element);
        offset = element.end;
    }
    return found;
}

function expectTag(element: Element | undefined, tag: number, what: string): Element {
    if (!element || element.tag !== tag) {
        throw new Error(`the certificate's ${what} is not where X.509 puts it`);
    }
    return element;
}

/** An object identifier in dotted form, e.g. `2.5.4.3`. */
function objectIdentifier(der: Uint8Array, element: Element): string {
    const arcs: number[] = [];
    let value = 0;
    for (let i = element.start; i < element.end; i++) {
        value = value * 128 + (der[i] & 0x7f);
        if (!(der[i] & 0x80)) {
            arcs.push(value);
            value = 0;
        }
    }
    const [first = 0, ...rest] = arcs;
    const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
    return [...head, ...rest].join('.');
}

/**
 * An attribute value as @peculiar/asn1-x509's `AttributeValue.toString()` gives it: the text of
 * a directory string (UTF8String, PrintableString, IA5String, TeletexString, BMPString,
 * UniversalString), else the whole element in hex.
 */
function attributeValue(der: Uint8Array, element: Element): string {
    const content = der.subarray(element.start, element.end);
    switch (element.tag) {
        case 0x0c:
            return new TextDecoder().decode(content);
        case 0x13:
        case 0x16:
        case 0x14:
            return Buffer.from(content).toString('latin1');
        case 0x1e: {
            let text = '';
            for (let i = 0; i + 1 < content.length; i += 2) {
                text += String.fromCharCode((content[i] << 8) | content[i + 1]);
            }
            return text;
        }
        case 0x1c: {
            let text = '';
            for (let i = 0; i + 3 < content.length; i += 4) {
                text += String.fromCodePoint(
                    ((content[i] << 24) | (content[i + 1] << 16) | (content[i + 2] << 8) | content[i + 3]) >>> 0,
                );
            }
            return text;
        }
        default:
            return Buffer.from(der.subarray(element.offset, element.end)).toString('hex');
    }
}

/** What `readCertificateParts` finds: the subject's attributes in order, and the extensions' values. */
export interface CertificateParts {
    /** Each attribute of the subject, RDN by RDN, as (OID, text). */
    subject: { type: string; value: string }[];
    /** The value (the OCTET STRING's content) of the first extension with each OID. */
    extensions: Map<string, Uint8Array>;
}

/** Reads the subject and the extensions of a DER certificate (see the comment at the top). */
export function readCertificateParts(der: Uint8Array): CertificateParts {
    const certificate = expectTag(readElement(der, 0, der.length), SEQUENCE, 'outer sequence');
    const tbs = expectTag(children(der, certificate)[0], SEQUENCE, 'TBSCertificate');
    const fields = children(der, tbs);
    const first = fields[0]?.tag === VERSION ? 1 : 0;
    // serialNumber, signature, issuer, validity, then subject.
    const subjectName = expectTag(fields[first + 4], SEQUENCE, 'subject');
    const subject: CertificateParts['subject'] = [];
    for (const rdn of children(der, subjectName)) {
        expectTag(rdn, SET, 'subject RDN');
        for (const attribute of children(der, rdn)) {
            const [type, value] = children(der, expectTag(attribute, SEQUENCE, 'subject attribute'));
            expectTag(type, OBJECT_IDENTIFIER, 'attribute type');
            if (!value) {
                throw new Error('a subject attribute of the certificate has no value');
            }
            subject.push({ type: objectIdentifier(der, type), value: attributeValue(der, value) });
        }
    }
    const extensions = new Map<string, Uint8Array>();
    const wrapper = fields.slice(first + 6).find((field) => field.tag === EXTENSIONS);
    if (wrapper) {
        const list = expectTag(children(der, wrapper)[0], SEQUENCE, 'extensions');
        for (const extension of children(der, list)) {
            const parts = children(der, expectTag(extension, SEQUENCE, 'extension'));
            const id = objectIdentifier(der, expectTag(parts[0], OBJECT_IDENTIFIER, 'extension id'));
            const value = expectTag(parts[1]?.tag === BOOLEAN ? parts[2] : parts[1], OCTET_STRING, 'extension value');
            if (!extensions.has(id)) {
                extensions.set(id, new Uint8Array(der.subarray(value.start, value.end)));
            }
        }
    }
    return { subject, extensions };
}

/** The subject of a DER certificate as it is encoded (a certificate issued under it names its issuer with these bytes). */
export function readSubjectName(der: Uint8Array): Uint8Array {
    const certificate = expectTag(readElement(der, 0, der.length), SEQUENCE, 'outer sequence');
    const tbs = expectTag(children(der, certificate)[0], SEQUENCE, 'TBSCertificate');
    const fields = children(der, tbs);
    const subject = expectTag(fields[(fields[0]?.tag === VERSION ? 1 : 0) + 4], SEQUENCE, 'subject');
    return der.subarray(subject.offset, subject.end);
}

/** The content of a DER OCTET STRING (e.g. a subject key identifier extension's value). */
export function readOctetString(der: Uint8Array): Uint8Array {
    const octets = expectTag(readElement(der, 0, der.length), OCTET_STRING, 'octet string');
    return der.subarray(octets.start, octets.end);
}

/** The public key's bits of a DER SubjectPublicKeyInfo (what RFC 5280's key identifiers hash). */
export function readSubjectPublicKey(spki: Uint8Array): Uint8Array {
    const info = expectTag(readElement(spki, 0, spki.length), SEQUENCE, 'subject public key info');
    const key = expectTag(children(spki, info)[1], BIT_STRING, 'subject public key');
    // The first content octet counts the unused bits of the last one: none in a key.
    return spki.subarray(key.start + 1, key.end);
}
