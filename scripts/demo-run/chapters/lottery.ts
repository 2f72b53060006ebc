import { createHash, randomBytes } from 'node:crypto';
import { computeDraw, type DrawInput, resultHash } from 'zhelian/lottery/draw';
import type { Chapter, RunContext } from '../chapter';
import { t } from '../text';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const NOTARY = { mspId: 'RegulatorMSP', unit: '杭州互联网公证处' };

/** The two halves of the draw: entries open first, the draw after the other applications. */
export interface LotteryChapters {
    entries: Chapter;
    draw: Chapter;
}

/**
 * 区块链公证摇号: 天猫 opens a draw (a new event id each run) whose registration closes at the
 * next whole minute of transaction time, naming 杭州互联网公证处 as notary; both commit seed hashes,
 * two entrants register. The other applications run meanwhile; then an entry after the cutoff is
 * refused, the notary closes the list, both reveal, the notary draws, recomputes, notarizes and
 * announces.
 */
export function lotteryChapters(run: RunContext): LotteryChapters {
    const eventId = `tmall-demo-${run.tag}`;
    // The cutoff is a whole minute of transaction time, set when the event is created: the next
    // one that leaves time for this chapter's eight submissions at the latency seen so far.
    let cutoffMinute = 0;
    const cutoffFromNow = (): number => {
        const margin = Math.max(5_000, 8 * run.commitLatencyMs() + 2_000);
        cutoffMinute ||= Math.floor((run.now() + margin) / 60_000) + 1;
        return cutoffMinute;
    };
    const cutoff = (): string => new Date(cutoffMinute * 60_000).toTimeString().slice(0, 5);
    // A real notary and sponsor draw their seeds from a secure random source, as here.
    const notarySeed = randomBytes(32).toString('hex');
    const sponsorSeed = randomBytes(32).toString('hex');
    let record: DrawInput | undefined;
    const contact = (name: string, phone: string) => () => ({ contact: JSON.stringify({ name, phone }) });

    const entries: Chapter = {
        contract: 'lottery',
        title: t('区块链公证摇号（报名）', 'Notarized draws (entries)'),
        story: t(
            '2019 年天猫、中国移动等的抽奖由杭州互联网公证处在链上监督：规则、种子承诺和报名名单\n先上链，谁都无法在名单冻结前知道结果。报名截止后，抽奖在其它应用之后继续。',
            'In 2019 draws by 天猫, 中国移动 and others were supervised on chain by 杭州互联网公证处: rules,\nseed commitments and entries go on chain first, so nobody knows the outcome before the list is\nfrozen. The draw resumes after the other applications, once registration has closed.',
        ),
        steps: [
            {
                actor: 'MemberMSP:tmall',
                fn: 'createEvent',
                args: () => [
                    JSON.stringify({
                        eventId,
                        title: '天猫双十一 公证抽奖（演示）',
                        rulesHash: sha256('天猫双十一抽奖规则: 每个账号限参与一次, 截止后由杭州互联网公证处监督开奖'),
                        prizes: [
                            { name: '一等奖 天猫精灵', count: 1 },
                            { name: '二等奖 购物津贴 100 元', count: 1 },
                        ],
                        cutoffMinute: cutoffFromNow(),
                        revealMinutes: 60,
                        notary: NOTARY,
                    }),
                ],
                say: () =>
                    t(
                        `天猫创建抽奖 ${eventId}，报名在交易时间 ${cutoff()} 截止，公证处监督`,
                        `天猫 creates draw ${eventId}; entries close at ${cutoff()} transaction time; the notary supervises`,
                    ),
            },
            {
                actor: 'RegulatorMSP:notary',
                fn: 'commitSeed',
                args: () => [eventId, sha256(notarySeed)],
                say: () =>
                    t('公证处提交自己随机种子的哈希（承诺）', 'The notary commits to its random seed (its hash)'),
            },
            {
                actor: 'MemberMSP:tmall',
                fn: 'commitSeed',
                args: () => [eventId, sha256(sponsorSeed)],
                say: () => t('天猫提交自己随机种子的哈希', '天猫 commits to its seed'),
            },
            ...(['entrant1', 'entrant2', 'entrant3'] as const).map((name, index) => ({
                actor: `MemberMSP:${name}`,
                fn: 'submitContact',
                args: () => [eventId],
                transient: contact(['赵一', '钱二', '孙三'][index], `138-0571-000${index + 1}`),
                say: () =>
                    t(
                        `参与者 ${index + 1} 私下留下联系方式（私有数据，只有哈希上链）`,
                        `Entrant ${index + 1} leaves contact details privately (only a hash on the channel)`,
                    ),
            })),
            ...(['entrant1', 'entrant2'] as const).map((name, index) => ({
                actor: `MemberMSP:${name}`,
                fn: 'register',
                args: () => [eventId],
                say: () => t(`参与者 ${index + 1} 在截止前报名`, `Entrant ${index + 1} registers before the cutoff`),
            })),
        ],
    };

    const draw: Chapter = {
        contract: 'lottery',
        title: t('区块链公证摇号（开奖）', 'Notarized draws (the draw)'),
        story: t(
            '报名已截止。迟到的报名被拒绝；公证处冻结名单（人数 + 默克尔根），双方揭示种子，\n公证处开奖、复算、公证并公布结果。任何人都能用同样的数据复算。',
            'Registration has closed. A late entry is refused; the notary freezes the list (count + Merkle\nroot), both reveal their seeds, the notary draws, recomputes, notarizes and announces. Anyone\ncan recompute the draw from the same record.',
        ),
        steps: [
            {
                actor: 'MemberMSP:entrant3',
                fn: 'register',
                args: () => [eventId],
                waitUntil: () => ({
                    at: cutoffMinute * 60_000 + 1_000,
                    for: t(`报名截止（交易时间 ${cutoff()}）`, `the entry cutoff (${cutoff()} transaction time)`),
                }),
                say: () => t('参与者 3 在截止后才来报名', 'Entrant 3 tries to register after the cutoff'),
                refused: {
                    code: 'E_CUTOFF_PASSED',
                    why: t('只接受截止前的报名', 'entries only before the cutoff'),
                },
            },
            {
                actor: 'RegulatorMSP:notary',
                fn: 'closeEntries',
                args: () => [eventId],
                say: () => t('公证处关闭报名，冻结名单', 'The notary closes the entries and freezes the list'),
            },
            {
                actor: 'MemberMSP:tmall',
                fn: 'revealSeed',
                args: () => [eventId, sponsorSeed],
                say: () => t('天猫先揭示种子（与承诺相符）', '天猫 reveals its seed first (it matches its commitment)'),
            },
            {
                actor: 'RegulatorMSP:notary',
                fn: 'revealSeed',
                args: () => [eventId, notarySeed],
                say: () => t('公证处揭示种子', 'The notary reveals its seed'),
            },
            {
                actor: 'RegulatorMSP:notary',
                fn: 'draw',
                args: () => [eventId],
                say: () =>
                    t(
                        '公证处开奖：结果由 H(公证种子‖天猫种子‖名单根‖活动ID) 决定，只能开一次',
                        'The notary draws: H(notary seed ‖ sponsor seed ‖ list root ‖ event id) decides, once',
                    ),
            },
            {
                actor: 'RegulatorMSP:notary',
                fn: 'getDrawRecord',
                evaluate: true,
                args: () => [eventId],
                say: () =>
                    t('公证处读取开奖记录，在链下复算', 'The notary reads the draw record and recomputes it off chain'),
                keep: (answer) => {
                    record = answer as unknown as DrawInput;
                },
                show: () =>
                    t(
                        `复算中奖者：${computeDraw(record!)
                            .map((winner) => `${winner.prize} ${winner.entrantId.slice(0, 12)}…`)
                            .join('，')}`,
                        `recomputed winners: ${computeDraw(record!)
                            .map((winner) => `${winner.prize} ${winner.entrantId.slice(0, 12)}…`)
                            .join(', ')}`,
                    ),
            },
            {
                actor: 'RegulatorMSP:notary',
                fn: 'notarizeResult',
                args: () => [
                    eventId,
                    resultHash({ eventId: record!.eventId, listRoot: record!.listRoot, winners: computeDraw(record!) }),
                ],
                say: () => t('公证处对复算一致的结果签名公证', 'The notary signs the result it recomputed'),
            },
            {
                actor: 'RegulatorMSP:notary',
                fn: 'announceResult',
                args: () => [eventId],
                say: () => t('公证处公布结果', 'The notary announces the result'),
            },
        ],
    };
    return { entries, draw };
}
