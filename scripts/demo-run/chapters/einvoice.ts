import { createHash, randomBytes } from 'node:crypto';
import type { Answer, Chapter, RunContext } from '../chapter';
import { t } from '../text';

const CODE = '33010125';
const ZHEYI = { mspId: 'MemberMSP', unit: '浙江大学医学院附属第一医院' };
const AMOUNTS = { pooledFundFen: 31_250, coPayFen: 6_840, selfPaidFen: 1_910, totalFen: 40_000 };
const yuan = (fen: number): string => (fen / 100).toFixed(2);
/**
 * The demo's ranges start above this number, clear of the ranges \`npm start\` seeds (1–2000),
 * which it may be allocating at this very moment on a server that has just started.
 */
const DEMO_NUMBERS_FROM = 100_000;

/**
 * 区块链电子票据: 浙一 issues a receipt in a range of its own (the next free numbers under code
 * 33010125 from 100001 on, so every run has new receipts), the patient consents to 医保局, which locks and
 * reimburses the pooled-fund part; a second reimbursement and a claim by an insurer the patient
 * never chose are refused.
 */
export function einvoiceChapter(run: RunContext): Chapter {
    let start = 0;
    let patientId = '';
    const checkCode = randomBytes(3).toString('hex');
    const number = () => String(start);
    return {
        contract: 'einvoice',
        title: t('区块链电子票据', 'Medical e-receipts'),
        story: t(
            '2019 年浙江省财政厅与浙一医院上线区块链医疗电子票据：医院开票、患者手机取票，\n医保和商业保险凭链上票据报销，每张票据只能报销一次。',
            "In 2019 Zhejiang's finance department and 浙一 hospital put medical receipts on a chain: the\nhospital issues, the patient holds it on the phone, insurers reimburse from it — once.",
        ),
        steps: [
            {
                actor: 'MemberMSP:zheyi',
                fn: 'registerHospital',
                doneIf: 'E_EXISTS',
                say: () =>
                    t(
                        '浙一医院用自己的证书登记为医院',
                        '浙一 registers itself as a hospital, with its own certificate',
                    ),
            },
            {
                actor: 'RegulatorMSP:finance',
                fn: 'listRanges',
                evaluate: true,
                args: () => [CODE],
                say: () =>
                    t(
                        `财政厅票据中心查看票据代码 ${CODE} 下已分配的号段`,
                        `The finance department lists the ranges under code ${CODE}`,
                    ),
                keep: (answer: Answer) => {
                    const ranges = Object.values(answer) as { end: string }[];
                    start = Math.max(DEMO_NUMBERS_FROM, ...ranges.map((range) => Number(range.end))) + 1;
                },
                show: (answer) =>
                    t(
                        `已分配号段 ${Object.keys(answer).length} 个；本次取 ${start}–${start + 9}`,
                        `ranges allocated so far: ${Object.keys(answer).length}; this run takes ${start}–${start + 9}`,
                    ),
            },
            {
                actor: 'RegulatorMSP:finance',
                fn: 'allocateRange',
                args: () => [
                    JSON.stringify({
                        code: CODE,
                        start: String(start),
                        end: String(start + 9),
                        hospitalMspId: ZHEYI.mspId,
                        hospitalUnit: ZHEYI.unit,
                    }),
                ],
                say: () =>
                    t(
                        `财政厅把号段 ${start}–${start + 9} 分配给浙一`,
                        `Finance allocates numbers ${start}–${start + 9} to 浙一`,
                    ),
            },
            {
                actor: 'MemberMSP:patient',
                fn: 'getPatientId',
                evaluate: true,
                say: () =>
                    t(
                        '患者在手机上出示自己的假名 ID（证书的哈希）',
                        'The patient shows its pseudonym (a hash of its certificate)',
                    ),
                keep: (answer) => {
                    patientId = String(answer.patientId);
                },
                show: () => t(`患者 ID ${patientId.slice(0, 16)}…`, `patient id ${patientId.slice(0, 16)}…`),
            },
            {
                actor: 'MemberMSP:zheyi',
                fn: 'recordPatientDetails',
                args: () => [CODE, number()],
                transient: () => ({
                    patient: JSON.stringify({
                        name: '王晓明',
                        idNumber: '330106198503120017',
                        department: '心血管内科',
                        visitDate: '2019-06-03',
                    }),
                }),
                say: () =>
                    t(
                        '浙一把患者姓名、身份证号写入私有数据集合：只有成员组织的节点保存明文，通道上只有哈希',
                        "浙一 records the patient's name and id number privately: member peers keep them, the channel only a hash",
                    ),
            },
            {
                actor: 'MemberMSP:zheyi',
                fn: 'issueReceipt',
                args: () => [
                    CODE,
                    number(),
                    JSON.stringify({
                        ...AMOUNTS,
                        checkCode,
                        contentHash: createHash('sha256')
                            .update(`浙一门诊电子票据 ${CODE}-${number()} ${run.tag}`)
                            .digest('hex'),
                        patientId,
                    }),
                ],
                say: () =>
                    t(
                        `浙一开具门诊票据 ${CODE}-${number()}，合计 ${yuan(AMOUNTS.totalFen)} 元（统筹 ${yuan(AMOUNTS.pooledFundFen)}，共付 ${yuan(AMOUNTS.coPayFen)}，自费 ${yuan(AMOUNTS.selfPaidFen)}），校验码 ${checkCode}`,
                        `浙一 issues receipt ${CODE}-${number()}: ${yuan(AMOUNTS.totalFen)} yuan (pooled fund ${yuan(AMOUNTS.pooledFundFen)}, co-pay ${yuan(AMOUNTS.coPayFen)}, self-paid ${yuan(AMOUNTS.selfPaidFen)}), check code ${checkCode}`,
                    ),
            },
            {
                actor: 'MemberMSP:patient',
                fn: 'consentToClaim',
                args: () => [CODE, number(), 'RegulatorMSP', '医保局'],
                say: () => t('患者同意医保局报销这张票据', 'The patient consents to 医保局 claiming it'),
            },
            {
                actor: 'RegulatorMSP:medicare',
                fn: 'lockReceipt',
                args: () => [CODE, number(), String(AMOUNTS.pooledFundFen)],
                say: () =>
                    t(
                        `医保局锁定统筹部分 ${yuan(AMOUNTS.pooledFundFen)} 元`,
                        `医保局 locks its claim: the pooled-fund part, ${yuan(AMOUNTS.pooledFundFen)} yuan`,
                    ),
            },
            {
                actor: 'RegulatorMSP:medicare',
                fn: 'reimburseReceipt',
                args: () => [CODE, number()],
                say: () => t('医保局完成报销', '医保局 reimburses it'),
            },
            {
                actor: 'RegulatorMSP:medicare',
                fn: 'reimburseReceipt',
                args: () => [CODE, number()],
                say: () =>
                    t(
                        '医保局再报销一次同一张票据（重复报销）',
                        '医保局 reimburses the same receipt again (a double claim)',
                    ),
                refused: {
                    code: 'E_ALREADY_REIMBURSED',
                    why: t(
                        '每笔报销至多一次——电子票据的核心反欺诈规则',
                        'each claim is reimbursed at most once — the core anti-fraud rule',
                    ),
                },
            },
            {
                actor: 'MemberMSP:insurer',
                fn: 'lockReceipt',
                args: () => [CODE, number(), String(AMOUNTS.selfPaidFen)],
                say: () =>
                    t(
                        '商业保险未经患者同意就来锁定自费部分',
                        'A commercial insurer the patient never chose tries to lock the self-paid part',
                    ),
                refused: {
                    code: 'E_NO_CONSENT',
                    why: t('由患者决定谁来报销', 'the patient decides who claims'),
                },
            },
            {
                actor: 'PlatformMSP:alipay',
                fn: 'verifyReceipt',
                evaluate: true,
                args: () => [CODE, number(), checkCode],
                say: () =>
                    t(
                        '任何人凭代码、号码和校验码都能验真（这里是支付宝）',
                        'Anyone with code, number and check code verifies it (here 支付宝)',
                    ),
                show: (answer) =>
                    t(
                        `状态 ${String(answer.status)}，已报销 ${yuan(Number(answer.reimbursedFen))} / ${yuan(Number(answer.totalFen))} 元`,
                        `status ${String(answer.status)}, reimbursed ${yuan(Number(answer.reimbursedFen))} of ${yuan(Number(answer.totalFen))} yuan`,
                    ),
            },
        ],
    };
}
