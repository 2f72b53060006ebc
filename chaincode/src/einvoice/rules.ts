import {
    type Actor,
    alreadyExists,
    badInput,
    badState,
    type Caller,
    type ErrorCode,
    fen,
    forbidden,
    identifier,
    label,
    notFound,
    type Party,
    partyName,
    partyOf,
    refuse,
    sameParty,
    sha256Hex,
    sha256HexSchema,
    z,
} from '../lib';
import type { Receipt, ReceiptClaim, ReceiptRange, ReceiptStatus } from './model';

/**
 * The business rules of 区块链电子票据 that need no ledger: formats, amounts, ranges and the
 * state machine. The contract calls them; unit tests pin them down.
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

export function rangeContains(range: { start: string; end: string }, number: string): boolean {
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

/** Claims and consents are kept in MSP and unit order, so one set of them has one JSON. */
function byParty(a: Party, b: Party): number {
    return a.mspId === b.mspId ? (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0) : a.mspId < b.mspId ? -1 : 1;
}

/** What the claims make of a receipt that is not reversed. */
export function statusOf(claims: readonly ReceiptClaim[]): ReceiptStatus {
    if (claims.some((claim) => claim.status === 'LOCKED')) {
        return 'LOCKED';
    }
    return claims.length > 0 ? 'REIMBURSED' : 'ISSUED';
}

/** The sum of the claims, pending and paid: what the face amount no longer covers. */
export function claimedFen(receipt: Pick<Receipt, 'claims'>): number {
    return receipt.claims.reduce((sum, claim) => sum + claim.claimFen, 0);
}

export function reimbursedFen(receipt: Pick<Receipt, 'claims'>): number {
    return receipt.claims.filter((claim) => claim.status === 'REIMBURSED').reduce((sum, c) => sum + c.claimFen, 0);
}

export function claimBy(receipt: Pick<Receipt, 'claims'>, party: Party): ReceiptClaim | undefined {
    return receipt.claims.find((claim) => sameParty(party, claim.by));
}

function withClaims(receipt: Receipt, claims: ReceiptClaim[]): Receipt {
    const sorted = [...claims].sort((a, b) => byParty(a.by, b.by));
    return { ...receipt, claims: sorted, status: statusOf(sorted) };
}

function requireNotReversed(receipt: Receipt, id: string): void {
    if (receipt.status === 'REVERSED') {
        throw refuse(EINVOICE_CODES.REVERSED, `receipt ${id} was reversed (红冲) and is void`);
    }
}

/** The patient named on the receipt, by certificate; anyone else is refused. */
export function requirePatient(receipt: Receipt, caller: Caller, id: string, action: string): void {
    if (patientIdOf(caller) !== receipt.patientId) {
        throw forbidden(`only the patient of receipt ${id} may ${action}`);
    }
}

/** The patient consents to one reimburser claiming the receipt, once. */
export function grantConsent(receipt: Receipt, reimburser: Party, id: string): Receipt {
    requireNotReversed(receipt, id);
    if (receipt.consents.some((party) => sameParty(party, reimburser))) {
        throw alreadyExists(`the patient's consent to ${partyName(reimburser)} claiming receipt ${id}`);
    }
    return { ...receipt, consents: [...receipt.consents, partyOf(reimburser)].sort(byParty) };
}

/**
 * The patient withdraws a consent. A pending claim of that reimburser is released with it (the
 * patient takes the claim back before it is decided); a reimbursed one stays, and so does its
 * consent: `E_ALREADY_REIMBURSED`.
 */
export function withdrawConsent(receipt: Receipt, reimburser: Party, id: string): Receipt {
    requireNotReversed(receipt, id);
    if (!receipt.consents.some((party) => sameParty(party, reimburser))) {
        throw notFound(`the patient's consent to ${partyName(reimburser)} claiming receipt ${id}`);
    }
    if (claimBy(receipt, reimburser)?.status === 'REIMBURSED') {
        throw alreadyReimbursed(reimburser, id);
    }
    const released = withClaims(
        receipt,
        receipt.claims.filter((claim) => !sameParty(reimburser, claim.by)),
    );
    return { ...released, consents: receipt.consents.filter((party) => !sameParty(party, reimburser)) };
}

