import {
    badState,
    type ErrorCode,
    identifier,
    label,
    minute,
    PROPOSAL_TIME_WINDOW_MINUTES,
    refuse,
    sha256Hex,
    sha256HexSchema,
    z,
} from '../lib';
import type { LotteryEvent, LotteryParty, LotteryStatus } from './model';

/** The business rules of 区块链公证摇号 that need no ledger. */

export const LOTTERY_CODES = {
    CUTOFF_PASSED: 'E_CUTOFF_PASSED',
    CUTOFF_NOT_REACHED: 'E_CUTOFF_NOT_REACHED',
    /** The notary has closed the event: no registration counts, whatever its timestamp. */
    ENTRIES_CLOSED: 'E_ENTRIES_CLOSED',
    /** The notary reveals only after the sponsor, so the sponsor never sees the notary's seed first. */
    REVEAL_ORDER: 'E_REVEAL_ORDER',
    /** The reveal deadline is not final yet (deadline + the time window by tx time). */
    REVEAL_OPEN: 'E_REVEAL_OPEN',
    ALREADY_REGISTERED: 'E_ALREADY_REGISTERED',
    SEED_MISMATCH: 'E_SEED_MISMATCH',
    ALREADY_DRAWN: 'E_ALREADY_DRAWN',
    NOT_DRAWN: 'E_NOT_DRAWN',
    RESULT_MISMATCH: 'E_RESULT_MISMATCH',
    NOT_NOTARIZED: 'E_NOT_NOTARIZED',
} as const satisfies Record<string, ErrorCode>;

/** A week: the longest reveal window the rules may fix. */
const MAX_REVEAL_MINUTES = 7 * 24 * 60;

export const EventInput = z
    .object({
        eventId: identifier,
        title: label,
        rulesHash: sha256HexSchema,
        prizes: z
            .array(z.object({ name: label, count: z.number().int().min(1).max(100_000) }).strict())
            .min(1)
            .max(50),
        cutoffMinute: minute,
        revealMinutes: z.number().int().min(1).max(MAX_REVEAL_MINUTES),
        notary: z.object({ mspId: identifier, unit: label }).strict(),
    })
    .strict();

export const ContactInput = z
    .object({
        name: label,
        phone: z.string().regex(/^\+?[0-9-]{5,20}$/, 'expected a phone number'),
    })
    .strict();

/** Seeds are hex text of 16–64 bytes, chosen secretly by the notary and the sponsor. */
export const seedText = z.string().regex(/^[0-9a-f]{32,128}$/, 'expected 32-128 lowercase hex characters');

/** The public id of an entrant: SHA-256 of MSP id and certificate id, stable across events. */
export function entrantIdOf(caller: { mspId: string; id: string }): string {
    return sha256Hex(`${caller.mspId}|${caller.id}`);
}

export function requireStatus(event: LotteryEvent, expected: LotteryStatus, action: string): void {
    if (event.status === expected) {
        return;
    }
    if (action === 'draw' && ['DRAWN', 'NOTARIZED', 'ANNOUNCED'].includes(event.status)) {
        throw refuse(LOTTERY_CODES.ALREADY_DRAWN, `event ${event.eventId} was already drawn`);
    }
    if (action === 'announce' && event.status === 'DRAWN') {
        throw refuse(
            LOTTERY_CODES.NOT_NOTARIZED,
            `event ${event.eventId}: the notary has not notarized the result yet`,
        );
    }
    throw badState(`cannot ${action} event ${event.eventId}: it is ${event.status}, ${action} needs ${expected}`);
}

/** Registration ends with the notary's close, whatever the registration's timestamp says. */
export function requireOpenForEntries(event: LotteryEvent): void {
    if (event.status !== 'OPEN') {
        throw refuse(
            LOTTERY_CODES.ENTRIES_CLOSED,
            `event ${event.eventId} is ${event.status}: the notary closed its entries`,
        );
    }
}

export function requireBeforeCutoff(event: LotteryEvent, now: number): void {
    if (now >= event.cutoffMinute) {
        throw refuse(
            LOTTERY_CODES.CUTOFF_PASSED,
            `registration for event ${event.eventId} closed at minute ${event.cutoffMinute}`,
        );
    }
}

export function requireAfterCutoff(event: LotteryEvent, now: number): void {
    if (now < event.cutoffMinute) {
        throw refuse(
            LOTTERY_CODES.CUTOFF_NOT_REACHED,
            `event ${event.eventId} takes entries until minute ${event.cutoffMinute}`,
        );
    }
}

/** The deadline for both seeds, fixed by the close: `closedAtMinute + revealMinutes`. */
export function revealDeadline(closedAtMinute: number, revealMinutes: number): number {
    return closedAtMinute + revealMinutes;
}

/**
 * The sponsor reveals first: the notary's reveal waits for the sponsor's, so the sponsor never
 * knows the notary's seed (and so the outcome) while it can still withhold its own.
 */
export function requireRevealTurn(event: LotteryEvent, by: LotteryParty): void {
    if (by === 'notary' && event.sponsorSeed === null) {
        throw refuse(
            LOTTERY_CODES.REVEAL_ORDER,
            `event ${event.eventId}: the sponsor reveals its seed first, then the notary`,
        );
    }
}

/**
 * Whose seed is missing: the sponsor's if it did not reveal (the notary's turn never came), else
 * the notary's; `undefined` when both are revealed.
 */
export function withheldParty(event: LotteryEvent): LotteryParty | undefined {
    if (event.sponsorSeed === null) {
        return 'sponsor';
    }
    return event.notarySeed === null ? 'notary' : undefined;
}

/**
 * A CLOSED event whose seed is missing may be voided once its reveal deadline is past in real
 * time whoever signs: from `revealDeadlineMinute + PROPOSAL_TIME_WINDOW_MINUTES` by tx time, so a
 * voider whose clock runs fast cannot cut a party's reveal short. A late reveal still counts if it
 * commits before the void.
 */
export function requireVoidable(event: LotteryEvent, now: number): LotteryParty {
    const withheld = withheldParty(event);
    if (withheld === undefined || event.revealDeadlineMinute === null) {
        throw badState(`event ${event.eventId} has both seeds revealed: draw it`);
    }
    const from = event.revealDeadlineMinute + PROPOSAL_TIME_WINDOW_MINUTES;
    if (now < from) {
        throw refuse(
            LOTTERY_CODES.REVEAL_OPEN,
            `event ${event.eventId}: seeds are due by minute ${event.revealDeadlineMinute}; it may be voided from minute ${from} (the deadline + the ${PROPOSAL_TIME_WINDOW_MINUTES}-minute time window)`,
        );
    }
    return withheld;
}
