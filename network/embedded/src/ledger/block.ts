import { encodeRecord, sha256, toHex } from './encoding';
import { fabricHeaderHash } from './fabric-header-hash';
import type { TxRwSet } from './rwset';

/**
 * A transaction as the orderer receives it: the proposal's identity and input, the
 * endorsed result, every endorsement and the client's signature over all of it.
 */
export interface TransactionEnvelope {
    txId: string;
    channelId: string;
    timestamp: { seconds: number; nanos: number };
    /** `msp.SerializedIdentity` of the submitting client. */
    creator: Uint8Array;
    chaincodeName: string;
    /** `ChaincodeInput.args`: function name first. */
    args: Uint8Array[];
    /** The endorsed `ProposalResponsePayload` bytes (see endorser), identical for every endorser. */
    responsePayload: Uint8Array;
    endorsements: Endorsement[];
    /** Client signature over {@link envelopeSigningBytes}. */
    signature: Uint8Array;
    /**
     * The Fabric `common.Payload` bytes of the transaction (see `fabric-transaction.ts`), which the
     * client signs and the block stores in a `common.Envelope`. Absent in blocks written before
     * the ledger stored Fabric's bytes: their signature covers a JSON record instead.
     */
    payloadBytes?: Uint8Array;
}

export interface Endorsement {
    /** `msp.SerializedIdentity` of the endorsing peer. */
    endorser: Uint8Array;
    /** Peer signature over responsePayload ‖ endorser. */
    signature: Uint8Array;
}

/** What every endorser computed and signed: the simulation result of one proposal. */
export interface ProposalResponsePayload {
    proposalHash: string;
    chaincodeName: string;
    response: { status: number; message: string; payload: Uint8Array };
    event: { eventName: string; payload: Uint8Array } | null;
    /** Public read-write sets, with private writes reduced to hashes. */
    rwset: TxRwSet;
}

export interface BlockHeader {
    number: number;
    previousHash: string;
    dataHash: string;
    /**
     * `fabric`: the header is hashed as Fabric hashes it (ASN.1 DER, see `fabric-header-hash.ts`),
     * so a Fabric tool verifies the chain of `common.Block`s this ledger serves. Absent in blocks
     * written before: number (8 bytes, big endian) ‖ previous hash ‖ data hash.
     */
    hashing?: 'fabric';
}

/** A block as stored: header, the envelope bytes, and the committer's verdicts. */
export interface Block {
    header: BlockHeader;
    data: Uint8Array[];
    metadata: BlockMetadata;
}

export interface BlockMetadata {
    /** Fabric's TRANSACTIONS_FILTER: one validation code per transaction. */
    validationCodes: number[];
    /** When the peer committed the block, ISO-8601. */
    committedAt: string;
    /**
     * Like Fabric's COMMIT_HASH: chains each block's verdicts to the previous block's, so that a
     * flipped validation code is found even though the header does not cover the metadata.
     */
    commitHash: string;
}

/** hex SHA-256(previous commit hash ‖ header hash ‖ validation codes ‖ commit time). */
export function computeCommitHash(
    previousCommitHash: string,
    headerHash: string,
    validationCodes: number[],
    committedAt: string,
): string {
    return toHex(
        sha256(
            Buffer.from(previousCommitHash, 'hex'),
            Buffer.from(headerHash, 'hex'),
            Buffer.from(validationCodes),
            Buffer.from(committedAt),
        ),
    );
}

export function computeDataHash(data: Uint8Array[]): string {
    return toHex(sha256(...data));
}

/** Hash of a header: Fabric's, or in older blocks number (8 bytes, big endian) ‖ previous hash ‖ data hash. */
export function computeHeaderHash(header: BlockHeader): string {
    if (header.hashing === 'fabric') {
        return toHex(
            fabricHeaderHash(
                header.number,
                Buffer.from(header.previousHash, 'hex'),
                Buffer.from(header.dataHash, 'hex'),
            ),
        );
    }
    const number = Buffer.alloc(8);
    number.writeBigUInt64BE(BigInt(header.number));
    return toHex(sha256(number, Buffer.from(header.previousHash, 'hex'), Buffer.from(header.dataHash, 'hex')));
}

/**
 * The bytes a client signs: the Fabric payload, or in older blocks every envelope field but the
 * signature, in a fixed order.
 */
export function envelopeSigningBytes(envelope: Omit<TransactionEnvelope, 'signature'>): Uint8Array {
    if (envelope.payloadBytes) {
        return envelope.payloadBytes;
    }
    const { txId, channelId, timestamp, creator, chaincodeName, args, responsePayload, endorsements } = envelope;
    return encodeRecord({ txId, channelId, timestamp, creator, chaincodeName, args, responsePayload, endorsements });
}
