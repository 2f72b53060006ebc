import { Context, Info, Param, Returns, Transaction } from 'fabric-contract-api';
import { ZhelianContract } from '../lib/contract';
import {
    actorOf,
    alreadyExists,
    badInput,
    badState,
    callerOf,
    canonicalJson,
    COMMON_CODES,
    IDENTIFIER_RULE,
    matches,
    parseArgument,
    parseJson,
    privateDataHash,
    putPrivateRecord,
    putRecord,
    readTransientJson,
    recordExists,
    refuse,
    requireRecord,
    requireRole,
    sha256HexSchema,
    txMinute,
} from '../lib';
import { computeDraw, merkleProof, merkleRoot, resultHash, seedCommitment } from './draw';
// Loaded for its @Object decorators: they describe the records in the contract metadata.
import './model';
import type {
    LotteryContact,
    LotteryContactHash,
    LotteryDrawRecord,
    LotteryEntrant,
    LotteryEntryProof,
    LotteryEvent,
} from './model';
import {
    CONTACT,
    CONTACT_COLLECTION,
    ENTRANT,
    entrantIdsOf,
    EVENT,
    openedEvent,
    requireEvent,
    requireOpenForEntriesBy,
} from './records';
import { ENTRANT_ROLE, NOTARY, requireNotary, requireSponsor, SPONSOR } from './roles';
import {
    ContactInput,
    entrantIdOf,
    EventInput,
    LOTTERY_CODES,
    requireAfterCutoff,
    requireRevealTurn,
    requireStatus,
    requireVoidable,
    revealDeadline,
    seedText,
} from './rules';

const EVENT_ID_DOC = `The event id: ${IDENTIFIER_RULE}, e.g. tmall-2019-double11.`;

/**
 * 区块链公证摇号 — notarized draws.
 *
 * A sponsor (天猫, 中国移动) creates an event naming its notary (杭州互联网公证处) and fixing the
 * rules: cutoff, prizes, and how long after the close the seeds are due. While it is OPEN the
 * notary and the sponsor each commit SHA-256 of a secret seed, and entrants register before the
 * cutoff. From the cutoff the notary closes it, freezing the entrant list as count + Merkle root;
 * the sponsor reveals its seed, then the notary; the notary draws once from
 * H(notarySeed‖sponsorSeed‖listRoot‖eventId) (see `draw.ts`, which anyone can rerun), notarizes
 * the result hash and announces it. No party alone knows the outcome before the list is frozen,
 * and nothing depends on txId or time.
 *
 * Withholding: the sponsor reveals without knowing the notary's seed, so withholding its own
 * gains it no choice of winners. If a seed is still missing after the reveal deadline, anyone may
 * void the event (`voidWithheldDraw`): VOID, recording who withheld. No fallback draws with one
 * seed, because one seed alone is a draw its owner could have computed, and chosen, in advance.
 *
 * Time: tx time is the signer's clock, bounded only by the peers' time window
 * (`PROPOSAL_TIME_WINDOW_MINUTES`). Registration needs tx time before the cutoff and an OPEN
 * event; the notary's close ends it for good, whatever later timestamps say, so a slow clock can
 * slip an entry in after the cutoff only until the notary closes. The void waits out the window
 * after the deadline. Rules and reasons: `docs/contracts.md`.
 *
 * Endorsement: `submitContact` writes only to collection `lotteryEntrantContacts`; endorse it on
 * `['RegulatorMSP', 'MemberMSP']` (its members; the collection's endorsementPolicy is AND of
 * both). Everything else uses the chaincode's majority policy; `register` reads the contact's
 * hash, which every peer holds, so contact details never reach a non-member peer, and any
 * majority may endorse it (a hash-only read does not restrict endorsers to the collection).
 */
@Info({
    title: 'lottery',
    description: '区块链公证摇号: committed seeds, frozen entrant list, reproducible notarized draw',
})
export class LotteryContract extends ZhelianContract {
    constructor() {
        super('lottery');
    }

