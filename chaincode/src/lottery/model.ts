import { Object as DataType, Property } from 'fabric-contract-api';

/**
 * The ledger records of 区块链公证摇号, described in the contract metadata and stored as
 * sorted-key JSON.
 */

/** OPEN → CLOSED → DRAWN → NOTARIZED → ANNOUNCED. */
export type LotteryStatus = 'OPEN' | 'CLOSED' | 'DRAWN' | 'NOTARIZED' | 'ANNOUNCED';

@DataType()
export class LotteryParty {
    @Property('mspId', 'string') mspId!: string;
    @Property('unit', 'string') unit!: string;
    @Property('id', 'string') id!: string;
}

@DataType()
export class LotteryPrize {
    @Property('name', 'string') name!: string;
    @Property('count', 'number') count!: number;
}

@DataType()
export class LotteryWinner {
    @Property('prize', 'string') prize!: string;
    @Property('rank', 'number') rank!: number;
    @Property('entrantId', 'string') entrantId!: string;
}

/** The notary's signature on a result: its certificate and the result hash it attested. */
@DataType()
export class LotteryNotarization {
    @Property('notary', 'LotteryParty') notary!: LotteryParty;
    @Property('resultHash', 'string') resultHash!: string;
    @Property('notarizedAtMinute', 'number') notarizedAtMinute!: number;
}

@DataType()
export class LotteryEvent {
    @Property('eventId', 'string') eventId!: string;
    @Property('title', 'string') title!: string;
    /** SHA-256 of the published rules document. */
    @Property('rulesHash', 'string') rulesHash!: string;
    @Property('prizes', 'LotteryPrize[]') prizes!: LotteryPrize[];
    /** Registration closes at this minute (tx time ≥ cutoff is too late). */
    @Property('cutoffMinute', 'number') cutoffMinute!: number;
    @Property('sponsor', 'LotteryParty') sponsor!: LotteryParty;
    @Property('status', 'string') status!: string;
    @Property('createdAtMinute', 'number') createdAtMinute!: number;
    /** SHA-256 of each party's seed text, committed while the event is OPEN. */
    @Property('notaryCommitment', 'string') notaryCommitment?: string;
    @Property('sponsorCommitment', 'string') sponsorCommitment?: string;
    /** The notary body that committed; only it may reveal and notarize. */
    @Property('notary', 'LotteryParty') notary?: LotteryParty;
    /** Revealed after close, each matching its commitment. */
    @Property('notarySeed', 'string') notarySeed?: string;
    @Property('sponsorSeed', 'string') sponsorSeed?: string;
    @Property('entrantCount', 'number') entrantCount?: number;
    /** Merkle root of the sorted entrant ids, frozen at close. */
    @Property('listRoot', 'string') listRoot?: string;
    @Property('closedAtMinute', 'number') closedAtMinute?: number;
    @Property('winners', 'LotteryWinner[]') winners?: LotteryWinner[];
    @Property('resultHash', 'string') resultHash?: string;
    @Property('drawnAtMinute', 'number') drawnAtMinute?: number;
    @Property('notarization', 'LotteryNotarization') notarization?: LotteryNotarization;
    @Property('announcedAtMinute', 'number') announcedAtMinute?: number;
}

/** One registration. The id is SHA-256 of the entrant's MSP and certificate id, not the person. */
@DataType()
export class LotteryEntrant {
    @Property('eventId', 'string') eventId!: string;
    @Property('entrantId', 'string') entrantId!: string;
    /** SHA-256 of the sorted-key JSON contact details in collection `lotteryEntrantContacts`. */
    @Property('contactHash', 'string') contactHash!: string;
    @Property('registeredAtMinute', 'number') registeredAtMinute!: number;
}

/** Everything needed to recompute the draw off-chain with `computeDraw` from `zhelian/lottery/draw`. */
@DataType()
export class LotteryDrawRecord {
    @Property('eventId', 'string') eventId!: string;
    @Property('status', 'string') status!: string;
    @Property('notarySeed', 'string') notarySeed!: string;
    @Property('sponsorSeed', 'string') sponsorSeed!: string;
    @Property('listRoot', 'string') listRoot!: string;
    @Property('entrants', 'string[]') entrants!: string[];
    @Property('prizes', 'LotteryPrize[]') prizes!: LotteryPrize[];
    @Property('winners', 'LotteryWinner[]') winners!: LotteryWinner[];
    @Property('resultHash', 'string') resultHash!: string;
    @Property('notarization', 'LotteryNotarization') notarization?: LotteryNotarization;
}

@DataType()
export class LotteryProofStep {
    @Property('position', 'string') position!: string;
    @Property('hash', 'string') hash!: string;
}

/** A caller's own entry and, once the list is frozen, its Merkle inclusion proof. */
@DataType()
export class LotteryEntryProof {
    @Property('entrant', 'LotteryEntrant') entrant!: LotteryEntrant;
    @Property('listRoot', 'string') listRoot?: string;
    @Property('proof', 'LotteryProofStep[]') proof?: LotteryProofStep[];
}
