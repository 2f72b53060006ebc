import { Object as DataType, Property } from 'fabric-contract-api';
import type { Actor, Party } from '../lib/party';

/**
 * The ledger records of 区块链公证摇号, described in the contract metadata and stored as
 * sorted-key JSON with `docType` and `null` for what has not happened yet (`LedgerRecord` in
 * `lib/record.ts`).
 */

/** OPEN → CLOSED → DRAWN → NOTARIZED → ANNOUNCED, or CLOSED → VOID when a seed is withheld. */
export type LotteryStatus = 'OPEN' | 'CLOSED' | 'DRAWN' | 'NOTARIZED' | 'ANNOUNCED' | 'VOID';

/** Which party withheld its seed past the reveal deadline. */
export type LotteryParty = 'sponsor' | 'notary';

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
    @Property('notary', 'Actor') notary!: Actor;
    @Property('resultHash', 'string') resultHash!: string;
    @Property('notarizedAtMinute', 'number') notarizedAtMinute!: number;
}

@DataType()
export class LotteryEvent {
    @Property('docType', 'string') docType!: 'lottery.event';
    @Property('eventId', 'string') eventId!: string;
    @Property('title', 'string') title!: string;
    /** SHA-256 of the published rules document. */
    @Property('rulesHash', 'string') rulesHash!: string;
    @Property('prizes', 'LotteryPrize[]') prizes!: LotteryPrize[];
    /**
     * Registration takes tx times before this minute, until the notary closes the event (from
     * this minute on, by the notary's tx time); after the close nothing registers.
     */
    @Property('cutoffMinute', 'number') cutoffMinute!: number;
    /** Minutes after the close within which both seeds must be revealed, fixed at creation. */
    @Property('revealMinutes', 'number') revealMinutes!: number;
    @Property('sponsor', 'Actor') sponsor!: Actor;
    /** The notary body named at creation: only it commits the notary's seed, closes, draws, notarizes and announces. */
    @Property('notary', 'Party') notary!: Party;
    @Property('status', 'string') status!: string;
    @Property('createdAtMinute', 'number') createdAtMinute!: number;
    /** SHA-256 of each party's seed text, committed while the event is OPEN; `null` until then. */
    @Property('notaryCommitment', 'string') notaryCommitment!: string | null;
    @Property('sponsorCommitment', 'string') sponsorCommitment!: string | null;
    /** Revealed after close, each matching its commitment: the sponsor's first, then the notary's. */
    @Property('notarySeed', 'string') notarySeed!: string | null;
    @Property('sponsorSeed', 'string') sponsorSeed!: string | null;
    @Property('entrantCount', 'number') entrantCount!: number | null;
    /** Merkle root of the sorted entrant ids, frozen at close. */
    @Property('listRoot', 'string') listRoot!: string | null;
    @Property('closedAtMinute', 'number') closedAtMinute!: number | null;
    /** `closedAtMinute + revealMinutes`: the seeds are due by then; from it + the time window, anyone may void. */
    @Property('revealDeadlineMinute', 'number') revealDeadlineMinute!: number | null;
    @Property('winners', 'LotteryWinner[]') winners!: LotteryWinner[] | null;
    @Property('resultHash', 'string') resultHash!: string | null;
    @Property('drawnAtMinute', 'number') drawnAtMinute!: number | null;
    @Property('notarization', 'LotteryNotarization') notarization!: LotteryNotarization | null;
    @Property('announcedAtMinute', 'number') announcedAtMinute!: number | null;
    /** Set when the event is VOID: who withheld its seed, who recorded it and when. */
    @Property('withheldBy', 'string') withheldBy!: LotteryParty | null;
    @Property('voidedBy', 'Actor') voidedBy!: Actor | null;
    @Property('voidedAtMinute', 'number') voidedAtMinute!: number | null;
}

/** One registration. The id is SHA-256 of the entrant's MSP and certificate id, not the person. */
@DataType()
export class LotteryEntrant {
    @Property('docType', 'string') docType!: 'lottery.entrant';
    @Property('eventId', 'string') eventId!: string;
    @Property('entrantId', 'string') entrantId!: string;
    /** SHA-256 of the sorted-key JSON contact details in collection `lotteryEntrantContacts`. */
    @Property('contactHash', 'string') contactHash!: string;
    @Property('registeredAtMinute', 'number') registeredAtMinute!: number;
}

/** An entrant's contact details, private to `lotteryEntrantContacts` (RegulatorMSP, MemberMSP). */
@DataType()
export class LotteryContact {
    @Property('docType', 'string') docType!: 'lottery.contact';
    @Property('name', 'string') name!: string;
    @Property('phone', 'string') phone!: string;
}

/** Answer of `submitContact`: the hash the channel will hold for the private contact details. */
@DataType()
export class LotteryContactHash {
    @Property('eventId', 'string') eventId!: string;
    @Property('entrantId', 'string') entrantId!: string;
    @Property('contactHash', 'string') contactHash!: string;
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
    /** `null` until the notary has notarized the result. */
    @Property('notarization', 'LotteryNotarization') notarization!: LotteryNotarization | null;
}

@DataType()
export class LotteryProofStep {
    @Property('position', 'string') position!: string;
    @Property('hash', 'string') hash!: string;
}

/** A caller's own entry and, once the list is frozen, its Merkle inclusion proof (`null` before). */
@DataType()
export class LotteryEntryProof {
    @Property('entrant', 'LotteryEntrant') entrant!: LotteryEntrant;
    @Property('listRoot', 'string') listRoot!: string | null;
    @Property('proof', 'LotteryProofStep[]') proof!: LotteryProofStep[] | null;
}
