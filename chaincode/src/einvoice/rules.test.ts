import { describe, expect, it } from 'vitest';
import { checkAmounts, rangesOverlap, receiptNumber, findRange } from './rules';
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
