import { describe, expect, it } from 'vitest';
import type { Actor } from '../lib/party';
import type { EvidenceRecord } from './model';
import { advanceStage, assertCanLink, assertCanReadCase, grantAccess, openCase, revokeAccess, verify } from './rules';

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
const HASH = 'ab'.repeat(32);

function filed() {
    return openCase({ caseId: '(2026)浙0192民初1号', title: '网络购物合同纠纷' }, hangzhou, NOW, 't0');
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

    it('evidence is linked by its depositor or the case court, not by strangers', () => {
        expect(() => assertCanLink(filed(), evidenceBy(litigant), litigant)).not.toThrow();
        expect(() => assertCanLink(filed(), evidenceBy(litigant), hangzhou)).not.toThrow();
        expect(() => assertCanLink(filed(), evidenceBy(litigant), platform)).toThrow(/^E_FORBIDDEN/);
        const archived = { ...filed(), stage: 'ARCHIVED' as const };
        expect(() => assertCanLink(archived, evidenceBy(litigant), litigant)).toThrow(/^E_CASE_CLOSED/);
    });
});

describe('verification', () => {
    it('reports MATCH only for the deposited hash', () => {
        expect(verify(evidenceBy(litigant), HASH, platform, NOW, 't').outcome).toBe('MATCH');
        expect(verify(evidenceBy(litigant), 'cd'.repeat(32), platform, NOW, 't').outcome).toBe('MISMATCH');
    });
});