    /** A sponsor (天猫, 中国移动) creates an event, OPEN for entries until its cutoff. */
    @Transaction()
    @Param(
        'eventJson',
        'string',
        'The event as JSON {eventId, title, rulesHash, prizes, cutoffMinute, revealMinutes, notary}: rulesHash is the SHA-256 hex of the published rules, prizes [{name, count}] in draw order, cutoffMinute the minute since the Unix epoch at which registration closes, revealMinutes (1-10080) how long after the close both seeds are due, notary {mspId, unit} the notary body that supervises the draw.',
    )
    @Returns('LotteryEvent')
    async createEvent(ctx: Context, eventJson: string): Promise<string> {
        const sponsor = requireRole(ctx, SPONSOR);
        const input = parseJson('eventJson', eventJson, EventInput);
        const now = txMinute(ctx);
        if (input.cutoffMinute < now) {
            throw badInput(`cutoffMinute ${input.cutoffMinute} is in the past (now ${now})`);
        }
        if (input.notary.mspId !== NOTARY.msp) {
            throw badInput(`notary.mspId: a notary acts for ${NOTARY.msp}`);
        }
        if (await recordExists(ctx, EVENT, [input.eventId])) {
            throw alreadyExists(`event ${input.eventId}`);
        }
        const event = openedEvent(input, actorOf(sponsor), now);
        await putRecord(ctx, EVENT, [event.eventId], event);
        this.emitEvent(ctx, 'LotteryEventCreated', {
            eventId: event.eventId,
            title: event.title,
            sponsor: sponsor.unit,
            notary: event.notary,
            cutoffMinute: event.cutoffMinute,
            revealMinutes: event.revealMinutes,
            prizes: event.prizes,
        });
        return canonicalJson(event);
    }

    /** The event's notary or sponsor commits SHA-256 of its seed, once, while the event is OPEN. */
    @Transaction()
    @Param('eventId', 'string', EVENT_ID_DOC)
    @Param('commitment', 'string', 'SHA-256 hex of the secret seed text the caller will reveal after close.')
    @Returns('LotteryEvent')
    async commitSeed(ctx: Context, eventId: string, commitment: string): Promise<string> {
        const caller = requireRole(ctx, NOTARY, SPONSOR);
        const event = await requireEvent(ctx, eventId);
        requireStatus(event, 'OPEN', 'commit a seed to');
        const hash = parseArgument('commitment', commitment, sha256HexSchema);
        const updated: LotteryEvent = { ...event };
        if (matches(caller, NOTARY)) {
            requireNotary(caller, event);
            if (event.notaryCommitment) {
                throw alreadyExists(`the notary's seed commitment for event ${event.eventId}`);
            }
            updated.notaryCommitment = hash;
        } else {
            requireSponsor(caller, event);
            if (event.sponsorCommitment) {
                throw alreadyExists(`the sponsor's seed commitment for event ${event.eventId}`);
            }
            updated.sponsorCommitment = hash;
        }
        await putRecord(ctx, EVENT, [event.eventId], updated);
        this.emitEvent(ctx, 'SeedCommitted', { eventId: event.eventId, by: caller.unit, commitment: hash });
        return canonicalJson(updated);
    }

    /**
     * An entrant's contact details (transient field `contact`: JSON {name, phone}) go to the
     * private collection; register afterwards. Endorse on RegulatorMSP and MemberMSP only.
     */
    @Transaction()
    @Param('eventId', 'string', EVENT_ID_DOC)
    @Returns('LotteryContactHash')
    async submitContact(ctx: Context, eventId: string): Promise<string> {
        const entrant = requireRole(ctx, ENTRANT_ROLE);
        const event = await requireOpenForEntriesBy(ctx, eventId, entrant);
        const contact: LotteryContact = { docType: CONTACT, ...readTransientJson(ctx, 'contact', ContactInput) };
        const entrantId = entrantIdOf(entrant);
        const contactHash = await putPrivateRecord(
            ctx,
            CONTACT_COLLECTION,
            CONTACT,
            [event.eventId, entrantId],
            contact,
        );
        const result: LotteryContactHash = { eventId: event.eventId, entrantId, contactHash };
        this.emitEvent(ctx, 'ContactRecorded', result);
        return canonicalJson(result);
    }

