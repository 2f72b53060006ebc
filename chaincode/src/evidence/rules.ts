import { badInput, COMMON_CODES, type ErrorCode, forbidden, refuse } from '../lib/errors';
import type { Actor } from '../lib/party';
import { type CaseRecord, type CaseStage, CASE_STAGES, type EvidenceRecord, type EvidenceVerification } from './model';

/**
 * The business rules of 司法链存证 as pure functions: stage order, who may see a case, and what
 * a verification says. The contract loads, checks existence, stores and emits.
 */

export const EVIDENCE_CODES = {
    STAGE_BACKWARDS: 'E_STAGE_BACKWARDS',
    STAGE_SKIPPED: 'E_STAGE_SKIPPED',
    CASE_CLOSED: 'E_CASE_CLOSED',
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

/** The owning court and courts it granted access to read a case's evidence and sealed material. */
export function assertCanReadCase(record: CaseRecord, caller: Actor): void {
    if (!isCourt(caller) || (caller.unit !== record.court && !record.grants.includes(caller.unit))) {
        throw forbidden(
            `case ${record.id} belongs to ${record.court}; ${caller.unit || caller.mspId} has no grant to read it`,
        );
    }
}

/** Evidence is linked to a case by the case's court or by whoever deposited it, while the case is open. */
export function assertCanLink(record: CaseRecord, evidence: EvidenceRecord, caller: Actor): void {
    assertOpen(record);
    const isDepositor = caller.mspId === evidence.depositor.mspId && caller.id === evidence.depositor.id;
    const isCaseCourt = isCourt(caller) && caller.unit === record.court;
    if (!isDepositor && !isCaseCourt) {
        throw forbidden(
            `only ${record.court} or the depositor of evidence ${evidence.id} may link it to case ${record.id}`,
        );
    }
}

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
        outcome: presentedHash === evidence.hash ? 'MATCH' : 'MISMATCH',
        verifier,
        atMinute: nowMinute,
        txId,
    };
}
