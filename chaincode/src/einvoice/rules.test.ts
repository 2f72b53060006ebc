import { describe, expect, it } from 'vitest';
import { checkAmounts, checkClaim, checkTransition, rangesOverlap, receiptNumber, findRange } from './rules';
import type { ReceiptRange } from './model';

describe('receipt numbers', () => {
    it('are padded to 10 digits so one receipt has one key', () => {
        expect(receiptNumber.parse('1')).toBe('0000000001');
        expect(receiptNumber.parse('0000000001')).toBe('0000000001');
        expect(receiptNumber.safeParse('12a').success).toBe(false);
    });
});

describe('amounts', () => {
    it('total must be the sum of pooled fund, co-pay and self-paid', () => {
        expect(() => checkAmounts({ pooledFundFen: 100, coPayFen: 20, selfPaidFen: 5, totalFen: 125 })).not.toThrow();
        expect(() => checkAmounts({ pooledFundFen: 100, coPayFen: 20, selfPaidFen: 5, totalFen: 126 })).toThrow(
            /^E_BAD_INPUT: totalFen 126/,
        );
    });

    it('a claim may not exceed the face amount', () => {
        expect(() => checkClaim(125, 125, 'r')).not.toThrow();
        expect(() => checkClaim(126, 125, 'r')).toThrow(/^E_CLAIM_EXCEEDS_FACE/);
    });
});

describe('ranges', () => {
    const a = { start: '0000000001', end: '0000000100' };

    it('overlap when they share a number', () => {
        expect(rangesOverlap(a, { start: '0000000100', end: '0000000200' })).toBe(true);
        expect(rangesOverlap(a, { start: '0000000101', end: '0000000200' })).toBe(false);
    });

    it('contain numbers inclusively', () => {
        const ranges = [{ ...a, hospitalUnit: 'x' } as ReceiptRange];
        expect(findRange(ranges, '0000000100')?.hospitalUnit).toBe('x');
        expect(findRange(ranges, '0000000101')).toBeUndefined();
    });
});

describe('state machine', () => {
    it('allows ISSUED → LOCKED → REIMBURSED, LOCKED → ISSUED, ISSUED → REVERSED', () => {
        expect(() => checkTransition('ISSUED', 'lock', 'r')).not.toThrow();
        expect(() => checkTransition('LOCKED', 'reimburse', 'r')).not.toThrow();
        expect(() => checkTransition('LOCKED', 'unlock', 'r')).not.toThrow();
        expect(() => checkTransition('ISSUED', 'reverse', 'r')).not.toThrow();
    });

    it('refuses everything on a reimbursed receipt with E_ALREADY_REIMBURSED', () => {
        for (const action of ['lock', 'unlock', 'reimburse', 'reverse'] as const) {
            expect(() => checkTransition('REIMBURSED', action, '33010125-0000000001')).toThrow(
                /^E_ALREADY_REIMBURSED: receipt 33010125-0000000001/,
            );
        }
    });

    it('refuses a second lock, reimbursing an unlocked receipt and reversing a locked one', () => {
        expect(() => checkTransition('LOCKED', 'lock', 'r')).toThrow(/^E_LOCKED/);
        expect(() => checkTransition('ISSUED', 'reimburse', 'r')).toThrow(/^E_BAD_STATE/);
        expect(() => checkTransition('LOCKED', 'reverse', 'r')).toThrow(/^E_BAD_STATE/);
        expect(() => checkTransition('REVERSED', 'lock', 'r')).toThrow(/^E_REVERSED/);
    });
});