    /** One entry per certificate, before the cutoff and the notary's close, after `submitContact`. */
    @Transaction()
    @Param('eventId', 'string', EVENT_ID_DOC)
    @Returns('LotteryEntrant')
    async register(ctx: Context, eventId: string): Promise<string> {
        const entrant = requireRole(ctx, ENTRANT_ROLE);
        const event = await requireOpenForEntriesBy(ctx, eventId, entrant);
        const entrantId = entrantIdOf(entrant);
        const contactHash = await privateDataHash(ctx, CONTACT_COLLECTION, CONTACT, [event.eventId, entrantId]);
        if (contactHash === '') {
            throw refuse(
                COMMON_CODES.PRIVATE_DATA,
                `no contact details for this entrant in event ${event.eventId}; submit submitContact first`,
            );
        }
        const record: LotteryEntrant = {
            docType: ENTRANT,
            eventId: event.eventId,
            entrantId,
            contactHash,
            registeredAtMinute: txMinute(ctx),
        };
        await putRecord(ctx, ENTRANT, [event.eventId, entrantId], record);
        this.emitEvent(ctx, 'EntrantRegistered', { eventId: event.eventId, entrantId });
        return canonicalJson(record);
    }

    /**
     * From the cutoff (by the notary's tx time), the event's notary freezes the list: count +
     * Merkle root. Registration ends here, and the reveal deadline starts.
     */
    @Transaction()
    @Param('eventId', 'string', EVENT_ID_DOC)
    @Returns('LotteryEvent')
    async closeEntries(ctx: Context, eventId: string): Promise<string> {
        const notary = requireRole(ctx, NOTARY);
        const event = await requireEvent(ctx, eventId);
        requireNotary(notary, event);
        requireStatus(event, 'OPEN', 'close');
        const now = txMinute(ctx);
        requireAfterCutoff(event, now);
        if (!event.notaryCommitment || !event.sponsorCommitment) {
            throw badState(
                `event ${event.eventId} cannot close before both the notary and the sponsor committed their seeds`,
            );
        }
        const entrants = await entrantIdsOf(ctx, event.eventId);
        const closed: LotteryEvent = {
            ...event,
            status: 'CLOSED',
            entrantCount: entrants.length,
            listRoot: merkleRoot(entrants),
            closedAtMinute: now,
            revealDeadlineMinute: revealDeadline(now, event.revealMinutes),
        };
        await putRecord(ctx, EVENT, [event.eventId], closed);
        this.emitEvent(ctx, 'EntriesClosed', {
            eventId: event.eventId,
            entrantCount: closed.entrantCount,
            listRoot: closed.listRoot,
            revealDeadlineMinute: closed.revealDeadlineMinute,
        });
        return canonicalJson(closed);
    }

    /**
     * After close, the sponsor reveals its seed, then the notary; each must hash to its
     * commitment. A reveal after the deadline still counts until someone voids the event.
     */
    @Transaction()
    @Param('eventId', 'string', EVENT_ID_DOC)
    @Param('seed', 'string', 'The seed text committed earlier: 32-128 lowercase hex characters.')
    @Returns('LotteryEvent')
    async revealSeed(ctx: Context, eventId: string, seed: string): Promise<string> {
        const caller = requireRole(ctx, NOTARY, SPONSOR);
        const event = await requireEvent(ctx, eventId);
        const asNotary = matches(caller, NOTARY);
        if (asNotary) {
            requireNotary(caller, event);
        } else {
            requireSponsor(caller, event);
        }
        requireStatus(event, 'CLOSED', 'reveal a seed for');
        const text = parseArgument('seed', seed, seedText);
        requireRevealTurn(event, asNotary ? 'notary' : 'sponsor');
        const commitment = asNotary ? event.notaryCommitment : event.sponsorCommitment;
        if (seedCommitment(text) !== commitment) {
            throw refuse(
                LOTTERY_CODES.SEED_MISMATCH,
                `the seed does not match the ${asNotary ? 'notary' : 'sponsor'}'s commitment for event ${event.eventId}`,
            );
        }
        const revealed: LotteryEvent = asNotary ? { ...event, notarySeed: text } : { ...event, sponsorSeed: text };
        await putRecord(ctx, EVENT, [event.eventId], revealed);
        this.emitEvent(ctx, 'SeedRevealed', { eventId: event.eventId, by: caller.unit, seed: text });
        return canonicalJson(revealed);
    }

