import { createHash } from 'node:crypto';
import type { Contract } from '@zhelian/api';

/**
 * Demo data for 区块链电子票据: 浙一 and 邵逸夫 register as hospitals and 浙江省财政厅票据中心
 * allocates receipt numbers to them; 浙一 issues three outpatient receipts to the demo patient
 * (`MemberMSP:patient`), who consents to the claims: 医保局 reimburses the pooled-fund part of the
 * first and 商业保险 its self-paid part (the real split), 商业保险 holds a claim on the second,
 * the third waits. Run once on a fresh ledger.
 *
 * No call names its endorsers: the gateway plans them from the first endorsement's chaincode
 * interest, as Fabric's does — a majority to issue, RegulatorMSP + MemberMSP for a receipt's
 * later changes (its key-level policy), the members of `einvoicePatientDetails` for the patient's
 * details.
 */

const CODE = '33010125';

const RANGES = [
    { code: CODE, start: '1', end: '1000', hospitalMspId: 'MemberMSP', hospitalUnit: '浙江大学医学院附属第一医院' },
    {
        code: CODE,
        start: '1001',
        end: '2000',
        hospitalMspId: 'MemberMSP',
        hospitalUnit: '浙江大学医学院附属邵逸夫医院',
    },
];

/** Fictional patients; amounts in fen: 统筹基金 + 个人共付 + 自费 = 合计. */
const RECEIPTS = [
    {
        number: '1',
        checkCode: '7c3a91',
        patient: { name: '王晓明', idNumber: '330106198503120017', department: '心血管内科', visitDate: '2019-06-03' },
        amounts: { pooledFundFen: 31_250, coPayFen: 6_840, selfPaidFen: 1_910, totalFen: 40_000 },
    },
    {
        number: '2',
        checkCode: 'a81f02',
        patient: { name: '李静', idNumber: '330102199207230048', department: '消化内科', visitDate: '2019-06-03' },
        amounts: { pooledFundFen: 12_600, coPayFen: 3_150, selfPaidFen: 4_250, totalFen: 20_000 },
    },
    {
        number: '3',
        checkCode: '5d09be',
        patient: { name: '陈国华', idNumber: '330105196811050031', department: '骨科', visitDate: '2019-06-04' },
        amounts: { pooledFundFen: 58_400, coPayFen: 9_600, selfPaidFen: 12_000, totalFen: 80_000 },
    },
];

const REIMBURSERS = {
    'RegulatorMSP:medicare': { mspId: 'RegulatorMSP', unit: '医保局' },
    'MemberMSP:insurer': { mspId: 'MemberMSP', unit: '商业保险' },
};

/**
 * With the patient's consent to each: 医保局 reimburses receipt 1 for its pooled-fund part and
 * 商业保险 for its self-paid part; 商业保险 locks receipt 2 for the self-paid part.
 */
const CLAIMS: { who: keyof typeof REIMBURSERS; number: string; claimFen: number; reimburse: boolean }[] = [
    { who: 'RegulatorMSP:medicare', number: '1', claimFen: 31_250, reimburse: true },
    { who: 'MemberMSP:insurer', number: '1', claimFen: 1_910, reimburse: true },
    { who: 'MemberMSP:insurer', number: '2', claimFen: 4_250, reimburse: false },
];

export async function seedEinvoice(as: (who: string) => (contractName: string) => Contract): Promise<void> {
    const einvoice = (who: string) => as(who)('einvoice');

    for (const hospital of ['MemberMSP:zheyi', 'MemberMSP:shaoyifu']) {
        await einvoice(hospital).submitTransaction('registerHospital');
    }
    for (const range of RANGES) {
        await einvoice('RegulatorMSP:finance').submitTransaction('allocateRange', JSON.stringify(range));
    }

    const patient = einvoice('MemberMSP:patient');
    const { patientId } = JSON.parse(Buffer.from(await patient.evaluateTransaction('getPatientId')).toString('utf8'));
    const zheyi = einvoice('MemberMSP:zheyi');
    for (const receipt of RECEIPTS) {
        await zheyi.submit('recordPatientDetails', {
            arguments: [CODE, receipt.number],
            transientData: { patient: JSON.stringify(receipt.patient) },
        });
        const contentHash = createHash('sha256').update(`浙一门诊电子票据 ${CODE}-${receipt.number}`).digest('hex');
        const body = JSON.stringify({ ...receipt.amounts, checkCode: receipt.checkCode, contentHash, patientId });
        await zheyi.submit('issueReceipt', {
            arguments: [CODE, receipt.number, body],
        });
    }

    for (const claim of CLAIMS) {
        const { mspId, unit } = REIMBURSERS[claim.who];
        await patient.submit('consentToClaim', {
            arguments: [CODE, claim.number, mspId, unit],
        });
        const reimburser = einvoice(claim.who);
        await reimburser.submit('lockReceipt', {
            arguments: [CODE, claim.number, String(claim.claimFen)],
        });
        if (claim.reimburse) {
            await reimburser.submit('reimburseReceipt', {
                arguments: [CODE, claim.number],
            });
        }
    }
}
