import { createHash } from 'node:crypto';
import type { common } from '@hyperledger/fabric-protos';

/**
 * Fabric's block hashes, recomputed from a block's protobuf:
 * - the data hash is SHA-256 over the block's envelopes concatenated (`protoutil.ComputeBlockDataHash`);
 * - the header hash — what the next block names as its previous hash — is SHA-256 over the
 *   ASN.1 DER of `SEQUENCE { INTEGER number, OCTET STRING previousHash, OCTET STRING dataHash }`
 *   (`protoutil.BlockHeaderBytes`).
 */
export function blockDataHash(block: common.Block): Buffer {
    const hash = createHash('sha256');
    for (const envelope of block.getData()?.getDataList_asU8() ?? []) {
        hash.update(envelope);
    }
    return hash.digest();
}

export function blockHeaderHash(header: common.BlockHeader): Buffer {
    const der = derSequence([
        derInteger(BigInt(header.getNumber())),
        derOctetString(header.getPreviousHash_asU8()),
        derOctetString(header.getDataHash_asU8()),
    ]);
    return createHash('sha256').update(der).digest();
}

function derInteger(value: bigint): Buffer {
    let hex = value.toString(16);
    if (hex.length % 2 === 1) {
        hex = `0${hex}`;
    }
    let bytes = Buffer.from(hex, 'hex');
    if (bytes[0] & 0x80) {
        bytes = Buffer.concat([Buffer.from([0]), bytes]);
    }
    return derElement(0x02, bytes);
}

function derOctetString(bytes: Uint8Array): Buffer {
    return derElement(0x04, Buffer.from(bytes));
}

function derSequence(elements: Buffer[]): Buffer {
    return derElement(0x30, Buffer.concat(elements));
}

function derElement(tag: number, content: Buffer): Buffer {
    return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

function derLength(length: number): Buffer {
    if (length < 0x80) {
        return Buffer.from([length]);
    }
    const bytes: number[] = [];
    for (let rest = length; rest > 0; rest >>= 8) {
        bytes.unshift(rest & 0xff);
    }
    return Buffer.from([0x80 | bytes.length, ...bytes]);
}
