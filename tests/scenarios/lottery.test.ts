import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDraw, resultHash, verifyMerkleProof } from 'zhelian/lottery/draw';
import { openScenarioNetwork, type ScenarioNetwork } from '../support/scenario';

/**
 * 区块链公证摇号 on the embedded ledger: each invariant is attacked and must be refused with
 * the ledger unchanged, and the draw is recomputed off-chain from the public record.
 *
 * Registration closes at a whole minute of transaction time and closing needs the cutoff
 * passed, so the main event's cutoff is a minute or two ahead and the suite waits for it once.
 */

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const json = (bytes: Uint8Array) => JSON.parse(Buffer.from(bytes).toString('utf8'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const SPONSOR = 'MemberMSP:tmall';
const NOTARY = 'RegulatorMSP:notary';
const EVENT_ID = 'tmall-double11';
const NOTARY_SEED = sha256('notary secret').slice(0, 48);
const SPONSOR_SEED = sha256('sponsor secret').slice(0, 48);
const PRIZES = [
    { name: '一等奖 iPhone', count: 1 },
    { name: '二等奖 天猫精灵', count: 1 },
];

let network: ScenarioNetwork;
let cutoffMinute: number;
const lottery = (who: string) => network.contract(who, 'lottery');
const getEvent = async (eventId = EVENT_ID) =>
    json(await lottery('CourtMSP:hangzhou').evaluateTransaction('getEvent', eventId));

async function enter(who: string, eventId = EVENT_ID) {
    await lottery(who).submit('submitContact', {
        arguments: [eventId],
        transientData: { contact: JSON.stringify({ name: who, phone: '138-0000-0000' }) },
        endorsingOrganizations: ['RegulatorMSP', 'MemberMSP'],
    });
    // register reads the contact's hash: name a majority, or a gateway may plan collection members only.
    return json(
        await lottery(who).submit('register', {
            arguments: [eventId],
            endorsingOrganizations: ['RegulatorMSP', 'MemberMSP', 'PlatformMSP'],
        }),
    );
}

function eventJson(eventId: string, cutoff: number) {
    return JSON.stringify({
        eventId,
        title: '天猫双十一公证抽奖',
        rulesHash: sha256('rules'),
        prizes: PRIZES,
        cutoffMinute: cutoff,
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
});

afterAll(async () => {
    await network?.close();
});

describe('lottery', () => {
    it('keeps what has not happened yet as null, on the event and on an entry', async () => {
        expect(await getEvent()).toMatchObject({
            docType: 'lottery.event',
            status: 'OPEN',
            listRoot: null,
            winners: null,
            notarization: null,
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

    it('refuses to close before the cutoff, and lets only the sponsor or notary close', async () => {
        await expect(lottery(SPONSOR).submitTransaction('closeEntries', EVENT_ID)).rejects.toThrow(
            /E_CUTOFF_NOT_REACHED/,
        );
        await expect(lottery('MemberMSP:entrant1').submitTransaction('closeEntries', EVENT_ID)).rejects.toThrow(
            /E_FORBIDDEN/,
        );
        expect((await getEvent()).status).toBe('OPEN');
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
        const closed = json(await lottery(SPONSOR).submitTransaction('closeEntries', EVENT_ID));
        expect(closed).toMatchObject({ status: 'CLOSED', entrantCount: 2 });
        const mine = json(await lottery('MemberMSP:entrant1').evaluateTransaction('getMyEntry', EVENT_ID));
        expect(mine.listRoot).toBe(closed.listRoot);
        expect(verifyMerkleProof({ leaf: mine.entrant.entrantId, proof: mine.proof, root: closed.listRoot })).toBe(
            true,
        );
    });

    it('refuses a revealed seed that does not match its commitment', async () => {
        const before = await getEvent();
        await expect(lottery(NOTARY).submitTransaction('revealSeed', EVENT_ID, SPONSOR_SEED)).rejects.toThrow(
            /E_SEED_MISMATCH/,
        );
        await expect(lottery(SPONSOR).submitTransaction('revealSeed', EVENT_ID, NOTARY_SEED)).rejects.toThrow(
            /E_SEED_MISMATCH/,
        );
        expect(await getEvent()).toEqual(before);
        await lottery(NOTARY).submitTransaction('revealSeed', EVENT_ID, NOTARY_SEED);
        await lottery(SPONSOR).submitTransaction('revealSeed', EVENT_ID, SPONSOR_SEED);
    });

    it('draws once, from entrants only, reproducibly from the public record', async () => {
        const drawn = json(await lottery(NOTARY).submitTransaction('draw', EVENT_ID));
        expect(drawn.status).toBe('DRAWN');
        await expect(lottery(SPONSOR).submitTransaction('draw', EVENT_ID)).rejects.toThrow(/E_ALREADY_DRAWN/);
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

    it('refuses to announce before the notary notarizes the result', async () => {
        const before = await getEvent();
        await expect(lottery(SPONSOR).submitTransaction('announceResult', EVENT_ID)).rejects.toThrow(/E_NOT_NOTARIZED/);
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
        expect(json(await lottery(SPONSOR).submitTransaction('announceResult', EVENT_ID)).status).toBe('ANNOUNCED');
    });
});
