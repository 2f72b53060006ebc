import { describe, expect, it } from 'vitest';
import {
    checkReversible,
    grantConsent,
    lockClaim,
    reimburseClaim,
    reimbursedFen,
    releaseClaim,
    requirePatient,
    withdrawConsent,
} from './claims';
import type { Receipt } from './model';
import { patientIdOf } from './rules';

const MEDICARE = { mspId: 'RegulatorMSP', unit: '医保局', role: 'reimburser', id: 'x509::medicare' };
const INSURER = { mspId: 'MemberMSP', unit: '商业保险', role: 'reimburser', id: 'x509::insurer' };
const PATIENT = { mspId: 'MemberMSP', unit: '个人', role: 'patient', id: 'x509::patient' };

/** Receipt 33010125-1: 320.00 pooled fund, 80.00 co-pay, 25.50 self-paid. */
function issued(): Receipt {
    return {
        docType: 'einvoice.receipt',
        code: '33010125',
        number: '0000000001',
        status: 'ISSUED',
        issuer: { mspId: 'MemberMSP', unit: '浙一', role: 'hospital', id: 'x509::zheyi' },
        issuedAtMinute: 1,
        amounts: { pooledFundFen: 32_000, coPayFen: 8_000, selfPaidFen: 2_550, totalFen: 42_550 },
        contentHash: 'c'.repeat(64),
        patientDetailsHash: 'd'.repeat(64),
        checkCodeHash: 'e'.repeat(64),
        patientId: patientIdOf(PATIENT),
        consents: [],
        claims: [],
        reversedAtMinute: null,
    };
}

const consented = (...parties: (typeof MEDICARE)[]) =>
    parties.reduce((receipt, party) => grantConsent(receipt, party, 'r'), issued());

describe('consent', () => {
    it("is the patient's, by certificate", () => {
        expect(() => requirePatient(issued(), PATIENT, 'r', 'consent')).not.toThrow();
        expect(() => requirePatient(issued(), { ...PATIENT, id: 'x509::someone-else' }, 'r', 'consent')).toThrow(
            /^E_FORBIDDEN: only the patient of receipt r may consent/,
        );
        expect(() => requirePatient(issued(), INSURER, 'r', 'consent')).toThrow(/^E_FORBIDDEN/);
    });

    it('is needed to lock a claim', () => {
        expect(() => lockClaim(issued(), INSURER, 100, 2, 'r')).toThrow(/^E_NO_CONSENT: the patient has not consented/);
        expect(lockClaim(consented(INSURER), INSURER, 100, 2, 'r')).toMatchObject({
            status: 'LOCKED',
            claims: [{ by: INSURER, claimFen: 100, status: 'LOCKED', lockedAtMinute: 2, reimbursedAtMinute: null }],
        });
    });

    it('is given once, kept in party order', () => {
        const both = consented(MEDICARE, INSURER);
        expect(both.consents).toEqual([
            { mspId: 'MemberMSP', unit: '商业保险' },
            { mspId: 'RegulatorMSP', unit: '医保局' },
        ]);
        expect(() => grantConsent(both, INSURER, 'r')).toThrow(/^E_EXISTS/);
    });

    it('withdrawn, releases a pending claim but never a reimbursed one', () => {
        const locked = lockClaim(consented(MEDICARE, INSURER), INSURER, 2_550, 2, 'r');
        const withdrawn = withdrawConsent(locked, INSURER, 'r');
        expect(withdrawn).toMatchObject({ status: 'ISSUED', claims: [], consents: [{ unit: '医保局' }] });
        expect(() => lockClaim(withdrawn, INSURER, 2_550, 3, 'r')).toThrow(/^E_NO_CONSENT/);
        const paid = reimburseClaim(locked, INSURER, 3, 'r');
        expect(() => withdrawConsent(paid, INSURER, 'r')).toThrow(/^E_ALREADY_REIMBURSED/);
        expect(() => withdrawConsent(issued(), INSURER, 'r')).toThrow(/^E_NOT_FOUND/);
    });
});

describe('claims', () => {
    it('split a receipt between reimbursers, never above the face amount', () => {
        let receipt = consented(MEDICARE, INSURER);
        receipt = lockClaim(receipt, MEDICARE, 32_000, 2, 'r');
        expect(() => lockClaim(receipt, INSURER, 10_551, 2, 'r')).toThrow(
            /^E_CLAIM_EXCEEDS_FACE: claim 10551 fen exceeds the 10550 fen that other claims leave/,
        );
        receipt = lockClaim(receipt, INSURER, 2_550, 2, 'r');
        receipt = reimburseClaim(receipt, MEDICARE, 3, 'r');
        expect(receipt.status).toBe('LOCKED');
        receipt = reimburseClaim(receipt, INSURER, 4, 'r');
        expect(receipt.status).toBe('REIMBURSED');
        expect(reimbursedFen(receipt)).toBe(34_550);
        expect(receipt.claims.map((claim) => [claim.by.unit, claim.status])).toEqual([
            ['商业保险', 'REIMBURSED'],
            ['医保局', 'REIMBURSED'],
        ]);
    });

    it('are reimbursed at most once per reimburser: E_ALREADY_REIMBURSED whatever it tries again', () => {
        const paid = reimburseClaim(lockClaim(consented(MEDICARE), MEDICARE, 100, 2, 'r'), MEDICARE, 3, 'r');
        expect(() => reimburseClaim(paid, MEDICARE, 4, 'r')).toThrow(
            /^E_ALREADY_REIMBURSED: receipt r was already reimbursed to RegulatorMSP\/医保局/,
        );
        expect(() => lockClaim(paid, MEDICARE, 100, 4, 'r')).toThrow(/^E_ALREADY_REIMBURSED/);
        expect(() => releaseClaim(paid, MEDICARE, 'r')).toThrow(/^E_ALREADY_REIMBURSED/);
        expect(() => checkReversible(paid, 'r')).toThrow(/^E_ALREADY_REIMBURSED/);
    });

    it('are one per reimburser, and only the holder finalizes or releases its own', () => {
        const locked = lockClaim(consented(MEDICARE, INSURER), MEDICARE, 100, 2, 'r');
        expect(() => lockClaim(locked, MEDICARE, 100, 2, 'r')).toThrow(/^E_LOCKED/);
        expect(() => reimburseClaim(locked, INSURER, 3, 'r')).toThrow(
            /^E_FORBIDDEN: MemberMSP\/商业保险 holds no claim/,
        );
        expect(() => releaseClaim(locked, INSURER, 'r')).toThrow(/^E_FORBIDDEN/);
        expect(releaseClaim(locked, MEDICARE, 'r')).toMatchObject({ status: 'ISSUED', claims: [] });
    });
});

describe('reversal (红冲)', () => {
    it('needs a receipt nobody claimed, and voids it for every later claim', () => {
        expect(() => checkReversible(issued(), 'r')).not.toThrow();
        const locked = lockClaim(consented(MEDICARE), MEDICARE, 100, 2, 'r');
        expect(() => checkReversible(locked, 'r')).toThrow(/^E_BAD_STATE/);
        const reversed: Receipt = { ...consented(MEDICARE), status: 'REVERSED', reversedAtMinute: 3 };
        expect(() => lockClaim(reversed, MEDICARE, 100, 4, 'r')).toThrow(/^E_REVERSED/);
        expect(() => grantConsent(reversed, INSURER, 'r')).toThrow(/^E_REVERSED/);
        expect(() => checkReversible(reversed, 'r')).toThrow(/^E_REVERSED/);
    });
});
