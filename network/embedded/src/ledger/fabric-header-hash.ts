import * as asn1js from 'asn1js';
import { sha256 } from './encoding';

/**
 * Fabric's block header hash (`protoutil.BlockHeaderHash`): SHA-256 over the ASN.1 DER encoding
 * of `SEQUENCE { INTEGER number, OCTET STRING previousHash, OCTET STRING dataHash }`. It is what
 * the next block names as its previous hash, and what `qscc GetChainInfo` reports.
 */
export function fabricHeaderHash(number: number, previousHash: Uint8Array, dataHash: Uint8Array): Uint8Array {
    const header = new asn1js.Sequence({
        value: [
            asn1js.Integer.fromBigInt(BigInt(number)),
            new asn1js.OctetString({ valueHex: previousHash }),
            new asn1js.OctetString({ valueHex: dataHash }),
        ],
    });
    return sha256(new Uint8Array(header.toBER()));
}
