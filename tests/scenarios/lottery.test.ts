import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ProposalOptions, Transaction } from '@zhelian/api';
import { computeDraw, resultHash, verifyMerkleProof } from 'zhelian/lottery/draw';
import { enrollParticipant } from '../support/participants';
import { openScenarioNetwork, type ScenarioNetwork } from '../support/scenario';

/**
 * 区块链公证摇号 on the embedded ledger: each invariant is attacked and must be refused with
 * the ledger unchanged, and the draw is recomputed off-chain from the public record.
 *
 * Registration closes at a whole minute of transaction time and closing needs the cutoff
 * passed, so the main event's cutoff is a minute or two ahead and the suite waits for it once.
 * Clients whose clocks run up to 14 minutes off (inside the peers' 15-minute time window) sign
 * some proposals: they are how a test reaches a reveal deadline without waiting for it, and how
 * it tries to cheat the time rules.
 */

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const json = (bytes: Uint8Array) => JSON.parse(Buffer.from(bytes).toString('utf8'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const SPONSOR = 'MemberMSP:tmall';
const NOTARY = 'RegulatorMSP:notary';
const NOTARY_PARTY = { mspId: 'RegulatorMSP', unit: '杭州互联网公证处' };
const MINUTE = 60_000;
const MAJORITY = ['RegulatorMSP', 'MemberMSP', 'PlatformMSP'];
const CONTACT_ENDORSERS = ['RegulatorMSP', 'MemberMSP'];
const EVENT_ID = 'tmall-double11';
const NOTARY_SEED = sha256('notary secret').slice(0, 48);
const SPONSOR_SEED = sha256('sponsor secret').slice(0, 48);
const PRIZES = [
    { name: '一等奖 iPhone', count: 1 },
    { name: '二等奖 天猫精灵', count: 1 },
];

let network: ScenarioNetwork;
let cutoffMinute: number;
/** entrant3's registration, endorsed before the cutoff and held back until after the close. */
let heldRegistration: Transaction;
const lottery = (who: string) => network.contract(who, 'lottery');
const getEvent = async (eventId = EVENT_ID) =>
    json(await lottery('CourtMSP:hangzhou').evaluateTransaction('getEvent', eventId));

const contactOf = (who: string) => ({ contact: JSON.stringify({ name: who, phone: '138-0000-0000' }) });

async function enter(who: string, eventId = EVENT_ID) {
    await lottery(who).submit('submitContact', {
        arguments: [eventId],
        transientData: contactOf(who),
        endorsingOrganizations: CONTACT_ENDORSERS,
    });
    // register reads the contact's hash: name a majority, or a gateway may plan collection members only.
    return json(await lottery(who).submit('register', { arguments: [eventId], endorsingOrganizations: MAJORITY }));
}

/**
 * Endorses a proposal signed by a client whose clock runs `skewMinutes` off the peers' (the
 * signer sets the proposal's timestamp; the peers accept up to 15 minutes either way).
 */
async function endorseUnderClock(who: string, skewMinutes: number, fn: string, options: ProposalOptions) {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + skewMinutes * MINUTE });
    try {
        return lottery(who).newProposal(fn, options).endorse();
    } finally {
        vi.useRealTimers();
    }
}

/** Submits under a skewed clock and waits for the block; the result, or the reason it failed. */
async function submitUnderClock(who: string, skewMinutes: number, fn: string, options: ProposalOptions) {
    const transaction = await endorseUnderClock(who, skewMinutes, fn, options);
    const status = await (await transaction.submit()).getStatus();
    if (!status.successful) {
        throw new Error(`${fn} was not committed: validation code ${status.code}`);
    }
    return json(transaction.getResult());
}

function eventJson(eventId: string, cutoff: number, notary = NOTARY_PARTY, revealMinutes = 60) {
    return JSON.stringify({
        eventId,
        title: '天猫双十一公证抽奖',
        rulesHash: sha256('rules'),
        prizes: PRIZES,
        cutoffMinute: cutoff,
        revealMinutes,
        notary,
    });
}

