import { createHash } from 'node:crypto';
import type { Chapter, RunContext } from '../chapter';
import { t, type Text } from '../text';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The file texts stand in for files: only their SHA-256 ever reaches the ledger. */
const SCREENSHOT = '订单 20190618-7731 商品: 蓝牙耳机 实付 399.00 元';
const DOCTORED = '订单 20190618-7731 商品: 蓝牙耳机 实付 39.90 元';
const PAYMENT = '交易号 2019061822001 金额 399.00 元 状态 成功';

/**
 * 司法链存证: a buyer and 支付宝 deposit file hashes (new ids each run); 杭州互联网法院 opens a case,
 * names the buyer as a party and moves it to the evidence stage; both deposits are linked; the
 * original file matches, a doctored copy does not, and the court records that; the doctored file
 * cannot replace the deposit (write-once).
 */
export function evidenceChapter(run: RunContext): Chapter {
    const caseId = `(2019)浙0192民初${run.tag}号`;
    const screenshot = `EV-${run.tag}-01`;
    const payment = `EV-${run.tag}-02`;
    let buyerId = '';
    const deposit = (actor: string, id: string, content: string, title: string, type: string, who: Text) => ({
        actor,
        fn: 'depositEvidence',
        args: () => [id, sha256(content), title, type, String(Buffer.byteLength(content))],
        say: () =>
            t(
                `${who['zh-CN']}存证「${title}」：只上链文件的 SHA-256`,
                `${who.en} deposits "${title}": only its SHA-256 reaches the chain`,
            ),
    });
    const advance = (stage: string, zh: string) => ({
        actor: 'CourtMSP:hangzhou',
        fn: 'advanceCase',
        args: () => [caseId, stage],
        say: () => t(`法院把案件推进到「${zh}」`, `The court moves the case to ${stage} (${zh})`),
    });
    return {
        contract: 'evidence',
        title: t('司法链存证', 'Judicial evidence chain'),
        story: t(
            '2018 年杭州互联网法院上线司法区块链，2019 年长三角法院联合建链：当事人和平台把证据\n哈希存证上链，法院比对文件哈希判断是否被篡改，案件阶段只能前进。',
            'In 2018 the Hangzhou Internet Court opened its judicial blockchain, joined by Yangtze-delta\ncourts in 2019: parties and platforms deposit evidence hashes, the court re-hashes a file to see\nwhether it changed, and a case only moves forward.',
        ),
        steps: [
            deposit('MemberMSP:litigant', screenshot, SCREENSHOT, '网购订单截图', 'image/png', t('买家', 'The buyer')),
            deposit('PlatformMSP:alipay', payment, PAYMENT, '支付凭证', 'application/pdf', t('支付宝', '支付宝')),
            {
                actor: 'CourtMSP:hangzhou',
                fn: 'openCase',
                args: () => [caseId, '网络购物合同纠纷'],
                say: () =>
                    t(
                        `杭州互联网法院立案 ${caseId}（网络购物合同纠纷）`,
                        `The Hangzhou Internet Court opens case ${caseId} (an online purchase dispute)`,
                    ),
            },
            {
                actor: 'MemberMSP:litigant',
                fn: 'whoami',
                evaluate: true,
                say: () => t('买家出示自己的证书 ID', 'The buyer shows its certificate id'),
                keep: (answer) => {
                    buyerId = String(answer.id);
                },
            },
            {
                actor: 'CourtMSP:hangzhou',
                fn: 'addCaseParty',
                args: () => [caseId, buyerId],
                say: () => t('法院把买家列为当事人', 'The court names the buyer as a party'),
            },
            advance('ACCEPTED', '立案'),
            advance('SERVED', '送达'),
            advance('EVIDENCE', '举证质证'),
            {
                actor: 'MemberMSP:litigant',
                fn: 'linkEvidence',
                args: () => [caseId, screenshot],
                say: () => t('买家把自己的截图存证关联到案件', 'The buyer links its screenshot to the case'),
            },
            {
                actor: 'CourtMSP:hangzhou',
                fn: 'linkEvidence',
                args: () => [caseId, payment],
                say: () => t('法院把支付宝的支付凭证关联到案件', "The court links 支付宝's payment record"),
            },
            {
                actor: 'CourtMSP:hangzhou',
                fn: 'verifyEvidence',
                evaluate: true,
                args: () => [screenshot, sha256(SCREENSHOT)],
                say: () => t('法院重新计算原始截图的哈希并比对', 'The court re-hashes the original screenshot'),
                show: (answer) =>
                    t(
                        `结果 ${String(answer.outcome)}：文件未被改动`,
                        `outcome ${String(answer.outcome)}: the file is unchanged`,
                    ),
            },
            {
                actor: 'CourtMSP:hangzhou',
                fn: 'verifyEvidence',
                evaluate: true,
                args: () => [screenshot, sha256(DOCTORED)],
                say: () =>
                    t(
                        '卖家提交一份"截图"，金额被改成 39.90 元；法院比对哈希',
                        'The seller presents a "screenshot" with the price changed to 39.90; the court re-hashes it',
                    ),
                show: (answer) =>
                    t(
                        `结果 ${String(answer.outcome)}：文件被改过`,
                        `outcome ${String(answer.outcome)}: the file was changed`,
                    ),
            },
            {
                actor: 'CourtMSP:hangzhou',
                fn: 'recordVerification',
                args: () => [screenshot, sha256(DOCTORED)],
                say: () =>
                    t('法院把这次比对结果（MISMATCH）记入链上', 'The court puts that outcome (MISMATCH) on the record'),
            },
            {
                actor: 'MemberMSP:litigant',
                fn: 'depositEvidence',
                args: () => [
                    screenshot,
                    sha256(DOCTORED),
                    '网购订单截图',
                    'image/png',
                    String(Buffer.byteLength(DOCTORED)),
                ],
                say: () =>
                    t('有人想用改过的文件覆盖原来的存证', 'Someone tries to replace the deposit with the changed file'),
                refused: {
                    code: 'E_EXISTS',
                    why: t('存证只写一次，永不删除或覆盖', 'a deposit is write-once, never deleted or replaced'),
                },
            },
        ],
    };
}
