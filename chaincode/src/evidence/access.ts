import { forbidden, refuse } from '../lib/errors';
import type { Actor } from '../lib/party';
import { type CaseRecord, EVIDENCE_PERIOD, type EvidenceRecord } from './model';
import { assertOpen, EVIDENCE_CODES, isCourt } from './rules';

/**
 * Who may link evidence to a case and who may read it, as pure rules.
 *
 * - A case's courts are its owning court and the courts it granted access to; its parties are the
 *   certificates the owning court named (`addCaseParty`).
 * - Evidence is linked during the evidence period only (起诉 through 举证质证), by a party of the
 *   case linking its own deposit, or by the owning court linking any deposit (a platform's
 *   payment record, a notary's deposit). A party may not link someone else's deposit: linking is
 *   what lets a case's parties read a deposit, so it would let them read anyone's.
 * - An evidence record and its recorded verifications are read by its depositor and by the
 *   parties and courts of every case it is linked to. Anyone else learns only whether a file
 *   matches it (`verifyEvidence`).
 */

/** A deposit's depositor: the same certificate (MSP and id). */
function isDepositor(evidence: EvidenceRecord, caller: Actor): boolean {
    return caller.mspId === evidence.depositor.mspId && caller.id === evidence.depositor.id;
}

function isParty(record: CaseRecord, caller: Actor): boolean {
    return record.parties.includes(caller.id);
}

/** The owning court, or a court it granted access to. */
function isCaseCourt(record: CaseRecord, caller: Actor): boolean {
    return isCourt(caller) && (caller.unit === record.court || record.grants.includes(caller.unit));
}

/** The owning court and courts it granted access to read a case's evidence and sealed material. */
export function assertCanReadCase(record: CaseRecord, caller: Actor): void {
    if (!isCaseCourt(record, caller)) {
        throw forbidden(
            `case ${record.id} belongs to ${record.court}; ${caller.unit || caller.mspId} has no grant to read it`,
        );
    }
}

/** The case's courts and its parties read its evidence list (sealed material stays with the courts). */
export function assertCanReadCaseEvidence(record: CaseRecord, caller: Actor): void {
    if (!isParty(record, caller)) {
        assertCanReadCase(record, caller);
    }
}

/**
 * Evidence is linked while the case is in its evidence period, by the owning court (any deposit)
 * or by a party of the case (its own deposits).
 */
export function assertCanLink(record: CaseRecord, evidence: EvidenceRecord, caller: Actor): void {
    assertOpen(record);
    if (!EVIDENCE_PERIOD.includes(record.stage)) {
        throw refuse(
            EVIDENCE_CODES.EVIDENCE_CLOSED,
            `case ${record.id} is at ${record.stage}; evidence is linked only up to 举证质证 (EVIDENCE)`,
        );
    }
    const isOwningCourt = isCourt(caller) && caller.unit === record.court;
    if (isOwningCourt || (isParty(record, caller) && isDepositor(evidence, caller))) {
        return;
    }
    throw forbidden(
        isParty(record, caller)
            ? `a party links only its own deposits; evidence ${evidence.id} was deposited by ${evidence.depositor.unit}`
            : `only ${record.court} or a party of case ${record.id} may link evidence to it`,
    );
}

/** The depositor, or a party or court of a case the evidence is linked to (`cases`). */
export function assertCanReadEvidence(evidence: EvidenceRecord, cases: readonly CaseRecord[], caller: Actor): void {
    if (isDepositor(evidence, caller)) {
        return;
    }
    if (cases.some((record) => isParty(record, caller) || isCaseCourt(record, caller))) {
        return;
    }
    throw forbidden(
        `evidence ${evidence.id} is read by its depositor and the parties and courts of the cases it is linked to`,
    );
}
