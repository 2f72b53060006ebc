import { describe, expect, it } from 'vitest';
import type { Actor } from '../lib/party';
import { assertCanLink, assertCanReadCase, assertCanReadCaseEvidence, assertCanReadEvidence } from './access';
import type { CaseRecord, CaseStage, EvidenceRecord } from './model';
import { addParty, advanceStage, check, grantAccess, openCase, revokeAccess, verify } from './rules';

const NOW = 29_000_000;
const hangzhou: Actor = { mspId: 'CourtMSP', role: 'court', unit: '杭州互联网法院', id: 'x509::CN=hangzhou' };
const shanghai: Actor = {
    mspId: 'CourtMSP',
    role: 'court',
    unit: '上海市第一中级人民法院',
    id: 'x509::CN=shanghai',
};
const litigant: Actor = { mspId: 'MemberMSP', role: 'party', unit: '当事人', id: 'x509::CN=litigant' };
const platform: Actor = {
    mspId: 'PlatformMSP',
    role: 'platform',
    unit: '支付宝/蚂蚁区块链',
    id: 'x509::CN=alipay',
};
const opponent: Actor = { ...litigant, id: 'x509::CN=opponent' };
const HASH = 'ab'.repeat(32);

function filed() {
    return openCase({ caseId: '(2026)浙0192民初1号', title: '网络购物合同纠纷' }, hangzhou, NOW, 't0');
}

/** A case of 杭州互联网法院 at `stage`, with the litigant and the opponent as its parties. */
function withParties(stage: CaseStage = 'EVIDENCE'): CaseRecord {
    return { ...addParty(addParty(filed(), litigant.id, hangzhou), opponent.id, hangzhou), stage };
}

function evidenceBy(depositor: Actor): EvidenceRecord {
    return {
        docType: 'evidence.item',
        id: 'EV1',
        hash: HASH,
        title: '聊天记录',
        type: 'chat-log',
        sizeBytes: 1024,
        depositor,
        depositedAtMinute: NOW,
        txId: 't1',
    };
}

describe('case stages', () => {
    it('only courts open cases', () => {
        expect(() => openCase({ caseId: 'C', title: 't' }, litigant, NOW, 't')).toThrow(/^E_FORBIDDEN/);
        expect(filed().stage).toBe('FILED');
    });

    it('advance strictly one step forward', () => {
        const accepted = advanceStage(filed(), 'ACCEPTED', hangzhou, NOW, 't1');
        expect(accepted.stages.map((entry) => entry.stage)).toEqual(['FILED', 'ACCEPTED']);
        expect(() => advanceStage(accepted, 'FILED', hangzhou, NOW, 't2')).toThrow(/^E_STAGE_BACKWARDS/);
        expect(() => advanceStage(accepted, 'ACCEPTED', hangzhou, NOW, 't2')).toThrow(/^E_STAGE_BACKWARDS/);
        expect(() => advanceStage(accepted, 'TRIAL', hangzhou, NOW, 't2')).toThrow(/^E_STAGE_SKIPPED/);
    });

    it('only the owning court moves a case', () => {
        expect(() => advanceStage(filed(), 'ACCEPTED', shanghai, NOW, 't1')).toThrow(/^E_FORBIDDEN/);
        expect(() => advanceStage(filed(), 'ACCEPTED', litigant, NOW, 't1')).toThrow(/^E_FORBIDDEN/);
    });
});

