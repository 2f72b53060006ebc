import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollParticipant } from '../support/participants';
import { openScenarioNetwork, type ScenarioNetwork } from '../support/scenario';

/**
 * 区块链电子票据 on the embedded ledger: each invariant is attacked and must be refused with
 * the ledger unchanged. Receipt keys carry a key-level policy AND(RegulatorMSP, issuer's MSP),
 * so receipt changes are endorsed on a majority that includes both; patient details go to a
 * two-member collection, so they are endorsed on its members only. Receipts are issued to the
 * topology's patient (`MemberMSP:patient`), who consents to each reimburser's claim.
 */

const CODE = '33010125';
const ZHEYI = '浙江大学医学院附属第一医院';
const SHAOYIFU = '浙江大学医学院附属邵逸夫医院';
const RECEIPT_ENDORSERS = ['RegulatorMSP', 'MemberMSP', 'PlatformMSP'];
const MEDICARE = { mspId: 'RegulatorMSP', unit: '医保局' };
const INSURER = { mspId: 'MemberMSP', unit: '商业保险' };
const PRIVATE_ENDORSERS = ['RegulatorMSP', 'MemberMSP'];

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const json = (bytes: Uint8Array) => JSON.parse(Buffer.from(bytes).toString('utf8'));

let network: ScenarioNetwork;
let patientId: string;
const einvoice = (who: string) => network.contract(who, 'einvoice');

async function changeReceipt(who: string, fn: string, ...args: string[]) {
    return json(await einvoice(who).submit(fn, { arguments: args, endorsingOrganizations: RECEIPT_ENDORSERS }));
}

async function receipt(number: string) {
    return json(await einvoice('RegulatorMSP:finance').evaluateTransaction('getReceipt', CODE, number));
}

const amounts = { pooledFundFen: 32_000, coPayFen: 8_000, selfPaidFen: 2_550, totalFen: 42_550 };

/** The 校验码 printed on receipt `number` in these tests. */
const checkCodeOf = (number: string) => `ck${number.padStart(4, '0')}`;

/** The patient consents to `reimburser` claiming receipt `number`. */
async function consent(number: string, reimburser: { mspId: string; unit: string }) {
    return changeReceipt('MemberMSP:patient', 'consentToClaim', CODE, number, reimburser.mspId, reimburser.unit);
}

async function issue(number: string, hospital = 'MemberMSP:zheyi', patient = patientId) {
    await einvoice(hospital).submit('recordPatientDetails', {
        arguments: [CODE, number],
        transientData: {
            patient: JSON.stringify({ name: '张三', idNumber: '330106199001011234', department: '心内科' }),
        },
        endorsingOrganizations: PRIVATE_ENDORSERS,
    });
    const body = {
        ...amounts,
        checkCode: checkCodeOf(number),
        contentHash: sha256(`receipt ${number}`),
        patientId: patient,
    };
    return json(
        await einvoice(hospital).submit('issueReceipt', {
            arguments: [CODE, number, JSON.stringify(body)],
            endorsingOrganizations: RECEIPT_ENDORSERS,
        }),
    );
}

beforeAll(async () => {
    network = await openScenarioNetwork();
    await einvoice('MemberMSP:zheyi').submitTransaction('registerHospital');
    await einvoice('MemberMSP:shaoyifu').submitTransaction('registerHospital');
    patientId = json(await einvoice('MemberMSP:patient').evaluateTransaction('getPatientId')).patientId;
    const finance = einvoice('RegulatorMSP:finance');
    await finance.submitTransaction(
        'allocateRange',
        JSON.stringify({ code: CODE, start: '1', end: '100', hospitalMspId: 'MemberMSP', hospitalUnit: ZHEYI }),
    );
    await finance.submitTransaction(
        'allocateRange',
        JSON.stringify({ code: CODE, start: '101', end: '200', hospitalMspId: 'MemberMSP', hospitalUnit: SHAOYIFU }),
    );
});

afterAll(async () => {
    await network?.close();
});

