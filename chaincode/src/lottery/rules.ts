import { badState, type ErrorCode, identifier, label, minute, refuse, sha256Hex, sha256HexSchema, z } from '../lib';
import type { LotteryEvent, LotteryStatus } from './model';

/** The business rules of 区块链公证摇号 that need no ledger. */

export const LOTTERY_CODES = {
    CUTOFF_PASSED: 'E_CUTOFF_PASSED',
    CUTOFF_NOT_REACHED: 'E_CUTOFF_NOT_REACHED',
    ALREADY_REGISTERED: 'E_ALREADY_REGISTERED',
    SEED_MISMATCH: 'E_SEED_MISMATCH',
    ALREADY_DRAWN: 'E_ALREADY_DRAWN',
    NOT_DRAWN: 'E_NOT_DRAWN',
    RESULT_MISMATCH: 'E_RESULT_MISMATCH',
    NOT_NOTARIZED: 'E_NOT_NOTARIZED',
} as const satisfies Record<string, ErrorCode>;

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
    if (action === 'draw' && event.status !== 'OPEN' && event.status !== 'CLOSED') {
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
