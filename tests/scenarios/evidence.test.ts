import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScenarioNetwork, type ScenarioNetwork } from '../support/scenario';

/**
 * 司法链存证 on the embedded ledger: each invariant is attacked and must be refused with the
 * ledger unchanged. Case records carry a key-level policy requiring CourtMSP (changes are
 * endorsed on a majority that includes it); sealed material goes to the court-only collection
 * `evidenceSealed`, endorsed on CourtMSP alone.
 */

const HANGZHOU = 'CourtMSP:hangzhou';
const SHANGHAI = 'CourtMSP:shanghai';
const LITIGANT = 'MemberMSP:litigant';
const ALIPAY = 'PlatformMSP:alipay';
const CASE_ENDORSERS = ['CourtMSP', 'MemberMSP', 'PlatformMSP'];
const CASE_CHANGES = new Set(['advanceCase', 'grantCaseAccess', 'revokeCaseAccess']);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const json = (bytes: Uint8Array) => JSON.parse(Buffer.from(bytes).toString('utf8'));

let network: ScenarioNetwork;
const evidence = (who: string) => network.contract(who, 'evidence');

async function submit(who: string, fn: string, ...args: string[]) {
    const endorsingOrganizations = CASE_CHANGES.has(fn) ? CASE_ENDORSERS : undefined;
    return json(await evidence(who).submit(fn, { arguments: args, endorsingOrganizations }));
}

const getEvidence = async (id: string) => json(await evidence(ALIPAY).evaluateTransaction('getEvidence', id));
const getCase = async (id: string) => json(await evidence(ALIPAY).evaluateTransaction('getCase', id));

function deposit(who: string, id: string, file: string) {
    return submit(who, 'depositEvidence', id, sha256(file), `${id} 文件`, 'image/png', String(Buffer.byteLength(file)));
}

function seal(who: string, caseId: string, materialId: string, content: string, endorsingOrganizations = ['CourtMSP']) {
    return evidence(who).submit('sealMaterial', {
        arguments: [caseId, materialId],
        transientData: { material: JSON.stringify({ title: '未成年人信息', content }) },
        endorsingOrganizations,
    });
}

beforeAll(async () => {
    network = await openScenarioNetwork();
});

afterAll(async () => {
    await network?.close();
});

