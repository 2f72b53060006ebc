import { createHash } from 'node:crypto';
import { computeDraw, resultHash, type DrawInput } from 'zhelian/lottery/draw';
import type { Contract } from '@zhelian/api';

/**
 * Demo data for 区块链公证摇号: 天猫 runs a draw naming 杭州互联网公证处 as its notary, three
 * entrants register, and the whole flow runs to an announced result: the notary closes, 天猫
 * reveals its seed, then the notary, and the notary draws, notarizes and announces. Run once on a
 * fresh ledger.
 *
 * Registration closes at a whole minute of transaction time and the notary may close only from
 * it, so this seed waits for the next minute boundary: the one wait the rules ask for, at most
 * about 76 seconds (15 s to register, then up to a minute to the boundary, then 1 s). The rest
 * follows at once: the reveal deadline only matters when a seed is withheld.
 * Contact details go to the two-member collection `lotteryEntrantContacts`, endorsed on its
 * members, as the gateway plans from the chaincode interest.
 */

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const EVENT = {
    eventId: 'tmall-2019-double11',
    title: '天猫双十一 公证抽奖',
    rulesHash: sha256('天猫双十一抽奖规则 v1: 每个账号限参与一次, 截止后由杭州互联网公证处监督开奖'),
    prizes: [
        { name: '一等奖 天猫精灵', count: 1 },
        { name: '二等奖 购物津贴 100 元', count: 2 },
    ],
    revealMinutes: 60,
    notary: { mspId: 'RegulatorMSP', unit: '杭州互联网公证处' },
};

/** Fixed demo seeds; a real notary and sponsor draw theirs from a secure random source. */
const NOTARY_SEED = sha256('杭州互联网公证处 demo seed').slice(0, 64);
const SPONSOR_SEED = sha256('天猫 demo seed').slice(0, 64);

const ENTRANTS = [
    { who: 'MemberMSP:entrant1', contact: { name: '赵一', phone: '138-0571-0001' } },
    { who: 'MemberMSP:entrant2', contact: { name: '钱二', phone: '138-0571-0002' } },
    { who: 'MemberMSP:entrant3', contact: { name: '孙三', phone: '138-0571-0003' } },
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function seedLottery(as: (who: string) => (contractName: string) => Contract): Promise<void> {
    const lottery = (who: string) => as(who)('lottery');
    const sponsor = lottery('MemberMSP:tmall');
    const notary = lottery('RegulatorMSP:notary');

    // The next minute boundary, or the one after if fewer than 15 s remain to register.
    const cutoffMinute = Math.floor((Date.now() + 15_000) / 60_000) + 1;
    await sponsor.submitTransaction('createEvent', JSON.stringify({ ...EVENT, cutoffMinute }));
    await notary.submitTransaction('commitSeed', EVENT.eventId, sha256(NOTARY_SEED));
    await sponsor.submitTransaction('commitSeed', EVENT.eventId, sha256(SPONSOR_SEED));

    for (const entrant of ENTRANTS) {
        await lottery(entrant.who).submit('submitContact', {
            arguments: [EVENT.eventId],
            transientData: { contact: JSON.stringify(entrant.contact) },
        });
        await lottery(entrant.who).submit('register', {
            arguments: [EVENT.eventId],
        });
    }

    await sleep(Math.max(0, cutoffMinute * 60_000 - Date.now()) + 1_000);
    await notary.submitTransaction('closeEntries', EVENT.eventId);
    await sponsor.submitTransaction('revealSeed', EVENT.eventId, SPONSOR_SEED);
    await notary.submitTransaction('revealSeed', EVENT.eventId, NOTARY_SEED);
    await notary.submitTransaction('draw', EVENT.eventId);

    // The notary recomputes the draw from the public record before it signs the result.
    const record = JSON.parse(
        Buffer.from(await notary.evaluateTransaction('getDrawRecord', EVENT.eventId)).toString('utf8'),
    ) as DrawInput;
    const winners = computeDraw(record);
    await notary.submitTransaction(
        'notarizeResult',
        EVENT.eventId,
        resultHash({ eventId: record.eventId, listRoot: record.listRoot, winners }),
    );
    await notary.submitTransaction('announceResult', EVENT.eventId);
}
