import { badInput, COMMON_CODES, type ErrorCode, forbidden, refuse } from '../lib/errors';
import type { Actor } from '../lib/party';
import {
    type CaseRecord,
    type CaseStage,
    CASE_STAGES,
    type EvidenceCheck,
    type EvidenceRecord,
    type EvidenceVerification,
} from './model';

/**
 * The business rules of 司法链存证 as pure functions: stage order, a case's parties, and what a
 * verification says. Who may link and read is in `access.ts`. The contract loads, checks
 * existence, stores and emits.
 */

export const EVIDENCE_CODES = {
    STAGE_BACKWARDS: 'E_STAGE_BACKWARDS',
    STAGE_SKIPPED: 'E_STAGE_SKIPPED',
    CASE_CLOSED: 'E_CASE_CLOSED',
    /** The case is past 举证质证: no more evidence may be linked to it. */
    EVIDENCE_CLOSED: 'E_EVIDENCE_CLOSED',
} as const satisfies Record<string, ErrorCode>;

/** A court user: CourtMSP with role `court`; its `unit` names the court. */
export function isCourt(party: Actor): boolean {
    return party.mspId === 'CourtMSP' && party.role === 'court' && party.unit !== '';
}

export function openCase(
    input: { caseId: string; title: string },
    court: Actor,
    nowMinute: number,
    txId: string,
): CaseRecord {
    if (!isCourt(court)) {
        throw forbidden(`only a court opens case ${input.caseId}`);
    }
    return {
        docType: 'evidence.case',
        id: input.caseId,
        court: court.unit,
        title: input.title,
        stage: 'FILED',
        stages: [{ stage: 'FILED', atMinute: nowMinute, by: court.id, txId }],
        grants: [],
        parties: [],
        openedAtMinute: nowMinute,
    };
}

/** Only the court a case belongs to changes it. */
export function assertOwningCourt(record: CaseRecord, caller: Actor): void {
    if (!isCourt(caller) || caller.unit !== record.court) {
        throw forbidden(
            `case ${record.id} belongs to ${record.court}; ${caller.unit || caller.mspId} may not change it`,
        );
    }
}

/**
 * Stages advance strictly to the next one: no going back (`E_STAGE_BACKWARDS`, also for the
 * current stage) and no skipping (`E_STAGE_SKIPPED`), so every case shows every step with its
 * time and court user.
 */
export function advanceStage(
    record: CaseRecord,
    target: CaseStage,
    caller: Actor,
    nowMinute: number,
    txId: string,
): CaseRecord {
    assertOwningCourt(record, caller);
    const current = CASE_STAGES.indexOf(record.stage);
    const wanted = CASE_STAGES.indexOf(target);
    if (wanted <= current) {
        throw refuse(
            EVIDENCE_CODES.STAGE_BACKWARDS,
            `case ${record.id} is at ${record.stage}; it cannot go back to ${target}`,
        );
    }
    if (wanted > current + 1) {
        throw refuse(
            EVIDENCE_CODES.STAGE_SKIPPED,
            `case ${record.id} is at ${record.stage}; the next stage is ${CASE_STAGES[current + 1]}, not ${target}`,
        );
    }
    return {
        ...record,
        stage: target,
        stages: [...record.stages, { stage: target, atMinute: nowMinute, by: caller.id, txId }],
    };
}

export function assertOpen(record: CaseRecord): void {
    if (record.stage === 'ARCHIVED') {
        throw refuse(EVIDENCE_CODES.CASE_CLOSED, `case ${record.id} is archived`);
    }
}

/**
 * The owning court names a party of an open case by certificate id. Chaincode cannot look up a
 * certificate by id, so the court vouches for it, as it verifies a litigant's identity at 立案.
 */
export function addParty(record: CaseRecord, partyId: string, caller: Actor): CaseRecord {
    assertOwningCourt(record, caller);
    assertOpen(record);
    if (record.parties.includes(partyId)) {
        throw refuse(COMMON_CODES.EXISTS, `${partyId} is already a party of case ${record.id}`);
    }
    return { ...record, parties: [...record.parties, partyId].sort() };
}

export function grantAccess(record: CaseRecord, grantee: string, caller: Actor): CaseRecord {
    assertOwningCourt(record, caller);
    if (grantee === record.court) {
        throw badInput(`${grantee} owns case ${record.id}; it needs no grant`);
    }
    if (record.grants.includes(grantee)) {
        throw refuse(COMMON_CODES.EXISTS, `${grantee} already has access to case ${record.id}`);
    }
    return { ...record, grants: [...record.grants, grantee].sort() };
}

export function revokeAccess(record: CaseRecord, grantee: string, caller: Actor): CaseRecord {
    assertOwningCourt(record, caller);
    if (!record.grants.includes(grantee)) {
        throw refuse(COMMON_CODES.NOT_FOUND, `${grantee} has no grant on case ${record.id}`);
    }
    return { ...record, grants: record.grants.filter((court) => court !== grantee) };
}

/** A public check: whether the presented hash is the deposit's, and nothing more about the deposit. */
export function check(evidence: EvidenceRecord, presentedHash: string): EvidenceCheck {
    return { evidenceId: evidence.id, presentedHash, outcome: presentedHash === evidence.hash ? 'MATCH' : 'MISMATCH' };
}

/** A court's recorded verification. */
export function verify(
    evidence: EvidenceRecord,
    presentedHash: string,
    verifier: Actor,
    nowMinute: number,
    txId: string,
): EvidenceVerification {
    return {
        docType: 'evidence.verification',
        evidenceId: evidence.id,
        presentedHash,
        storedHash: evidence.hash,
        outcome: check(evidence, presentedHash).outcome,
        verifier,
        atMinute: nowMinute,
        txId,
    };
}
