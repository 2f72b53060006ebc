import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atOnce, enrollParticipant, type Participant } from '../support/participants';
import { openScenarioNetwork, type ScenarioNetwork } from '../support/scenario';

/**
 * 司法链存证 on the embedded ledger: each invariant is attacked and must be refused with the
 * ledger unchanged. Case records carry a key-level policy requiring CourtMSP (changes are
 * endorsed on a majority that includes it); sealed material goes to the court-only collection
 * `evidenceSealed`, endorsed on CourtMSP alone. Evidence is linked by a case's parties and court
 * during its evidence period and read by its depositor and the parties and courts of its cases;
 * anyone checks a file with an evaluation, and only courts record verifications.
 */

const HANGZHOU = 'CourtMSP:hangzhou';
const SHANGHAI = 'CourtMSP:shanghai';
const LITIGANT = 'MemberMSP:litigant';
const ALIPAY = 'PlatformMSP:alipay';
const CASE_ENDORSERS = ['CourtMSP', 'MemberMSP', 'PlatformMSP'];
const CASE_CHANGES = new Set(['advanceCase', 'addCaseParty', 'grantCaseAccess', 'revokeCaseAccess']);
const STAGES = ['ACCEPTED', 'SERVED', 'EVIDENCE', 'TRIAL', 'JUDGMENT', 'ENFORCEMENT', 'ARCHIVED'];

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const json = (bytes: Uint8Array) => JSON.parse(Buffer.from(bytes).toString('utf8'));

let network: ScenarioNetwork;
const evidence = (who: string) => network.contract(who, 'evidence');

async function submit(who: string, fn: string, ...args: string[]) {
    const endorsingOrganizations = CASE_CHANGES.has(fn) ? CASE_ENDORSERS : undefined;
    return json(await evidence(who).submit(fn, { arguments: args, endorsingOrganizations }));
}

const getEvidence = async (id: string, who = LITIGANT) =>
    json(await evidence(who).evaluateTransaction('getEvidence', id));
const getCase = async (id: string) => json(await evidence(ALIPAY).evaluateTransaction('getCase', id));
const verifications = async (id: string, who = LITIGANT) =>
    json(await evidence(who).evaluateTransaction('getVerifications', id));
const listCase = async (caseId: string, who = HANGZHOU) =>
    json(await evidence(who).evaluateTransaction('listCaseEvidence', caseId));
const check = async (who: string, id: string, hash: string) =>
    json(await evidence(who).evaluateTransaction('verifyEvidence', id, hash));
const participants: Participant[] = [];
let litigantId: string;

/** A case of 杭州互联网法院 with the litigant as its party, advanced to `stage`. */
async function caseWithParty(caseId: string, stage = 'FILED') {
    await submit(HANGZHOU, 'openCase', caseId, '网络购物合同纠纷');
    await submit(HANGZHOU, 'addCaseParty', caseId, litigantId);
    for (const next of STAGES.slice(0, STAGES.indexOf(stage) + 1)) {
        await submit(HANGZHOU, 'advanceCase', caseId, next);
    }
}

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
    litigantId = json(await evidence(LITIGANT).evaluateTransaction('whoami')).id;
});

afterAll(async () => {
    participants.forEach((participant) => participant.close());
    await network?.close();
});

