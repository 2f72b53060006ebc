import { Object as DataType, Property } from 'fabric-contract-api';

/**
 * The ledger records of 区块链公证摇号, described in the contract metadata and stored as
 * sorted-key JSON.
 */

/** OPEN → CLOSED → DRAWN → NOTARIZED → ANNOUNCED. */
export type LotteryStatus = 'OPEN' | 'CLOSED' | 'DRAWN' | 'NOTARIZED' | 'ANNOUNCED';

@DataType()
export class LotteryParty {
    @Property() mspId!: string;
    @Property() unit!: string;
    @Property() id!: string;
}

@DataType()
export class LotteryPrize {
    @Property() name!: string;
    @Property() count!: number;
}

@DataType()
export class LotteryWinner {
    @Property() prize!: string;
    @Property() rank!: number;
    @Property() entrantId!: string;
}

/** The notary's signature on a result: its certificate and the result hash it attested. */
@DataType()
export class LotteryNotarization {
    @Property() notary!: LotteryParty;
    @Property() resultHash!: string;
    @Property() notarizedAtMinute!: number;
}

@DataType()
export class LotteryEvent {
    @Property() eventId!: string;
    @Property() title!: string;
    /** SHA-256 of the published rules document. */
    @Property() rulesHash!: string;
    @Property('prizes', 'LotteryPrize[]') prizes!: LotteryPrize[];
    /** Registration closes at this minute (tx time ≥ cutoff is too late). */
    @Property() cutoffMinute!: number;
    @Property() sponsor!: LotteryParty;
    @Property() status!: string;
    @Property() createdAtMinute!: number;
    /** SHA-256 of each party's seed text, committed while the event is OPEN. */
    @Property() notaryCommitment?: string;
    @Property() sponsorCommitment?: string;
    /** The notary body that committed; only it may reveal and notarize. */
    @Property() notary?: LotteryParty;
    /** Revealed after close, each matching its commitment. */
    @Property() notarySeed?: string;
    @Property() sponsorSeed?: string;
    @Property() entrantCount?: number;
    /** Merkle root of the sorted entrant ids, frozen at close. */
    @Property() listRoot?: string;
    @Property() closedAtMinute?: number;
    @Property('winners', 'LotteryWinner[]') winners?: LotteryWinner[];
    @Property() resultHash?: string;
    @Property() drawnAtMinute?: number;
    @Property() notarization?: LotteryNotarization;
    @Property() announcedAtMinute?: number;
}

/** One registration. The id is SHA-256 of the entrant's MSP and certificate id, not the person. */
@DataType()
export class LotteryEntrant {
    @Property() eventId!: string;
    @Property() entrantId!: string;
    /** SHA-256 of the sorted-key JSON contact details in collection `lotteryEntrantContacts`. */
    @Property() contactHash!: string;
    @Property() registeredAtMinute!: number;
}

/** Everything needed to recompute the draw off-chain with `computeDraw` from `zhelian/dist/lottery/draw`. */
@DataType()
export class LotteryDrawRecord {
    @Property() eventId!: string;
    @Property() status!: string;
    @Property() notarySeed!: string;
    @Property() sponsorSeed!: string;
    @Property() listRoot!: string;
    @Property('entrants', 'string[]') entrants!: string[];
    @Property('prizes', 'LotteryPrize[]') prizes!: LotteryPrize[];
    @Property('winners', 'LotteryWinner[]') winners!: LotteryWinner[];
    @Property() resultHash!: string;
    @Property() notarization?: LotteryNotarization;
}

@DataType()
export class LotteryProofStep {
    @Property() position!: string;
    @Property() hash!: string;
}

/** A caller's own entry and, once the list is frozen, its Merkle inclusion proof. */
@DataType()
export class LotteryEntryProof {
    @Property() entrant!: LotteryEntrant;
    @Property() listRoot?: string;
    @Property('proof', 'LotteryProofStep[]') proof?: LotteryProofStep[];
}