    /** The event's notary draws, once, after both seeds are revealed: the winners follow from the public record alone. */
    @Transaction()
    @Param('eventId', 'string', EVENT_ID_DOC)
    @Returns('LotteryEvent')
    async draw(ctx: Context, eventId: string): Promise<string> {
        const notary = requireRole(ctx, NOTARY);
        const event = await requireEvent(ctx, eventId);
        requireNotary(notary, event);
        requireStatus(event, 'CLOSED', 'draw');
        if (!event.notarySeed || !event.sponsorSeed || !event.listRoot) {
            throw badState(`event ${event.eventId} cannot be drawn before both seeds are revealed`);
        }
        const entrants = await entrantIdsOf(ctx, event.eventId);
        if (merkleRoot(entrants) !== event.listRoot) {
            throw badState(`the entrants of event ${event.eventId} no longer match the list frozen at close`);
        }
        const winners = computeDraw({
            notarySeed: event.notarySeed,
            sponsorSeed: event.sponsorSeed,
            listRoot: event.listRoot,
            eventId: event.eventId,
            entrants,
            prizes: event.prizes,
        });
        const drawn: LotteryEvent = {
            ...event,
            status: 'DRAWN',
            winners,
            resultHash: resultHash({ eventId: event.eventId, listRoot: event.listRoot, winners }),
            drawnAtMinute: txMinute(ctx),
        };
        await putRecord(ctx, EVENT, [event.eventId], drawn);
        this.emitEvent(ctx, 'DrawCompleted', { eventId: event.eventId, winners, resultHash: drawn.resultHash });
        return canonicalJson(drawn);
    }

    /** The notary attests the result: it recomputed the draw and signs this result hash. */
    @Transaction()
    @Param('eventId', 'string', EVENT_ID_DOC)
    @Param(
        'attestedResultHash',
        'string',
        'The result hash (SHA-256 hex) the notary computed itself from the draw record.',
    )
    @Returns('LotteryEvent')
    async notarizeResult(ctx: Context, eventId: string, attestedResultHash: string): Promise<string> {
        const notary = requireRole(ctx, NOTARY);
        const event = await requireEvent(ctx, eventId);
        requireNotary(notary, event);
        requireStatus(event, 'DRAWN', 'notarize');
        const attested = parseArgument('attestedResultHash', attestedResultHash, sha256HexSchema);
        if (attested !== event.resultHash) {
            throw refuse(
                LOTTERY_CODES.RESULT_MISMATCH,
                `the attested hash differs from the result hash of event ${event.eventId}`,
            );
        }
        const notarized: LotteryEvent = {
            ...event,
            status: 'NOTARIZED',
            notarization: { notary: actorOf(notary), resultHash: attested, notarizedAtMinute: txMinute(ctx) },
        };
        await putRecord(ctx, EVENT, [event.eventId], notarized);
        this.emitEvent(ctx, 'ResultNotarized', { eventId: event.eventId, notary: notary.unit, resultHash: attested });
        return canonicalJson(notarized);
    }

