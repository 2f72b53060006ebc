import type { Context } from 'fabric-contract-api';
import {
    type Actor,
    type Caller,
    getRecord,
    identifier,
    listRecords,
    parseArgument,
    refuse,
    requireRecord,
    txMinute,
    type z,
} from '../lib';
import type { LotteryEntrant, LotteryEvent } from './model';
import { entrantIdOf, EventInput, LOTTERY_CODES, requireBeforeCutoff, requireOpenForEntries } from './rules';

/** The draw records' doc types, which are also their keys' object types. */
export const EVENT = 'lottery.event';
export const ENTRANT = 'lottery.entrant';
export const CONTACT = 'lottery.contact';
/** The private collection of entrants' contact details (members: RegulatorMSP and MemberMSP). */
export const CONTACT_COLLECTION = 'lotteryEntrantContacts';

/** A new event as its sponsor creates it: OPEN, and nothing of the draw has happened yet. */
export function openedEvent(input: z.output<typeof EventInput>, sponsor: Actor, createdAtMinute: number): LotteryEvent {
    return {
        docType: EVENT,
        ...input,
        sponsor,
        status: 'OPEN',
        createdAtMinute,
        notaryCommitment: null,
        sponsorCommitment: null,
        notarySeed: null,
        sponsorSeed: null,
        entrantCount: null,
        listRoot: null,
        closedAtMinute: null,
        revealDeadlineMinute: null,
        winners: null,
        resultHash: null,
        drawnAtMinute: null,
        notarization: null,
        announcedAtMinute: null,
        withheldBy: null,
        voidedBy: null,
        voidedAtMinute: null,
    };
}

export async function requireEvent(ctx: Context, eventId: string): Promise<LotteryEvent> {
    const id = parseArgument('eventId', eventId, identifier);
    return requireRecord<LotteryEvent>(ctx, EVENT, [id], `event ${id}`);
}

/** The event, while the entrant may still enter it and has not yet. */
export async function requireOpenForEntriesBy(ctx: Context, eventId: string, entrant: Caller): Promise<LotteryEvent> {
    const event = await requireEvent(ctx, eventId);
    requireOpenForEntries(event);
    requireBeforeCutoff(event, txMinute(ctx));
    if (await getRecord<LotteryEntrant>(ctx, ENTRANT, [event.eventId, entrantIdOf(entrant)])) {
        throw refuse(
            LOTTERY_CODES.ALREADY_REGISTERED,
            `this identity is already registered for event ${event.eventId}`,
        );
    }
    return event;
}

/** The event's entrant ids, sorted: the list the Merkle root and the draw are computed over. */
export async function entrantIdsOf(ctx: Context, eventId: string): Promise<string[]> {
    const entrants = await listRecords<LotteryEntrant>(ctx, ENTRANT, [eventId]);
    return entrants.map((entrant) => entrant.entrantId).sort();
}