describe('evidence', () => {
    it('deposits a hash, verifies files against it and logs every outcome', async () => {
        const file = '订单截图 2026-06-18 金额 3999 元';
        const stored = await deposit(LITIGANT, 'EV-1', file);
        expect(stored).toMatchObject({
            id: 'EV-1',
            hash: sha256(file),
            depositor: { mspId: 'MemberMSP', role: 'party', unit: '当事人' },
        });
        expect(JSON.stringify(stored)).not.toContain('3999');

        expect(await submit(HANGZHOU, 'verifyEvidence', 'EV-1', sha256(file))).toMatchObject({
            outcome: 'MATCH',
            verifier: { unit: '杭州互联网法院' },
        });
        expect(await submit(ALIPAY, 'verifyEvidence', 'EV-1', sha256(`${file} (edited)`))).toMatchObject({
            outcome: 'MISMATCH',
        });
        const log = json(await evidence(LITIGANT).evaluateTransaction('getVerifications', 'EV-1'));
        expect(log.map((entry: { outcome: string }) => entry.outcome).sort()).toEqual(['MATCH', 'MISMATCH']);
        expect(await getEvidence('EV-1')).toEqual(stored);
    });

    it('is write-once: a second deposit under the same id is refused and the original hash remains', async () => {
        const original = await deposit(LITIGANT, 'EV-W', 'original contract');
        await expect(deposit(LITIGANT, 'EV-W', 'forged contract')).rejects.toThrow(/E_EXISTS/);
        await expect(deposit(ALIPAY, 'EV-W', 'forged contract')).rejects.toThrow(/E_EXISTS/);
        await expect(deposit(HANGZHOU, 'EV-W', 'original contract')).rejects.toThrow(/E_EXISTS/);
        expect(await getEvidence('EV-W')).toEqual(original);
        expect((await submit(ALIPAY, 'verifyEvidence', 'EV-W', sha256('original contract'))).outcome).toBe('MATCH');
    });

    it('refuses deposits from callers without a depositor role, and malformed hashes', async () => {
        await expect(deposit('MemberMSP:shop', 'EV-X', 'x')).rejects.toThrow(/E_FORBIDDEN/);
        await expect(submit(LITIGANT, 'depositEvidence', 'EV-Y', 'not-a-hash', 't', 'text/plain', '1')).rejects.toThrow(
            /E_BAD_INPUT/,
        );
        await expect(getEvidence('EV-X')).rejects.toThrow(/E_NOT_FOUND/);
        await expect(getEvidence('EV-Y')).rejects.toThrow(/E_NOT_FOUND/);
    });

    it('lets only courts open cases and advance them, strictly one stage forward', async () => {
        const caseId = '(2026)浙0192民初101号';
        await expect(submit(LITIGANT, 'openCase', caseId, '网络购物合同纠纷')).rejects.toThrow(/E_FORBIDDEN/);
        await submit(HANGZHOU, 'openCase', caseId, '网络购物合同纠纷');
        await expect(submit(HANGZHOU, 'openCase', caseId, '重复立案')).rejects.toThrow(/E_EXISTS/);
        await submit(HANGZHOU, 'advanceCase', caseId, 'ACCEPTED');
        await submit(HANGZHOU, 'advanceCase', caseId, 'SERVED');
        const served = await getCase(caseId);

        await expect(submit(HANGZHOU, 'advanceCase', caseId, 'ACCEPTED')).rejects.toThrow(/E_STAGE_BACKWARDS/);
        await expect(submit(HANGZHOU, 'advanceCase', caseId, 'SERVED')).rejects.toThrow(/E_STAGE_BACKWARDS/);
        await expect(submit(HANGZHOU, 'advanceCase', caseId, 'JUDGMENT')).rejects.toThrow(/E_STAGE_SKIPPED/);
        await expect(submit(LITIGANT, 'advanceCase', caseId, 'EVIDENCE')).rejects.toThrow(/E_FORBIDDEN/);
        await expect(submit(SHANGHAI, 'advanceCase', caseId, 'EVIDENCE')).rejects.toThrow(/E_FORBIDDEN/);
        await expect(submit(HANGZHOU, 'advanceCase', caseId, 'APPEAL')).rejects.toThrow(/E_BAD_INPUT/);
        expect(await getCase(caseId)).toEqual(served);
        expect(served.stages.map((entry: { stage: string }) => entry.stage)).toEqual(['FILED', 'ACCEPTED', 'SERVED']);
    });

    it('lets no majority without CourtMSP change a case record (key-level policy)', async () => {
        const caseId = '(2026)浙0192民初102号';
        await submit(HANGZHOU, 'openCase', caseId, '网络服务合同纠纷');
        const before = await getCase(caseId);
        await expect(
            evidence(HANGZHOU).submit('advanceCase', {
                arguments: [caseId, 'ACCEPTED'],
                endorsingOrganizations: ['RegulatorMSP', 'MemberMSP', 'PlatformMSP'],
            }),
        ).rejects.toThrow(/ENDORSEMENT_POLICY_FAILURE|status code 10/);
        expect(await getCase(caseId)).toEqual(before);
    });

    it('shows a case evidence list to its court, and to another court only by grant', async () => {
        const caseId = '(2026)浙0192民初103号';
        await submit(HANGZHOU, 'openCase', caseId, '著作权权属纠纷');
        await deposit(LITIGANT, 'EV-L1', 'wechat log');
        await deposit(ALIPAY, 'EV-L2', 'payment record');
        await submit(LITIGANT, 'linkEvidence', caseId, 'EV-L1');
        await expect(submit(LITIGANT, 'linkEvidence', caseId, 'EV-L2')).rejects.toThrow(/E_FORBIDDEN/);
        await expect(submit(SHANGHAI, 'linkEvidence', caseId, 'EV-L2')).rejects.toThrow(/E_FORBIDDEN/);
        await submit(HANGZHOU, 'linkEvidence', caseId, 'EV-L2');
        await expect(submit(HANGZHOU, 'linkEvidence', caseId, 'EV-L2')).rejects.toThrow(/E_EXISTS/);

        const list = json(await evidence(HANGZHOU).evaluateTransaction('listCaseEvidence', caseId));
        expect(list.items.map((item: { evidence: { id: string } }) => item.evidence.id)).toEqual(['EV-L1', 'EV-L2']);
        await expect(evidence(SHANGHAI).evaluateTransaction('listCaseEvidence', caseId)).rejects.toThrow(/E_FORBIDDEN/);
        await expect(evidence(LITIGANT).evaluateTransaction('listCaseEvidence', caseId)).rejects.toThrow(/E_FORBIDDEN/);
        await expect(submit(SHANGHAI, 'grantCaseAccess', caseId, '上海市第一中级人民法院')).rejects.toThrow(
            /E_FORBIDDEN/,
        );
        expect((await getCase(caseId)).grants).toEqual([]);

        await submit(HANGZHOU, 'grantCaseAccess', caseId, '上海市第一中级人民法院');
        expect(json(await evidence(SHANGHAI).evaluateTransaction('listCaseEvidence', caseId))).toEqual(list);
        await expect(evidence('CourtMSP:suzhou').evaluateTransaction('listCaseEvidence', caseId)).rejects.toThrow(
            /E_FORBIDDEN/,
        );
        await submit(HANGZHOU, 'revokeCaseAccess', caseId, '上海市第一中级人民法院');
        await expect(evidence(SHANGHAI).evaluateTransaction('listCaseEvidence', caseId)).rejects.toThrow(/E_FORBIDDEN/);
    });

    it('keeps sealed material in the court-only collection, with its hash public', async () => {
        const caseId = '(2026)浙0192民初104号';
        await submit(HANGZHOU, 'openCase', caseId, '网络侵权责任纠纷');
        const sealed = json(await seal(HANGZHOU, caseId, 'M1', '当事人甲, 2010 年生'));
        const material = json(
            await evidence(HANGZHOU).evaluate('readSealedMaterial', {
                arguments: [caseId, 'M1'],
                endorsingOrganizations: ['CourtMSP'],
            }),
        );
        expect(material).toMatchObject({
            caseId,
            materialId: 'M1',
            content: '当事人甲, 2010 年生',
            sealedBy: '杭州互联网法院',
        });
        expect(json(await evidence(ALIPAY).evaluateTransaction('getSealedMaterialHash', caseId, 'M1'))).toEqual(sealed);

        await expect(seal(SHANGHAI, caseId, 'M2', 'x')).rejects.toThrow(/E_FORBIDDEN/);
        await expect(seal(HANGZHOU, caseId, 'M1', 'replacement')).rejects.toThrow(/E_EXISTS/);
        await expect(
            evidence(SHANGHAI).evaluate('readSealedMaterial', {
                arguments: [caseId, 'M1'],
                endorsingOrganizations: ['CourtMSP'],
            }),
        ).rejects.toThrow(/E_FORBIDDEN/);
        await expect(
            evidence(HANGZHOU).submit('sealMaterial', {
                arguments: [caseId, 'M3'],
                endorsingOrganizations: ['CourtMSP'],
            }),
        ).rejects.toThrow(/E_BAD_INPUT/);
        expect(
            json(
                await evidence(HANGZHOU).evaluate('readSealedMaterial', {
                    arguments: [caseId, 'M1'],
                    endorsingOrganizations: ['CourtMSP'],
                }),
            ),
        ).toEqual(material);
    });

    it('closes an archived case to new evidence', async () => {
        const caseId = '(2026)浙0192民初105号';
        await submit(HANGZHOU, 'openCase', caseId, '小额借款合同纠纷');
        for (const stage of ['ACCEPTED', 'SERVED', 'EVIDENCE', 'TRIAL', 'JUDGMENT', 'ENFORCEMENT', 'ARCHIVED']) {
            await submit(HANGZHOU, 'advanceCase', caseId, stage);
        }
        await deposit(LITIGANT, 'EV-A1', 'late evidence');
        await expect(submit(LITIGANT, 'linkEvidence', caseId, 'EV-A1')).rejects.toThrow(/E_CASE_CLOSED/);
        await expect(submit(HANGZHOU, 'advanceCase', caseId, 'ARCHIVED')).rejects.toThrow(/E_STAGE_BACKWARDS/);
        expect(json(await evidence(HANGZHOU).evaluateTransaction('listCaseEvidence', caseId)).items).toEqual([]);
    });
});
