import type { Context } from 'fabric-contract-api';
import { callerOf, listRecords, parseArgument, requireRecord } from '../lib';
import * as access from './access';
import { caseNumber } from './inputs';
import type { CaseRecord, EvidenceCaseRef, EvidenceRecord } from './model';

/** The court-only private collection for sealed material (member: CourtMSP). */
export const EVIDENCE_SEALED = 'evidenceSealed';

/** The evidence records' doc types, which are also their keys' object types. */
export const ITEM = 'evidence.item';
export const VERIFICATION = 'evidence.verification';
export const CASE = 'evidence.case';
export const LINK = 'evidence.link';
export const LINKED_CASE = 'evidence.linkedCase';
export const SEALED = 'evidence.sealed';

export function evidenceOf(ctx: Context, evidenceId: string): Promise<EvidenceRecord> {
    return requireRecord<EvidenceRecord>(ctx, ITEM, [evidenceId], `evidence ${evidenceId}`);
}

export function caseOf(ctx: Context, caseId: string): Promise<CaseRecord> {
    return requireRecord<CaseRecord>(ctx, CASE, [parseArgument('caseId', caseId, caseNumber)], `case ${caseId}`);
}

/** The cases an evidence record is linked to, through its `evidence.linkedCase` records. */
async function linkedCasesOf(ctx: Context, evidenceId: string): Promise<CaseRecord[]> {
    const cases: CaseRecord[] = [];
    for (const ref of await listRecords<EvidenceCaseRef>(ctx, LINKED_CASE, [evidenceId])) {
        cases.push(await requireRecord<CaseRecord>(ctx, CASE, [ref.caseId], `case ${ref.caseId}`));
    }
    return cases;
}

/** The evidence record, if the caller may read it: its depositor, or a party or court of a linked case. */
export async function readableEvidence(ctx: Context, evidenceId: string): Promise<EvidenceRecord> {
    const evidence = await evidenceOf(ctx, evidenceId);
    access.assertCanReadEvidence(evidence, await linkedCasesOf(ctx, evidence.id), callerOf(ctx));
    return evidence;
}