describe('case access', () => {
    it('another court reads only with a grant, until revoked', () => {
        expect(() => assertCanReadCase(filed(), shanghai)).toThrow(/^E_FORBIDDEN/);
        const granted = grantAccess(filed(), shanghai.unit, hangzhou);
        expect(() => assertCanReadCase(granted, shanghai)).not.toThrow();
        expect(() => grantAccess(filed(), shanghai.unit, shanghai)).toThrow(/^E_FORBIDDEN/);
        expect(() => assertCanReadCase(revokeAccess(granted, shanghai.unit, hangzhou), shanghai)).toThrow(
            /^E_FORBIDDEN/,
        );
        expect(() => assertCanReadCase(filed(), litigant)).toThrow(/^E_FORBIDDEN/);
    });

    it('only the owning court names parties, once each, while the case is open', () => {
        expect(withParties().parties).toEqual([litigant.id, opponent.id].sort());
        expect(() => addParty(filed(), litigant.id, shanghai)).toThrow(/^E_FORBIDDEN/);
        expect(() => addParty(filed(), litigant.id, litigant)).toThrow(/^E_FORBIDDEN/);
        expect(() => addParty(withParties(), litigant.id, hangzhou)).toThrow(/^E_EXISTS/);
        expect(() => addParty({ ...filed(), stage: 'ARCHIVED' }, litigant.id, hangzhou)).toThrow(/^E_CASE_CLOSED/);
    });

    it('evidence is linked by a party (its own deposits) or the case court, not by strangers', () => {
        expect(() => assertCanLink(withParties(), evidenceBy(litigant), litigant)).not.toThrow();
        expect(() => assertCanLink(withParties(), evidenceBy(platform), hangzhou)).not.toThrow();
        expect(() => assertCanLink(filed(), evidenceBy(litigant), litigant)).toThrow(/^E_FORBIDDEN/);
        expect(() => assertCanLink(withParties(), evidenceBy(platform), litigant)).toThrow(/^E_FORBIDDEN/);
        expect(() => assertCanLink(withParties(), evidenceBy(litigant), opponent)).toThrow(/^E_FORBIDDEN/);
        expect(() => assertCanLink(withParties(), evidenceBy(platform), platform)).toThrow(/^E_FORBIDDEN/);
        expect(() => assertCanLink(withParties(), evidenceBy(litigant), shanghai)).toThrow(/^E_FORBIDDEN/);
    });

    it('evidence is linked from 起诉 through 举证质证 only', () => {
        for (const stage of ['FILED', 'ACCEPTED', 'SERVED', 'EVIDENCE'] as const) {
            expect(() => assertCanLink(withParties(stage), evidenceBy(litigant), litigant)).not.toThrow();
        }
        for (const stage of ['TRIAL', 'JUDGMENT', 'ENFORCEMENT'] as const) {
            expect(() => assertCanLink(withParties(stage), evidenceBy(litigant), litigant)).toThrow(
                /^E_EVIDENCE_CLOSED/,
            );
            expect(() => assertCanLink(withParties(stage), evidenceBy(litigant), hangzhou)).toThrow(
                /^E_EVIDENCE_CLOSED/,
            );
        }
        expect(() => assertCanLink(withParties('ARCHIVED'), evidenceBy(litigant), litigant)).toThrow(/^E_CASE_CLOSED/);
    });

    it('evidence is read by its depositor and the parties and courts of its cases', () => {
        const evidence = evidenceBy(platform);
        expect(() => assertCanReadEvidence(evidence, [], platform)).not.toThrow();
        expect(() => assertCanReadEvidence(evidence, [], hangzhou)).toThrow(/^E_FORBIDDEN/);
        expect(() => assertCanReadEvidence(evidence, [withParties()], opponent)).not.toThrow();
        expect(() => assertCanReadEvidence(evidence, [withParties()], hangzhou)).not.toThrow();
        expect(() => assertCanReadEvidence(evidence, [withParties()], shanghai)).toThrow(/^E_FORBIDDEN/);
        const granted = grantAccess(withParties(), shanghai.unit, hangzhou);
        expect(() => assertCanReadEvidence(evidence, [granted], shanghai)).not.toThrow();
        expect(() => assertCanReadCaseEvidence(withParties(), opponent)).not.toThrow();
        expect(() => assertCanReadCaseEvidence(filed(), opponent)).toThrow(/^E_FORBIDDEN/);
        expect(() => assertCanReadCase(withParties(), opponent)).toThrow(/^E_FORBIDDEN/);
    });
});

describe('verification', () => {
    it('reports MATCH only for the deposited hash', () => {
        expect(verify(evidenceBy(litigant), HASH, hangzhou, NOW, 't').outcome).toBe('MATCH');
        expect(verify(evidenceBy(litigant), 'cd'.repeat(32), hangzhou, NOW, 't').outcome).toBe('MISMATCH');
    });

    it('a public check says whether the file matches, and nothing about the deposit', () => {
        expect(check(evidenceBy(litigant), HASH)).toEqual({ evidenceId: 'EV1', presentedHash: HASH, outcome: 'MATCH' });
    });
});