describe('evidence', () => {
    it('deposits a hash, checks files against it, and logs the outcomes a court records', async () => {
        const file = '订单截图 2026-06-18 金额 3999 元';
        const stored = await deposit(LITIGANT, 'EV-1', file);
        expect(stored).toMatchObject({
            id: 'EV-1',
            hash: sha256(file),
            depositor: { mspId: 'MemberMSP', role: 'party', unit: '当事人', id: litigantId },
        });
        expect(JSON.stringify(stored)).not.toContain('3999');

        expect(await check(ALIPAY, 'EV-1', sha256(file))).toEqual({
            evidenceId: 'EV-1',
            outcome: 'MATCH',
            presentedHash: sha256(file),
        });
        expect((await check(ALIPAY, 'EV-1', sha256(`${file} (edited)`))).outcome).toBe('MISMATCH');

        const caseId = '(2026)浙0192民初100号';
        await caseWithParty(caseId);
        await submit(LITIGANT, 'linkEvidence', caseId, 'EV-1');
        expect(await submit(HANGZHOU, 'recordVerification', 'EV-1', sha256(file))).toMatchObject({
            outcome: 'MATCH',
            verifier: { unit: '杭州互联网法院' },
        });
        await submit(HANGZHOU, 'recordVerification', 'EV-1', sha256(`${file} (edited)`));
        const log = await verifications('EV-1');
        expect(log.map((entry: { outcome: string }) => entry.outcome).sort()).toEqual(['MATCH', 'MISMATCH']);
        expect(await getEvidence('EV-1')).toEqual(stored);
    });

    it('is write-once: a second deposit under the same id is refused and the original hash remains', async () => {
        const original = await deposit(LITIGANT, 'EV-W', 'original contract');
        await expect(deposit(LITIGANT, 'EV-W', 'forged contract')).rejects.toThrow(/E_EXISTS/);
        await expect(deposit(ALIPAY, 'EV-W', 'forged contract')).rejects.toThrow(/E_EXISTS/);
        await expect(deposit(HANGZHOU, 'EV-W', 'original contract')).rejects.toThrow(/E_EXISTS/);
        expect(await getEvidence('EV-W')).toEqual(original);
        expect((await check(ALIPAY, 'EV-W', sha256('original contract'))).outcome).toBe('MATCH');
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
        await submit(HANGZHOU, 'addCaseParty', caseId, litigantId);
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
        await expect(evidence(ALIPAY).evaluateTransaction('listCaseEvidence', caseId)).rejects.toThrow(/E_FORBIDDEN/);
        expect(await listCase(caseId, LITIGANT)).toEqual(list);
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

/** Issue 8 item 11: linking, reading and verifying evidence, attacked as the issue found them open. */
describe('evidence hardening', () => {
    let stranger: Participant;
    const strangerEvidence = () => stranger.contract('evidence');

    beforeAll(async () => {
        stranger = await enrollParticipant(network, 'MemberMSP:litigant2', { role: 'party', unit: '当事人' });
        participants.push(stranger);
    });

    it('links evidence only by the parties of a case and its court, within the evidence period', async () => {
        const caseId = '(2026)浙0192民初201号';
        await submit(HANGZHOU, 'openCase', caseId, '网络购物合同纠纷');
        await expect(submit(LITIGANT, 'addCaseParty', caseId, litigantId)).rejects.toThrow(/E_FORBIDDEN/);
        await expect(submit(SHANGHAI, 'addCaseParty', caseId, litigantId)).rejects.toThrow(/E_FORBIDDEN/);
        await expect(submit(HANGZHOU, 'addCaseParty', caseId, 'someone')).rejects.toThrow(/E_BAD_INPUT/);
        await submit(HANGZHOU, 'addCaseParty', caseId, litigantId);
        await expect(submit(HANGZHOU, 'addCaseParty', caseId, litigantId)).rejects.toThrow(/E_EXISTS/);
        const opened = await getCase(caseId);
        expect(opened.parties).toEqual([litigantId]);

        // A depositor who is no party of the case, a party linking someone else's deposit, a
        // platform and another court are all refused.
        await strangerEvidence().submitTransaction(
            'depositEvidence',
            'EV-P2',
            sha256('p2'),
            '无关证据',
            'image/png',
            '2',
        );
        await expect(strangerEvidence().submitTransaction('linkEvidence', caseId, 'EV-P2')).rejects.toThrow(
            /E_FORBIDDEN/,
        );
        await deposit(ALIPAY, 'EV-P3', 'payment record');
        await expect(submit(LITIGANT, 'linkEvidence', caseId, 'EV-P3')).rejects.toThrow(/E_FORBIDDEN/);
        await expect(submit(ALIPAY, 'linkEvidence', caseId, 'EV-P3')).rejects.toThrow(/E_FORBIDDEN/);
        await expect(submit(SHANGHAI, 'linkEvidence', caseId, 'EV-P3')).rejects.toThrow(/E_FORBIDDEN/);
        expect((await listCase(caseId)).items).toEqual([]);
        expect(await getCase(caseId)).toEqual(opened);

        await deposit(LITIGANT, 'EV-P1', 'order screenshot');
        await submit(LITIGANT, 'linkEvidence', caseId, 'EV-P1');

        // The party and the court link the same deposit at once: one link.
        await deposit(LITIGANT, 'EV-P4', 'delivery record');
        const race = await atOnce([
            submit(LITIGANT, 'linkEvidence', caseId, 'EV-P4'),
            submit(HANGZHOU, 'linkEvidence', caseId, 'EV-P4'),
        ]);
        expect(race.committed).toBe(1);

        // From 庭审 on, nobody links.
        for (const stage of ['ACCEPTED', 'SERVED', 'EVIDENCE', 'TRIAL']) {
            await submit(HANGZHOU, 'advanceCase', caseId, stage);
        }
        const listed = await listCase(caseId);
        expect(listed.items.map((item: { evidence: { id: string } }) => item.evidence.id)).toEqual(['EV-P1', 'EV-P4']);
        await deposit(LITIGANT, 'EV-P5', 'late screenshot');
        await expect(submit(LITIGANT, 'linkEvidence', caseId, 'EV-P5')).rejects.toThrow(/E_EVIDENCE_CLOSED/);
        await expect(submit(HANGZHOU, 'linkEvidence', caseId, 'EV-P3')).rejects.toThrow(/E_EVIDENCE_CLOSED/);
        await submit(HANGZHOU, 'advanceCase', caseId, 'JUDGMENT');
        await expect(submit(LITIGANT, 'linkEvidence', caseId, 'EV-P5')).rejects.toThrow(/E_EVIDENCE_CLOSED/);
        expect(await listCase(caseId)).toEqual(listed);
    });

    it('shows evidence and its verifications only to the depositor and the parties and courts of its cases', async () => {
        const caseId = '(2026)浙0192民初202号';
        await caseWithParty(caseId, 'EVIDENCE');
        const stored = await deposit(ALIPAY, 'EV-R1', 'payment record 399.00');
        await submit(HANGZHOU, 'linkEvidence', caseId, 'EV-R1');
        await submit(HANGZHOU, 'recordVerification', 'EV-R1', sha256('payment record 399.00'));

        for (const who of ['MemberMSP:shop', 'MemberMSP:patient', SHANGHAI, 'RegulatorMSP:notary']) {
            await expect(getEvidence('EV-R1', who)).rejects.toThrow(/E_FORBIDDEN/);
            await expect(verifications('EV-R1', who)).rejects.toThrow(/E_FORBIDDEN/);
        }
        await expect(strangerEvidence().evaluateTransaction('getEvidence', 'EV-R1')).rejects.toThrow(/E_FORBIDDEN/);
        await expect(strangerEvidence().evaluateTransaction('getVerifications', 'EV-R1')).rejects.toThrow(
            /E_FORBIDDEN/,
        );
        for (const who of [ALIPAY, LITIGANT, HANGZHOU]) {
            expect(await getEvidence('EV-R1', who)).toEqual(stored);
            expect(await verifications('EV-R1', who)).toHaveLength(1);
        }
        await submit(HANGZHOU, 'grantCaseAccess', caseId, '上海市第一中级人民法院');
        expect(await getEvidence('EV-R1', SHANGHAI)).toEqual(stored);
        await submit(HANGZHOU, 'revokeCaseAccess', caseId, '上海市第一中级人民法院');
        await expect(getEvidence('EV-R1', SHANGHAI)).rejects.toThrow(/E_FORBIDDEN/);

        // A deposit linked to no case is its depositor's alone, courts included.
        await deposit(LITIGANT, 'EV-R2', 'draft contract');
        await expect(getEvidence('EV-R2', HANGZHOU)).rejects.toThrow(/E_FORBIDDEN/);
        expect((await getEvidence('EV-R2', LITIGANT)).id).toBe('EV-R2');
    });

    it('checks files for anyone without writing, and records verifications only as a court that may read them', async () => {
        const caseId = '(2026)浙0192民初203号';
        await caseWithParty(caseId, 'EVIDENCE');
        const file = 'chat log 2026-06-18';
        await deposit(LITIGANT, 'EV-V1', file);
        await submit(LITIGANT, 'linkEvidence', caseId, 'EV-V1');

        const height = await network.backend.explorer.getHeight();
        for (const who of ['MemberMSP:shop', 'MemberMSP:patient', ALIPAY, SHANGHAI]) {
            expect(await check(who, 'EV-V1', sha256(file))).toEqual({
                evidenceId: 'EV-V1',
                outcome: 'MATCH',
                presentedHash: sha256(file),
            });
            expect((await check(who, 'EV-V1', sha256('forged'))).outcome).toBe('MISMATCH');
        }
        await expect(check(ALIPAY, 'EV-NONE', sha256(file))).rejects.toThrow(/E_NOT_FOUND/);
        expect(await network.backend.explorer.getHeight()).toBe(height);

        for (const who of [LITIGANT, ALIPAY, 'MemberMSP:shop', SHANGHAI, 'CourtMSP:suzhou']) {
            await expect(submit(who, 'recordVerification', 'EV-V1', sha256(file))).rejects.toThrow(/E_FORBIDDEN/);
        }
        expect(await verifications('EV-V1')).toEqual([]);
        const recorded = await submit(HANGZHOU, 'recordVerification', 'EV-V1', sha256(file));
        expect(recorded).toMatchObject({ outcome: 'MATCH', verifier: { unit: '杭州互联网法院' } });
        expect(await verifications('EV-V1')).toEqual([recorded]);
    });
});