beforeAll(async () => {
    network = await openScenarioNetwork();
    // At least 10 s to register before the cutoff, at most 70 s to wait for it.
    cutoffMinute = Math.floor((Date.now() + 10_000) / 60_000) + 1;
    await lottery(SPONSOR).submitTransaction('createEvent', eventJson(EVENT_ID, cutoffMinute));
    await lottery(NOTARY).submitTransaction('commitSeed', EVENT_ID, sha256(NOTARY_SEED));
    await lottery(SPONSOR).submitTransaction('commitSeed', EVENT_ID, sha256(SPONSOR_SEED));
    await enter('MemberMSP:entrant1');
    await enter('MemberMSP:entrant2');
    await lottery('MemberMSP:entrant3').submit('submitContact', {
        arguments: [EVENT_ID],
        transientData: contactOf('MemberMSP:entrant3'),
        endorsingOrganizations: CONTACT_ENDORSERS,
    });
    heldRegistration = await lottery('MemberMSP:entrant3')
        .newProposal('register', { arguments: [EVENT_ID], endorsingOrganizations: MAJORITY })
        .endorse();
});

afterAll(async () => {
    await network?.close();
});

describe('lottery', () => {
    it('keeps what has not happened yet as null, on the event and on an entry', async () => {
        expect(await getEvent()).toMatchObject({
            docType: 'lottery.event',
            status: 'OPEN',
            notary: NOTARY_PARTY,
            revealMinutes: 60,
            listRoot: null,
            revealDeadlineMinute: null,
            winners: null,
            notarization: null,
            withheldBy: null,
        });
        const mine = json(await lottery('MemberMSP:entrant1').evaluateTransaction('getMyEntry', EVENT_ID));
        expect(mine).toMatchObject({ entrant: { docType: 'lottery.entrant' }, listRoot: null, proof: null });
    });

    it('refuses a second entry by the same identity', async () => {
        const before = await getEvent();
        await expect(enter('MemberMSP:entrant1')).rejects.toThrow(/E_ALREADY_REGISTERED/);
        await expect(lottery('MemberMSP:entrant1').submitTransaction('register', EVENT_ID)).rejects.toThrow(
            /E_ALREADY_REGISTERED/,
        );
        expect(await getEvent()).toEqual(before);
    });

    it('refuses to close before the cutoff, and lets only its notary close', async () => {
        await expect(lottery(NOTARY).submitTransaction('closeEntries', EVENT_ID)).rejects.toThrow(
            /E_CUTOFF_NOT_REACHED/,
        );
        await expect(lottery(SPONSOR).submitTransaction('closeEntries', EVENT_ID)).rejects.toThrow(/E_FORBIDDEN/);
        await expect(lottery('MemberMSP:entrant1').submitTransaction('closeEntries', EVENT_ID)).rejects.toThrow(
            /E_FORBIDDEN/,
        );
        expect((await getEvent()).status).toBe('OPEN');
    });

    it('closes no earlier than the cutoff by the notary clock, however fast within the time window', async () => {
        const later = 'tmall-later';
        await lottery(SPONSOR).submitTransaction('createEvent', eventJson(later, Math.floor(Date.now() / MINUTE) + 30));
        await lottery(NOTARY).submitTransaction('commitSeed', later, sha256(NOTARY_SEED));
        await lottery(SPONSOR).submitTransaction('commitSeed', later, sha256(SPONSOR_SEED));
        const before = await getEvent(later);
        await expect(submitUnderClock(NOTARY, 14, 'closeEntries', { arguments: [later] })).rejects.toThrow(
            /E_CUTOFF_NOT_REACHED/,
        );
        expect(await getEvent(later)).toEqual(before);
    });

    it('lets only the notary named at creation act as the notary', async () => {
        await expect(
            lottery('MemberMSP:cmcc').submitTransaction(
                'createEvent',
                eventJson('cmcc-member-notary', Math.floor(Date.now() / MINUTE) + 30, {
                    mspId: 'MemberMSP',
                    unit: '天猫',
                }),
            ),
        ).rejects.toThrow(/E_BAD_INPUT: notary\.mspId/);
        const other = 'cmcc-xihu';
        const xihu = { mspId: 'RegulatorMSP', unit: '杭州市西湖公证处' };
        await lottery('MemberMSP:cmcc').submitTransaction(
            'createEvent',
            eventJson(other, Math.floor(Date.now() / MINUTE) + 30, xihu),
        );
        const before = await getEvent(other);
        await expect(lottery(NOTARY).submitTransaction('commitSeed', other, sha256(NOTARY_SEED))).rejects.toThrow(
            /E_FORBIDDEN: only the notary RegulatorMSP\/杭州市西湖公证处 named by event cmcc-xihu acts for it/,
        );
        for (const fn of ['closeEntries', 'draw', 'announceResult']) {
            await expect(lottery(NOTARY).submitTransaction(fn, other)).rejects.toThrow(/E_FORBIDDEN/);
        }
        expect(await getEvent(other)).toEqual(before);

        // And the other notary office, with a certificate of its own, is nobody on 天猫's event.
        const impostor = await enrollParticipant(network, 'RegulatorMSP:xihu', { role: 'notary', unit: xihu.unit });
        try {
            const tmall = await getEvent();
            for (const fn of ['closeEntries', 'draw', 'announceResult']) {
                await expect(impostor.contract('lottery').submitTransaction(fn, EVENT_ID)).rejects.toThrow(
                    /E_FORBIDDEN/,
                );
            }
            await expect(
                impostor.contract('lottery').submitTransaction('revealSeed', EVENT_ID, NOTARY_SEED),
            ).rejects.toThrow(/E_FORBIDDEN/);
            expect(await getEvent()).toEqual(tmall);
        } finally {
            impostor.close();
        }
    });

    it('refuses an entry after the cutoff', async () => {
        const closedNow = 'cmcc-late';
        await lottery('MemberMSP:cmcc').submitTransaction(
            'createEvent',
            eventJson(closedNow, Math.floor(Date.now() / 60_000)),
        );
        await expect(lottery('MemberMSP:entrant3').submitTransaction('register', closedNow)).rejects.toThrow(
            /E_CUTOFF_PASSED/,
        );

        await sleep(Math.max(0, cutoffMinute * 60_000 - Date.now()) + 1_000);
        const before = await getEvent();
        await expect(lottery('MemberMSP:entrant3').submitTransaction('register', EVENT_ID)).rejects.toThrow(
            /E_CUTOFF_PASSED/,
        );
        await expect(enter('MemberMSP:entrant3')).rejects.toThrow(/E_CUTOFF_PASSED/);
        expect(await getEvent()).toEqual(before);
    }, 120_000);

    it('freezes the entrant list at close as count and Merkle root', async () => {
        const closed = json(await lottery(NOTARY).submitTransaction('closeEntries', EVENT_ID));
        expect(closed).toMatchObject({ status: 'CLOSED', entrantCount: 2 });
        expect(closed.revealDeadlineMinute).toBe(closed.closedAtMinute + 60);
        const mine = json(await lottery('MemberMSP:entrant1').evaluateTransaction('getMyEntry', EVENT_ID));
        expect(mine.listRoot).toBe(closed.listRoot);
        expect(verifyMerkleProof({ leaf: mine.entrant.entrantId, proof: mine.proof, root: closed.listRoot })).toBe(
            true,
        );
    });

    it('refuses every registration after the close, whatever its timestamp says', async () => {
        const before = await getEvent();
        // A clock 14 minutes slow signs a time before the cutoff: the close still ends registration.
        await expect(
            submitUnderClock('MemberMSP:entrant3', -14, 'register', {
                arguments: [EVENT_ID],
                endorsingOrganizations: MAJORITY,
            }),
        ).rejects.toThrow(/E_ENTRIES_CLOSED/);
        await expect(
            submitUnderClock('MemberMSP:entrant3', -14, 'submitContact', {
                arguments: [EVENT_ID],
                transientData: contactOf('MemberMSP:entrant3'),
                endorsingOrganizations: CONTACT_ENDORSERS,
            }),
        ).rejects.toThrow(/E_ENTRIES_CLOSED/);
        // Endorsed before the cutoff, ordered after the close: it read the OPEN event, and does not commit.
        expect((await (await heldRegistration.submit()).getStatus()).successful).toBe(false);
        expect(await getEvent()).toEqual(before);
        await expect(lottery('MemberMSP:entrant3').evaluateTransaction('getMyEntry', EVENT_ID)).rejects.toThrow(
            /E_NOT_FOUND/,
        );
    });

    it('takes the sponsor seed first, then the notary seed, each matching its commitment', async () => {
        const before = await getEvent();
        await expect(lottery(NOTARY).submitTransaction('revealSeed', EVENT_ID, NOTARY_SEED)).rejects.toThrow(
            /E_REVEAL_ORDER/,
        );
        await expect(lottery(SPONSOR).submitTransaction('revealSeed', EVENT_ID, NOTARY_SEED)).rejects.toThrow(
            /E_SEED_MISMATCH/,
        );
        expect(await getEvent()).toEqual(before);
        await lottery(SPONSOR).submitTransaction('revealSeed', EVENT_ID, SPONSOR_SEED);
        const sponsorRevealed = await getEvent();
        await expect(lottery(NOTARY).submitTransaction('revealSeed', EVENT_ID, SPONSOR_SEED)).rejects.toThrow(
            /E_SEED_MISMATCH/,
        );
        expect(await getEvent()).toEqual(sponsorRevealed);
        await lottery(NOTARY).submitTransaction('revealSeed', EVENT_ID, NOTARY_SEED);
        await expect(
            submitUnderClock('CourtMSP:hangzhou', 14, 'voidWithheldDraw', { arguments: [EVENT_ID] }),
        ).rejects.toThrow(/E_BAD_STATE: event tmall-double11 has both seeds revealed/);
    });

    it('draws once, by its notary, from entrants only, reproducibly from the public record', async () => {
        await expect(lottery(SPONSOR).submitTransaction('draw', EVENT_ID)).rejects.toThrow(/E_FORBIDDEN/);
        const drawn = json(await lottery(NOTARY).submitTransaction('draw', EVENT_ID));
        expect(drawn.status).toBe('DRAWN');
        await expect(lottery(NOTARY).submitTransaction('draw', EVENT_ID)).rejects.toThrow(/E_ALREADY_DRAWN/);
        expect(await getEvent()).toEqual(drawn);

        const record = json(await lottery('PlatformMSP:alipay').evaluateTransaction('getDrawRecord', EVENT_ID));
        const winners = computeDraw(record);
        expect(winners).toEqual(drawn.winners);
        expect(new Set(winners.map((w) => w.entrantId)).size).toBe(winners.length);
        for (const winner of winners) {
            expect(record.entrants).toContain(winner.entrantId);
        }
        expect(resultHash({ eventId: EVENT_ID, listRoot: record.listRoot, winners })).toBe(record.resultHash);
    });

    it('refuses to announce before the notary notarizes the result, and lets only the notary announce', async () => {
        const before = await getEvent();
        await expect(lottery(NOTARY).submitTransaction('announceResult', EVENT_ID)).rejects.toThrow(/E_NOT_NOTARIZED/);
        await expect(lottery(SPONSOR).submitTransaction('announceResult', EVENT_ID)).rejects.toThrow(/E_FORBIDDEN/);
        await expect(lottery(SPONSOR).submitTransaction('notarizeResult', EVENT_ID, before.resultHash)).rejects.toThrow(
            /E_FORBIDDEN/,
        );
        await expect(
            lottery(NOTARY).submitTransaction('notarizeResult', EVENT_ID, sha256('another result')),
        ).rejects.toThrow(/E_RESULT_MISMATCH/);
        expect(await getEvent()).toEqual(before);

        const notarized = json(await lottery(NOTARY).submitTransaction('notarizeResult', EVENT_ID, before.resultHash));
        expect(notarized.notarization).toMatchObject({
            resultHash: before.resultHash,
            notary: { mspId: 'RegulatorMSP', unit: '杭州互联网公证处' },
        });
        await expect(lottery(SPONSOR).submitTransaction('announceResult', EVENT_ID)).rejects.toThrow(/E_FORBIDDEN/);
        expect(json(await lottery(NOTARY).submitTransaction('announceResult', EVENT_ID)).status).toBe('ANNOUNCED');
    });

    it('voids an event whose seed is withheld, naming who, once the deadline and the time window are past', async () => {
        // Everything here is signed 10-14 minutes in the past, so a deadline one minute after the
        // close is already behind the peers' clock; the void still needs tx time ≥ deadline + 15.
        const start = Math.floor((Date.now() - 14 * MINUTE) / MINUTE);
        const prepare = async (eventId: string) => {
            const create = { arguments: [eventJson(eventId, start + 2, NOTARY_PARTY, 1)] };
            await submitUnderClock(SPONSOR, -14, 'createEvent', create);
            await submitUnderClock(NOTARY, -14, 'commitSeed', { arguments: [eventId, sha256(NOTARY_SEED)] });
            await submitUnderClock(SPONSOR, -14, 'commitSeed', { arguments: [eventId, sha256(SPONSOR_SEED)] });
            await submitUnderClock('MemberMSP:entrant1', -14, 'submitContact', {
                arguments: [eventId],
                transientData: contactOf('MemberMSP:entrant1'),
                endorsingOrganizations: CONTACT_ENDORSERS,
            });
            await submitUnderClock('MemberMSP:entrant1', -14, 'register', {
                arguments: [eventId],
                endorsingOrganizations: MAJORITY,
            });
            return submitUnderClock(NOTARY, -10, 'closeEntries', { arguments: [eventId] });
        };
        const [sponsorWithholds, notaryWithholds] = ['tmall-sponsor-withholds', 'tmall-notary-withholds'];
        const closed = await prepare(sponsorWithholds);
        expect(closed).toMatchObject({ status: 'CLOSED', entrantCount: 1 });
        await prepare(notaryWithholds);
        await lottery(SPONSOR).submitTransaction('revealSeed', notaryWithholds, SPONSOR_SEED);

        for (const eventId of [sponsorWithholds, notaryWithholds]) {
            const before = await getEvent(eventId);
            await expect(lottery(NOTARY).submitTransaction('draw', eventId)).rejects.toThrow(/E_BAD_STATE/);
            // Past the deadline by the peers' clock, but not by deadline + window: a fast voider cannot cut a reveal short.
            await expect(lottery('CourtMSP:hangzhou').submitTransaction('voidWithheldDraw', eventId)).rejects.toThrow(
                /E_REVEAL_OPEN/,
            );
            await expect(
                submitUnderClock('CourtMSP:hangzhou', 3, 'voidWithheldDraw', { arguments: [eventId] }),
            ).rejects.toThrow(/E_REVEAL_OPEN/);
            expect(await getEvent(eventId)).toEqual(before);
        }
        await expect(lottery(NOTARY).submitTransaction('revealSeed', sponsorWithholds, NOTARY_SEED)).rejects.toThrow(
            /E_REVEAL_ORDER/,
        );

        // Anyone may record the outcome, and it is the same whoever does.
        const voided = await submitUnderClock('MemberMSP:entrant2', 14, 'voidWithheldDraw', {
            arguments: [sponsorWithholds],
        });
        expect(voided).toMatchObject({ status: 'VOID', withheldBy: 'sponsor', voidedBy: { mspId: 'MemberMSP' } });
        const notaryVoided = await submitUnderClock('CourtMSP:hangzhou', 14, 'voidWithheldDraw', {
            arguments: [notaryWithholds],
        });
        expect(notaryVoided).toMatchObject({ status: 'VOID', withheldBy: 'notary', sponsorSeed: SPONSOR_SEED });

        await expect(lottery(SPONSOR).submitTransaction('revealSeed', sponsorWithholds, SPONSOR_SEED)).rejects.toThrow(
            /E_BAD_STATE/,
        );
        await expect(lottery(NOTARY).submitTransaction('revealSeed', notaryWithholds, NOTARY_SEED)).rejects.toThrow(
            /E_BAD_STATE/,
        );
        await expect(lottery(NOTARY).submitTransaction('draw', notaryWithholds)).rejects.toThrow(/E_BAD_STATE/);
        await expect(
            submitUnderClock('CourtMSP:hangzhou', 14, 'voidWithheldDraw', { arguments: [sponsorWithholds] }),
        ).rejects.toThrow(/E_BAD_STATE/);
        expect(await getEvent(sponsorWithholds)).toEqual(voided);
        expect(await getEvent(notaryWithholds)).toEqual(notaryVoided);
    });
});
