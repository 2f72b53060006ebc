import { X509Certificate } from 'node:crypto';
import { readCertificateParts } from './certificate-der';

/*
 * The Fabric CA certificate profile: what an enrollment certificate carries and how to read it
 * back. Fabric's MSP (with NodeOUs) classifies an identity by the subject's OU; fabric-shim's
 * ClientIdentity reads attributes from the extension below.
 */

/** Fabric NodeOU classifications of an identity. */
export type NodeOU = 'client' | 'admin' | 'peer' | 'orderer';

export const NODE_OUS: readonly NodeOU[] = ['client', 'admin', 'peer', 'orderer'];

/** Extension where Fabric CA writes attributes as the raw JSON `{"attrs":{…}}`. */
export const FABRIC_ATTRS_OID = '1.2.3.4.5.6.7.8.1';

/** X.520's commonName and organizationalUnitName. */
const COMMON_NAME = '2.5.4.3';
const ORGANIZATIONAL_UNIT = '2.5.4.11';

/** What an enrollment certificate says about its holder. */
export interface CertificateFields {
    commonName: string;
    /** The NodeOU found among the subject's OUs; undefined when it has none. */
    nodeOU: NodeOU | undefined;
    /** Fabric CA attributes (including `hf.*`); empty when the certificate has none. */
    attrs: Record<string, string>;
}

export function isNodeOU(value: string): value is NodeOU {
    return (NODE_OUS as readonly string[]).includes(value);
}

/** Reads subject and Fabric CA attributes from a PEM certificate; throws if it does not parse. */
export function readCertificate(pem: string): CertificateFields {
    // OpenSSL parses (and so checks) the certificate; the fields are then read from its DER.
    const { subject, extensions } = readCertificateParts(new X509Certificate(pem).raw);
    const field = (type: string): string[] => subject.filter((a) => a.type === type).map((a) => a.value);
    return {
        commonName: field(COMMON_NAME)[0] ?? '',
        nodeOU: field(ORGANIZATIONAL_UNIT).find(isNodeOU),
        attrs: readAttrs(extensions.get(FABRIC_ATTRS_OID)),
    };
}

/** Encodes attributes as Fabric CA does: the JSON object's keys sorted, as Go marshals a map. */
export function encodeAttrs(attrs: Record<string, string>): Uint8Array {
    const sorted = Object.fromEntries(Object.entries(attrs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return new TextEncoder().encode(JSON.stringify({ attrs: sorted }));
}

function readAttrs(extension: Uint8Array | undefined): Record<string, string> {
    if (!extension) {
        return {};
    }
    const parsed: unknown = JSON.parse(new TextDecoder().decode(extension));
    const attrs = (parsed as { attrs?: unknown }).attrs;
    if (typeof attrs !== 'object' || attrs === null) {
        return {};
    }
    return Object.fromEntries(
        Object.entries(attrs).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
}