    /** The event's notary publishes the notarized result; before notarization it is refused. */
    @Transaction()
    @Param('eventId', 'string', EVENT_ID_DOC)
    @Returns('LotteryEvent')
    async announceResult(ctx: Context, eventId: string): Promise<string> {
        const notary = requireRole(ctx, NOTARY);
        const event = await requireEvent(ctx, eventId);
        requireNotary(notary, event);
        requireStatus(event, 'NOTARIZED', 'announce');
        const announced: LotteryEvent = { ...event, status: 'ANNOUNCED', announcedAtMinute: txMinute(ctx) };
        await putRecord(ctx, EVENT, [event.eventId], announced);
        this.emitEvent(ctx, 'ResultAnnounced', {
            eventId: event.eventId,
            winners: event.winners,
            resultHash: event.resultHash,
        });
        return canonicalJson(announced);
    }

    /**
     * Anyone: a CLOSED event whose seed is still missing after its reveal deadline (and the time
     * window) becomes VOID, recording who withheld. It can never be drawn after that.
     */
    @Transaction()
    @Param('eventId', 'string', EVENT_ID_DOC)
    @Returns('LotteryEvent')
    async voidWithheldDraw(ctx: Context, eventId: string): Promise<string> {
        const caller = callerOf(ctx);
        const event = await requireEvent(ctx, eventId);
        requireStatus(event, 'CLOSED', 'void');
        const now = txMinute(ctx);
        const withheldBy = requireVoidable(event, now);
        const voided: LotteryEvent = {
            ...event,
            status: 'VOID',
            withheldBy,
            voidedBy: actorOf(caller),
            voidedAtMinute: now,
        };
        await putRecord(ctx, EVENT, [event.eventId], voided);
        this.emitEvent(ctx, 'LotteryVoided', {
            eventId: event.eventId,
            withheldBy,
            revealDeadlineMinute: event.revealDeadlineMinute,
        });
        return canonicalJson(voided);
    }

    @Transaction(false)
    @Param('eventId', 'string', EVENT_ID_DOC)
    @Returns('LotteryEvent')
    async getEvent(ctx: Context, eventId: string): Promise<string> {
        return canonicalJson(await requireEvent(ctx, eventId));
    }

    /** Anyone: the inputs and outputs of the draw, to recompute it with `computeDraw`. */
    @Transaction(false)
    @Param('eventId', 'string', EVENT_ID_DOC)
    @Returns('LotteryDrawRecord')
    async getDrawRecord(ctx: Context, eventId: string): Promise<string> {
        const event = await requireEvent(ctx, eventId);
        if (!event.winners || !event.notarySeed || !event.sponsorSeed || !event.listRoot || !event.resultHash) {
            throw refuse(LOTTERY_CODES.NOT_DRAWN, `event ${event.eventId} has not been drawn`);
        }
        const record: LotteryDrawRecord = {
            eventId: event.eventId,
            status: event.status,
            notarySeed: event.notarySeed,
            sponsorSeed: event.sponsorSeed,
            listRoot: event.listRoot,
            entrants: await entrantIdsOf(ctx, event.eventId),
            prizes: event.prizes,
            winners: event.winners,
            resultHash: event.resultHash,
            notarization: event.notarization,
        };
        return canonicalJson(record);
    }

    /** The caller's own entry, with its Merkle inclusion proof once the list is frozen. */
    @Transaction(false)
    @Param('eventId', 'string', EVENT_ID_DOC)
    @Returns('LotteryEntryProof')
    async getMyEntry(ctx: Context, eventId: string): Promise<string> {
        const entrant = requireRole(ctx, ENTRANT_ROLE);
        const event = await requireEvent(ctx, eventId);
        const entrantId = entrantIdOf(entrant);
        const record = await requireRecord<LotteryEntrant>(
            ctx,
            ENTRANT,
            [event.eventId, entrantId],
            `this caller's entry in event ${event.eventId}`,
        );
        if (!event.listRoot) {
            return canonicalJson({ entrant: record, listRoot: null, proof: null } satisfies LotteryEntryProof);
        }
        const proof = merkleProof(await entrantIdsOf(ctx, event.eventId), entrantId) ?? [];
        return canonicalJson({ entrant: record, listRoot: event.listRoot, proof } satisfies LotteryEntryProof);
    }
}