/**
 * A reimburser locks its claim: with the patient's consent, one claim per reimburser, and never
 * above what the other claims leave of the face amount. Several reimbursers may hold claims at
 * once (医保 the pooled part, a commercial insurer part of the self-paid part).
 */
export function lockClaim(receipt: Receipt, reimburser: Actor, claimFen: number, minute: number, id: string): Receipt {
    requireNotReversed(receipt, id);
    const existing = claimBy(receipt, reimburser);
    if (existing?.status === 'REIMBURSED') {
        throw alreadyReimbursed(reimburser, id);
    }
    if (existing) {
        throw refuse(EINVOICE_CODES.LOCKED, `${partyName(reimburser)} already holds a claim on receipt ${id}`);
    }
    if (!receipt.consents.some((party) => sameParty(party, reimburser))) {
        throw refuse(
            EINVOICE_CODES.NO_CONSENT,
            `the patient has not consented to ${partyName(reimburser)} claiming receipt ${id}`,
        );
    }
    const left = receipt.amounts.totalFen - claimedFen(receipt);
    if (claimFen > left) {
        throw refuse(
            EINVOICE_CODES.CLAIM_EXCEEDS_FACE,
            `claim ${claimFen} fen exceeds the ${left} fen that other claims leave of the face amount ${receipt.amounts.totalFen} fen of receipt ${id}`,
        );
    }
    const claim: ReceiptClaim = {
        by: reimburser,
        claimFen,
        status: 'LOCKED',
        lockedAtMinute: minute,
        reimbursedAtMinute: null,
    };
    return withClaims(receipt, [...receipt.claims, claim]);
}

/** The claim `reimburser` holds pending; refused unless it holds one. */
function pendingClaimOf(receipt: Receipt, reimburser: Party, action: string, id: string): ReceiptClaim {
    requireNotReversed(receipt, id);
    const claim = claimBy(receipt, reimburser);
    if (claim?.status === 'REIMBURSED') {
        throw alreadyReimbursed(reimburser, id);
    }
    if (!claim) {
        throw forbidden(`${partyName(reimburser)} holds no claim on receipt ${id} to ${action}`);
    }
    return claim;
}

/** The reimburser holding a pending claim releases it. */
export function releaseClaim(receipt: Receipt, reimburser: Party, id: string): Receipt {
    const released = pendingClaimOf(receipt, reimburser, 'unlock', id);
    return withClaims(
        receipt,
        receipt.claims.filter((claim) => claim !== released),
    );
}

/** The reimburser holding a pending claim pays it: once, for good (the core anti-fraud rule). */
export function reimburseClaim(receipt: Receipt, reimburser: Party, minute: number, id: string): Receipt {
    const paid = pendingClaimOf(receipt, reimburser, 'reimburse', id);
    return withClaims(
        receipt,
        receipt.claims.map((claim) =>
            claim === paid ? { ...claim, status: 'REIMBURSED', reimbursedAtMinute: minute } : claim,
        ),
    );
}

/** The issuer may reverse (红冲) a receipt nobody has claimed. */
export function checkReversible(receipt: Receipt, id: string): void {
    requireNotReversed(receipt, id);
    if (receipt.status === 'REIMBURSED') {
        throw refuse(EINVOICE_CODES.ALREADY_REIMBURSED, `receipt ${id} was already reimbursed`);
    }
    if (receipt.claims.length > 0) {
        throw badState(`cannot reverse receipt ${id}: it is ${receipt.status}, reversing needs ISSUED`);
    }
}

function alreadyReimbursed(reimburser: Party, id: string) {
    return refuse(
        EINVOICE_CODES.ALREADY_REIMBURSED,
        `receipt ${id} was already reimbursed to ${partyName(reimburser)}`,
    );
}