describe('einvoice', () => {
    it('issues, verifies, locks and reimburses a receipt', async () => {
        const issued = await issue('1');
        expect(issued).toMatchObject({
            docType: 'einvoice.receipt',
            code: CODE,
            number: '0000000001',
            status: 'ISSUED',
            amounts,
            issuer: { mspId: 'MemberMSP', unit: ZHEYI, role: 'hospital' },
            patientId,
            consents: [],
            claims: [],
            reversedAtMinute: null,
        });
        const patientHash = sha256(
            JSON.stringify({
                department: '心内科',
                docType: 'einvoice.patient',
                idNumber: '330106199001011234',
                name: '张三',
                visitDate: null,
            }),
        );
        expect(issued.patientDetailsHash).toBe(patientHash);

        const verified = json(
            await einvoice('MemberMSP:patient').evaluateTransaction(
                'verifyReceipt',
                CODE,
                '0000000001',
                checkCodeOf('1'),
            ),
        );
        expect(verified).toEqual({
            code: CODE,
            number: '0000000001',
            status: 'ISSUED',
            contentHash: sha256('receipt 1'),
            issuerUnit: ZHEYI,
            issuedAtMinute: issued.issuedAtMinute,
            totalFen: 42_550,
            reimbursedFen: 0,
        });

        await consent('1', MEDICARE);
        await changeReceipt('RegulatorMSP:medicare', 'lockReceipt', CODE, '1', '32000');
        const reimbursed = await changeReceipt('RegulatorMSP:medicare', 'reimburseReceipt', CODE, '1');
        expect(reimbursed).toMatchObject({
            status: 'REIMBURSED',
            consents: [MEDICARE],
            claims: [{ claimFen: 32_000, status: 'REIMBURSED', by: { unit: '医保局' } }],
        });

        const details = json(await einvoice('MemberMSP:zheyi').evaluateTransaction('getPatientDetails', CODE, '1'));
        expect(details.name).toBe('张三');
    });

    it('issues on the default endorsement plan: reading only the patient-details hash does not restrict endorsers', async () => {
        await einvoice('MemberMSP:zheyi').submit('recordPatientDetails', {
            arguments: [CODE, '50'],
            transientData: {
                patient: JSON.stringify({ name: '李四', idNumber: '330106199202021234', department: '骨科' }),
            },
            endorsingOrganizations: PRIVATE_ENDORSERS,
        });
        const body = { ...amounts, checkCode: checkCodeOf('50'), contentHash: sha256('receipt 50'), patientId };
        const issued = json(
            await einvoice('MemberMSP:zheyi').submitTransaction('issueReceipt', CODE, '50', JSON.stringify(body)),
        );
        expect(issued).toMatchObject({ number: '0000000050', status: 'ISSUED' });
    });

    it('refuses a second receipt with the same code and number', async () => {
        const before = await receipt('1');
        await expect(issue('1')).rejects.toThrow(/E_EXISTS/);
        await expect(issue('0000000001')).rejects.toThrow(/E_EXISTS/);
        expect(await receipt('1')).toEqual(before);
    });

    it('lets only the allocated hospital issue, and only inside its range', async () => {
        await expect(issue('5', 'MemberMSP:shaoyifu')).rejects.toThrow(/E_FORBIDDEN/);
        await expect(issue('500')).rejects.toThrow(/E_NOT_ALLOCATED/);
        await expect(issue('150')).rejects.toThrow(/E_FORBIDDEN/);
        await expect(receipt('5')).rejects.toThrow(/E_NOT_FOUND/);
        await expect(receipt('150')).rejects.toThrow(/E_NOT_FOUND/);
    });

    it('allocates ranges only to hospitals that registered themselves, each once', async () => {
        const ranges = json(await einvoice('MemberMSP:patient').evaluateTransaction('listRanges', CODE));
        for (const [hospitalMspId, hospitalUnit] of [
            ['MemberMSP', '幽灵医院'],
            ['GhostMSP', ZHEYI],
        ]) {
            await expect(
                einvoice('RegulatorMSP:finance').submitTransaction(
                    'allocateRange',
                    JSON.stringify({ code: CODE, start: '301', end: '400', hospitalMspId, hospitalUnit }),
                ),
            ).rejects.toThrow(/E_NOT_FOUND: hospital .* does not exist/);
        }
        expect(json(await einvoice('MemberMSP:patient').evaluateTransaction('listRanges', CODE))).toEqual(ranges);
        await expect(einvoice('MemberMSP:zheyi').submitTransaction('registerHospital')).rejects.toThrow(/E_EXISTS/);
        await expect(einvoice('MemberMSP:insurer').submitTransaction('registerHospital')).rejects.toThrow(
            /E_FORBIDDEN/,
        );
    });

    it('lets only finance allocate ranges, never overlapping ones', async () => {
        const ranges = json(await einvoice('MemberMSP:patient').evaluateTransaction('listRanges', CODE));
        await expect(
            einvoice('MemberMSP:zheyi').submitTransaction(
                'allocateRange',
                JSON.stringify({
                    code: CODE,
                    start: '201',
                    end: '300',
                    hospitalMspId: 'MemberMSP',
                    hospitalUnit: ZHEYI,
                }),
            ),
        ).rejects.toThrow(/E_FORBIDDEN/);
        await expect(
            einvoice('RegulatorMSP:finance').submitTransaction(
                'allocateRange',
                JSON.stringify({
                    code: CODE,
                    start: '150',
                    end: '250',
                    hospitalMspId: 'MemberMSP',
                    hospitalUnit: ZHEYI,
                }),
            ),
        ).rejects.toThrow(/E_RANGE_OVERLAP/);
        expect(json(await einvoice('MemberMSP:patient').evaluateTransaction('listRanges', CODE))).toEqual(ranges);
    });

    it('refuses an amount split that does not add up', async () => {
        const body = {
            ...amounts,
            totalFen: amounts.totalFen + 1,
            checkCode: checkCodeOf('9'),
            contentHash: sha256('receipt 9'),
            patientId,
        };
        await expect(
            einvoice('MemberMSP:zheyi').submitTransaction('issueReceipt', CODE, '9', JSON.stringify(body)),
        ).rejects.toThrow(/E_BAD_INPUT/);
        await expect(receipt('9')).rejects.toThrow(/E_NOT_FOUND/);
    });

    it('refuses to issue a receipt whose patient details were not recorded', async () => {
        const body = { ...amounts, checkCode: checkCodeOf('10'), contentHash: sha256('receipt 10'), patientId };
        await expect(
            einvoice('MemberMSP:zheyi').submitTransaction('issueReceipt', CODE, '10', JSON.stringify(body)),
        ).rejects.toThrow(/E_PRIVATE_DATA/);
        await expect(receipt('10')).rejects.toThrow(/E_NOT_FOUND/);
    });

    it('never lets a claim exceed the face amount', async () => {
        await issue('2');
        await consent('2', MEDICARE);
        const before = await receipt('2');
        await expect(
            changeReceipt('RegulatorMSP:medicare', 'lockReceipt', CODE, '2', String(amounts.totalFen + 1)),
        ).rejects.toThrow(/E_CLAIM_EXCEEDS_FACE/);
        expect(await receipt('2')).toEqual(before);
        expect(before).toMatchObject({ status: 'ISSUED', claims: [] });
    });

    it.each(['0x10', ' 5 ', '1e3', '1.0', '', '-0', '+5', '05'])(
        'refuses a claim of %j fen with E_BAD_INPUT, changing nothing',
        async (claimFen) => {
            const before = await receipt('2');
            await expect(changeReceipt('RegulatorMSP:medicare', 'lockReceipt', CODE, '2', claimFen)).rejects.toThrow(
                /E_BAD_INPUT: claimFen: expected a whole number in decimal digits/,
            );
            expect(await receipt('2')).toEqual(before);
        },
    );

    it('reimburses each claimant at most once, whoever tries again', async () => {
        const before = await receipt('1');
        await expect(changeReceipt('RegulatorMSP:medicare', 'reimburseReceipt', CODE, '1')).rejects.toThrow(
            /E_ALREADY_REIMBURSED/,
        );
        await expect(changeReceipt('RegulatorMSP:medicare', 'lockReceipt', CODE, '1', '100')).rejects.toThrow(
            /E_ALREADY_REIMBURSED/,
        );
        await expect(changeReceipt('RegulatorMSP:medicare', 'unlockReceipt', CODE, '1')).rejects.toThrow(
            /E_ALREADY_REIMBURSED/,
        );
        await expect(
            changeReceipt('MemberMSP:patient', 'withdrawConsent', CODE, '1', MEDICARE.mspId, MEDICARE.unit),
        ).rejects.toThrow(/E_ALREADY_REIMBURSED/);
        await expect(changeReceipt('MemberMSP:insurer', 'lockReceipt', CODE, '1', '2550')).rejects.toThrow(
            /E_NO_CONSENT/,
        );
        await expect(changeReceipt('MemberMSP:zheyi', 'reverseReceipt', CODE, '1')).rejects.toThrow(
            /E_ALREADY_REIMBURSED/,
        );
        expect(await receipt('1')).toEqual(before);
    });

    it('splits a receipt between 医保 and a commercial insurer, never beyond the face amount', async () => {
        await issue('7');
        await consent('7', MEDICARE);
        await consent('7', INSURER);
        await changeReceipt('RegulatorMSP:medicare', 'lockReceipt', CODE, '7', String(amounts.pooledFundFen));
        const locked = await receipt('7');
        await expect(
            changeReceipt(
                'MemberMSP:insurer',
                'lockReceipt',
                CODE,
                '7',
                String(amounts.coPayFen + amounts.selfPaidFen + 1),
            ),
        ).rejects.toThrow(/E_CLAIM_EXCEEDS_FACE/);
        expect(await receipt('7')).toEqual(locked);

        await changeReceipt('MemberMSP:insurer', 'lockReceipt', CODE, '7', String(amounts.selfPaidFen));
        await changeReceipt('RegulatorMSP:medicare', 'reimburseReceipt', CODE, '7');
        const both = await changeReceipt('MemberMSP:insurer', 'reimburseReceipt', CODE, '7');
        expect(both.status).toBe('REIMBURSED');
        expect(
            both.claims.map((claim: { by: { unit: string }; claimFen: number }) => [claim.by.unit, claim.claimFen]),
        ).toEqual([
            ['商业保险', amounts.selfPaidFen],
            ['医保局', amounts.pooledFundFen],
        ]);
        const verified = json(
            await einvoice('MemberMSP:patient').evaluateTransaction('verifyReceipt', CODE, '7', checkCodeOf('7')),
        );
        expect(verified).toMatchObject({
            status: 'REIMBURSED',
            reimbursedFen: amounts.pooledFundFen + amounts.selfPaidFen,
        });
        await expect(changeReceipt('MemberMSP:insurer', 'reimburseReceipt', CODE, '7')).rejects.toThrow(
            /E_ALREADY_REIMBURSED/,
        );
        expect(await receipt('7')).toEqual(both);
    });

    it("lets no reimburser lock a receipt without the patient's consent, and only the patient give or withdraw it", async () => {
        await issue('3');
        const issued = await receipt('3');
        await expect(changeReceipt('MemberMSP:insurer', 'lockReceipt', CODE, '3', '100')).rejects.toThrow(
            /E_NO_CONSENT/,
        );
        for (const who of ['MemberMSP:insurer', 'MemberMSP:zheyi', 'RegulatorMSP:medicare']) {
            await expect(changeReceipt(who, 'consentToClaim', CODE, '3', INSURER.mspId, INSURER.unit)).rejects.toThrow(
                /E_FORBIDDEN/,
            );
        }
        await expect(
            changeReceipt('MemberMSP:patient', 'consentToClaim', CODE, '3', 'GhostMSP', INSURER.unit),
        ).rejects.toThrow(/E_BAD_INPUT/);
        expect(await receipt('3')).toEqual(issued);

        // Consent to 商业保险 lets it lock its part; it no longer blocks 医保局, and the patient can take it back.
        await consent('3', INSURER);
        await consent('3', MEDICARE);
        await changeReceipt('MemberMSP:insurer', 'lockReceipt', CODE, '3', '100');
        await changeReceipt('RegulatorMSP:medicare', 'lockReceipt', CODE, '3', '30000');
        const withdrawn = await changeReceipt(
            'MemberMSP:patient',
            'withdrawConsent',
            CODE,
            '3',
            INSURER.mspId,
            INSURER.unit,
        );
        expect(withdrawn).toMatchObject({
            status: 'LOCKED',
            consents: [MEDICARE],
            claims: [{ by: MEDICARE, claimFen: 30_000 }],
        });
        await expect(changeReceipt('MemberMSP:insurer', 'lockReceipt', CODE, '3', '100')).rejects.toThrow(
            /E_NO_CONSENT/,
        );
        expect(await receipt('3')).toEqual(withdrawn);
    });

    it("takes consent from the receipt's own patient only", async () => {
        await issue('8', 'MemberMSP:zheyi', sha256('another patient'));
        const before = await receipt('8');
        await expect(consent('8', MEDICARE)).rejects.toThrow(/E_FORBIDDEN: only the patient of receipt/);
        await expect(einvoice('MemberMSP:patient').evaluateTransaction('getReceipt', CODE, '8')).rejects.toThrow(
            /E_FORBIDDEN/,
        );
        expect(await receipt('8')).toEqual(before);

        // Another patient's certificate, same role and unit, is not this receipt's patient.
        const other = await enrollParticipant(network, 'MemberMSP:patient2', { role: 'patient', unit: '个人' });
        try {
            const theirs = await receipt('2');
            await expect(
                other.contract('einvoice').submit('consentToClaim', {
                    arguments: [CODE, '2', INSURER.mspId, INSURER.unit],
                    endorsingOrganizations: RECEIPT_ENDORSERS,
                }),
            ).rejects.toThrow(/E_FORBIDDEN/);
            await expect(other.contract('einvoice').evaluateTransaction('getReceipt', CODE, '2')).rejects.toThrow(
                /E_FORBIDDEN/,
            );
            expect(await receipt('2')).toEqual(theirs);
        } finally {
            other.close();
        }
    });

    it('lets only the reimburser holding a claim finalize or unlock it', async () => {
        const locked = await receipt('3');
        await expect(changeReceipt('MemberMSP:insurer', 'reimburseReceipt', CODE, '3')).rejects.toThrow(/E_FORBIDDEN/);
        await expect(changeReceipt('MemberMSP:insurer', 'unlockReceipt', CODE, '3')).rejects.toThrow(/E_FORBIDDEN/);
        await expect(changeReceipt('RegulatorMSP:medicare', 'lockReceipt', CODE, '3', '100')).rejects.toThrow(
            /E_LOCKED/,
        );
        expect(await receipt('3')).toEqual(locked);

        const unlocked = await changeReceipt('RegulatorMSP:medicare', 'unlockReceipt', CODE, '3');
        expect(unlocked).toMatchObject({ status: 'ISSUED', claims: [] });
    });

    it('lets one of two reimbursers locking at once commit when together they would exceed the face amount', async () => {
        await issue('11');
        await consent('11', MEDICARE);
        await consent('11', INSURER);
        const propose = (who: string, claimFen: number) =>
            einvoice(who)
                .newProposal('lockReceipt', {
                    arguments: [CODE, '11', String(claimFen)],
                    endorsingOrganizations: RECEIPT_ENDORSERS,
                })
                .endorse();
        // Each claim fits the face amount alone; both were endorsed against the same unclaimed receipt.
        const endorsed = await Promise.all([
            propose('RegulatorMSP:medicare', 30_000),
            propose('MemberMSP:insurer', 20_000),
        ]);
        const statuses = await Promise.all(endorsed.map(async (tx) => (await tx.submit()).getStatus()));
        expect(statuses.map((status) => status.successful).sort()).toEqual([false, true]);
        const after = await receipt('11');
        expect(after.claims).toHaveLength(1);
        expect(after.claims[0].claimFen).toBeLessThanOrEqual(amounts.totalFen);
    });

    it('lets only the issuer reverse (红冲) an unclaimed receipt', async () => {
        await issue('4');
        await expect(changeReceipt('MemberMSP:shaoyifu', 'reverseReceipt', CODE, '4')).rejects.toThrow(/E_FORBIDDEN/);
        expect(await receipt('4')).toMatchObject({ status: 'ISSUED' });
        expect(await changeReceipt('MemberMSP:zheyi', 'reverseReceipt', CODE, '4')).toMatchObject({
            status: 'REVERSED',
        });
        await expect(changeReceipt('RegulatorMSP:medicare', 'lockReceipt', CODE, '4', '100')).rejects.toThrow(
            /E_REVERSED/,
        );
    });

    it("lets no majority without the regulator and the issuer's org change a receipt", async () => {
        await issue('6');
        await consent('6', INSURER);
        const before = await receipt('6');
        const withoutRegulator = einvoice('MemberMSP:insurer').submit('lockReceipt', {
            arguments: [CODE, '6', '100'],
            endorsingOrganizations: ['MemberMSP', 'PlatformMSP', 'CourtMSP'],
        });
        await expect(withoutRegulator).rejects.toThrow(/ENDORSEMENT_POLICY_FAILURE/);
        expect(await receipt('6')).toEqual(before);
    });

    it('verifies only with the right check code, revealing nothing otherwise', async () => {
        const anyone = einvoice('CourtMSP:hangzhou');
        // Both asked at once; each answer is awaited together, so neither refusal goes unobserved.
        const [wrongCheck, unknown] = [
            anyone.evaluateTransaction('verifyReceipt', CODE, '2', checkCodeOf('3')),
            anyone.evaluateTransaction('verifyReceipt', CODE, '99', checkCodeOf('99')),
        ];
        await Promise.allSettled([wrongCheck, unknown]);
        await expect(wrongCheck).rejects.toThrow(
            /E_VERIFY_FAILED: no receipt matches this code, number and check code/,
        );
        await expect(unknown).rejects.toThrow(/E_VERIFY_FAILED: no receipt matches this code, number and check code/);
        expect(json(await anyone.evaluateTransaction('verifyReceipt', CODE, '2', checkCodeOf('2'))).status).toBe(
            'ISSUED',
        );
    });

    it('keeps the full record and patient details from other hospitals and bystanders', async () => {
        await expect(einvoice('MemberMSP:shaoyifu').evaluateTransaction('getReceipt', CODE, '2')).rejects.toThrow(
            /E_FORBIDDEN/,
        );
        await expect(
            einvoice('MemberMSP:shaoyifu').evaluateTransaction('getPatientDetails', CODE, '2'),
        ).rejects.toThrow(/E_FORBIDDEN/);
        await expect(einvoice('MemberMSP:tmall').evaluateTransaction('getReceipt', CODE, '2')).rejects.toThrow(
            /E_FORBIDDEN/,
        );
        // 商业保险 holds no claim on receipt 2 (医保局's consent alone is on it).
        await expect(einvoice('MemberMSP:insurer').evaluateTransaction('getPatientDetails', CODE, '2')).rejects.toThrow(
            /E_FORBIDDEN/,
        );
        // The patient reads its own receipt and details.
        expect(json(await einvoice('MemberMSP:patient').evaluateTransaction('getReceipt', CODE, '2')).patientId).toBe(
            patientId,
        );
        expect(json(await einvoice('MemberMSP:patient').evaluateTransaction('getPatientDetails', CODE, '2')).name).toBe(
            '张三',
        );
    });

    it('describes every transaction and record type in the contract metadata', async () => {
        const metadata = json(
            await network.contract('MemberMSP:patient', 'org.hyperledger.fabric').evaluateTransaction('GetMetadata'),
        );
        const names = metadata.contracts.einvoice.transactions.map((t: { name: string }) => t.name);
        expect(names).toEqual(
            expect.arrayContaining([
                'registerHospital',
                'getPatientId',
                'consentToClaim',
                'withdrawConsent',
                'allocateRange',
                'recordPatientDetails',
                'issueReceipt',
                'lockReceipt',
                'unlockReceipt',
                'reimburseReceipt',
                'reverseReceipt',
                'verifyReceipt',
                'getReceipt',
                'listRanges',
                'getPatientDetails',
            ]),
        );
        expect(Object.keys(metadata.components.schemas)).toEqual(
            expect.arrayContaining([
                'Receipt',
                'ReceiptRange',
                'ReceiptVerification',
                'LotteryEvent',
                'LotteryDrawRecord',
            ]),
        );
    });
});
