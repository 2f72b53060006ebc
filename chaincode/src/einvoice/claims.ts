import {
    type Actor,
    alreadyExists,
    badState,
    type Caller,
    forbidden,
    notFound,
    type Party,
    partyName,
    partyOf,
    refuse,
    sameParty,
} from '../lib';
import type { Receipt, ReceiptClaim, ReceiptStatus } from './model';
import { EINVOICE_CODES, patientIdOf } from './rules';

/**
 * A receipt's state machine, with no ledger: the patient's consents, the reimbursers' claims
 * (locked, released, reimbursed once) and the issuer's reversal (红冲). The contract calls these;
 * unit tests pin them down.
 */

/** Claims and consents are kept in MSP and unit order, so one set of them has one JSON. */
function byParty(a: Party, b: Party): number {
    return a.mspId === b.mspId ? (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0) : a.mspId < b.mspId ? -1 : 1;
}

/** What the claims make of a receipt that is not reversed. */
function statusOf(claims: readonly ReceiptClaim[]): ReceiptStatus {
    if (claims.some((claim) => claim.status === 'LOCKED')) {
        return 'LOCKED';
    }
    return claims.length > 0 ? 'REIMBURSED' : 'ISSUED';
}

/** The sum of the claims, pending and paid: what the face amount no longer covers. */
function claimedFen(receipt: Pick<Receipt, 'claims'>): number {
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
