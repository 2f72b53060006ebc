import { badInput, type Caller, type ErrorCode, fen, identifier, label, sha256Hex, sha256HexSchema, z } from '../lib';
import type { ReceiptRange } from './model';

/**
 * The business rules of 区块链电子票据 that need no ledger: error codes, formats, amounts, ranges
 * and the patient's pseudonym. What consents and claims do to a receipt is in `claims.ts`. The
 * contract calls them; unit tests pin them down.
 */

export const EINVOICE_CODES = {
    RANGE_OVERLAP: 'E_RANGE_OVERLAP',
    NOT_ALLOCATED: 'E_NOT_ALLOCATED',
    CLAIM_EXCEEDS_FACE: 'E_CLAIM_EXCEEDS_FACE',
    ALREADY_REIMBURSED: 'E_ALREADY_REIMBURSED',
    REVERSED: 'E_REVERSED',
    /** The reimburser already holds a pending claim on the receipt. */
    LOCKED: 'E_LOCKED',
    /** The patient has not consented to this reimburser claiming the receipt. */
    NO_CONSENT: 'E_NO_CONSENT',
    /** A verification found no receipt with this code, number and check code (it says no more). */
    VERIFY_FAILED: 'E_VERIFY_FAILED',
} as const satisfies Record<string, ErrorCode>;

/** 票据代码: 8 digits. */
export const receiptCode = z.string().regex(/^\d{8}$/, 'expected an 8-digit receipt code');

/** 票据号码: 1–10 digits; stored zero-padded to 10 so that "1" and "0000000001" are one receipt. */
export const receiptNumber = z
    .string()
    .regex(/^\d{1,10}$/, 'expected a receipt number of 1-10 digits')
    .transform((digits) => digits.padStart(10, '0'));

export const checkCodeSchema = z
    .string()
    .regex(/^[0-9A-Za-z]{4,12}$/, 'expected a check code of 4-12 letters or digits');

export const RangeInput = z
    .object({
        code: receiptCode,
        start: receiptNumber,
        end: receiptNumber,
        hospitalMspId: identifier,
        hospitalUnit: label,
    })
    .strict();

export const ReceiptInput = z
    .object({
        checkCode: checkCodeSchema,
        pooledFundFen: fen,
        coPayFen: fen,
        selfPaidFen: fen,
        totalFen: fen,
        contentHash: sha256HexSchema,
        patientId: sha256HexSchema,
    })
    .strict();

export const PatientDetailsInput = z
    .object({
        name: label,
        idNumber: z.string().regex(/^[0-9A-Za-z]{6,32}$/, 'expected 6-32 letters or digits'),
        department: label.optional(),
        visitDate: z
            .string()
            .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
            .optional(),
    })
    .strict();

export const claimAmount = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** `33010125-0000000001`, the id people and messages use. */
export function receiptId(code: string, number: string): string {
    return `${code}-${number}`;
}

/** The face amount is the sum of its parts; a receipt with anything else is refused. */
export function checkAmounts(input: {
    pooledFundFen: number;
    coPayFen: number;
    selfPaidFen: number;
    totalFen: number;
}): void {
    const sum = input.pooledFundFen + input.coPayFen + input.selfPaidFen;
    if (sum !== input.totalFen) {
        throw badInput(`totalFen ${input.totalFen} must equal pooledFundFen + coPayFen + selfPaidFen = ${sum}`);
    }
    if (input.totalFen === 0) {
        throw badInput('a receipt must have a positive total');
    }
}

export function checkRangeBounds(range: { start: string; end: string }): void {
    if (range.start > range.end) {
        throw badInput(`range start ${range.start} is after its end ${range.end}`);
    }
}

/** Two ranges of one code overlap if neither ends before the other starts (numbers are fixed-width). */
export function rangesOverlap(a: { start: string; end: string }, b: { start: string; end: string }): boolean {
    return a.start <= b.end && b.start <= a.end;
}

function rangeContains(range: { start: string; end: string }, number: string): boolean {
    return range.start <= number && number <= range.end;
}

export function findRange(ranges: readonly ReceiptRange[], number: string): ReceiptRange | undefined {
    return ranges.find((range) => rangeContains(range, number));
}

/** The hash that stands in for the check code: bound to the receipt so equal codes differ. */
export function checkCodeHashInput(code: string, number: string, check: string): string {
    return `${code}-${number}-${check}`;
}

/**
 * The patient's pseudonym: SHA-256 of the certificate the patient signs with, in a domain of its
 * own so that it matches no id another contract derives from the same certificate.
 */
export function patientIdOf(caller: Pick<Caller, 'mspId' | 'id'>): string {
    return sha256Hex(`einvoice.patient|${caller.mspId}|${caller.id}`);
}
