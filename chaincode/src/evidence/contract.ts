import { Context, Info, Param, Returns, Transaction } from 'fabric-contract-api';
import { ZhelianContract } from '../lib/contract';
import {
    actorOf,
    alreadyExists,
    callerOf,
    canonicalJson,
    getPrivateRecord,
    identifier,
    IDENTIFIER_RULE,
    label,
    listRecords,
    notFound,
    parseArgument,
    privateDataHash,
    putPrivateRecord,
    putRecord,
    readTransientJson,
    recordExists,
    requireEndorsementBy,
    requireRole,
    sha256HexSchema,
    txMinute,
    z,
} from '../lib';
import * as access from './access';
import { caseNumber, certificateId, fileType, sealedInput, sizeBytesSchema } from './inputs';
import {
    CASE_STAGES,
    type CaseEvidenceLink,
    type CaseEvidenceList,
    type EvidenceCaseRef,
    type EvidenceRecord,
    type EvidenceVerification,
    type SealedMaterial,
} from './model';
import {
    CASE,
    caseOf,
    EVIDENCE_SEALED,
    evidenceOf,
    ITEM,
    LINK,
    LINKED_CASE,
    readableEvidence,
    SEALED,
    VERIFICATION,
} from './records';
import { COURT, DEPOSITORS } from './roles';
import * as rules from './rules';

const EVIDENCE_ID_DOC = `The evidence id: ${IDENTIFIER_RULE}, e.g. EV-2026-000001.`;
const CASE_ID_DOC = 'The case number, e.g. (2026)浙0192民初1234号.';
const MATERIAL_ID_DOC = 'The id of the sealed material within its case, e.g. M1.';

/**
 * 司法链存证 — judicial evidence: file fingerprints deposited once and never changed, verified by
 * re-hashing, linked to court cases that move forward stage by stage.
 *
 * Roles: depositors are MemberMSP `party`, PlatformMSP `platform`, CourtMSP `court` and
 * RegulatorMSP `notary`. Cases belong to the court (CourtMSP `court`, its `unit`) that opened
 * them; only that court advances them (strictly to the next stage: 起诉 FILED → 立案 ACCEPTED →
 * 送达 SERVED → 举证质证 EVIDENCE → 庭审 TRIAL → 判决 JUDGMENT → 执行 ENFORCEMENT → 归档 ARCHIVED),
 * names its parties (by certificate id) and grants other courts access to its evidence.
 *
 * Rules chosen, and why (`access.ts`):
 * - Evidence is linked only during the evidence period, FILED through EVIDENCE (举证质证), by a
 *   party of the case linking its own deposit or by the owning court linking any deposit. Linking
 *   reads the case record, so a link racing the move to TRIAL fails validation if the move
 *   commits first. A party may not link others' deposits: linking grants the case's parties read
 *   access to the deposit.
 * - An evidence record and its recorded verifications are read by the depositor and the parties
 *   and courts (owning or granted) of the cases it is linked to.
 * - Checking a file is a read anyone may do (`verifyEvidence`): it answers MATCH or MISMATCH and
 *   nothing about the deposit, and writes nothing, so it can be repeated without growing the
 *   ledger. Recording a verification (`recordVerification`) is a court's act, by a court that may
 *   read the evidence.
 *
 * Endorsement notes for clients:
 * - a case record's key-level policy requires CourtMSP: `advanceCase`, `addCaseParty`,
 *   `grantCaseAccess` and `revokeCaseAccess` must be endorsed by a set of orgs that includes
 *   CourtMSP;
 * - `sealMaterial` writes only the court-only collection `evidenceSealed`: endorse it on
 *   `['CourtMSP']` (the collection's `endorsementPolicy` is `OR('CourtMSP.member')`), and read
 *   sealed material (`readSealedMaterial`) on the CourtMSP peer.
 */
@Info({
    title: 'evidence',
    description:
        '司法链存证: write-once evidence hashes, public checks, court-recorded verifications, court cases with forward-only stages',
})
export class EvidenceContract extends ZhelianContract {
    constructor() {
        super('evidence');
    }

    /** Stores a file's SHA-256 and metadata, once. The file itself never reaches the ledger. */
    @Transaction()
    @Param('evidenceId', 'string', `${EVIDENCE_ID_DOC} It must be new.`)
    @Param('hash', 'string', 'SHA-256 (lowercase hex) of the file.')
    @Param('title', 'string', 'What the file is, e.g. 网购订单截图.')
    @Param('type', 'string', 'The kind of file, e.g. image/png, contract/pdf, chat-log.')
    @Param('sizeBytes', 'number', 'File size in bytes.')
    @Returns('EvidenceRecord')
    public async depositEvidence(
        ctx: Context,
        evidenceId: string,
        hash: string,
        title: string,
        type: string,
        sizeBytes: number,
    ): Promise<string> {
        const depositor = requireRole(ctx, ...DEPOSITORS);
        const id = parseArgument('evidenceId', evidenceId, identifier);
        const record: EvidenceRecord = {
            docType: 'evidence.item',
            id,
            hash: parseArgument('hash', hash, sha256HexSchema),
            title: parseArgument('title', title, label),
            type: parseArgument('type', type, fileType),
            sizeBytes: parseArgument('sizeBytes', sizeBytes, sizeBytesSchema),
            depositor: actorOf(depositor),
            depositedAtMinute: txMinute(ctx),
            txId: ctx.stub.getTxID(),
        };
        if (await recordExists(ctx, ITEM, [id])) {
            throw alreadyExists(`evidence ${id} (deposits are write-once)`);
        }
        await putRecord(ctx, ITEM, [id], record);
        this.emitEvent(ctx, 'Deposited', {
            evidenceId: id,
            hash: record.hash,
            depositor: record.depositor.unit,
            title: record.title,
        });
        return canonicalJson(record);
    }

    /** The caller's certificate as this contract sees it; a court names a party by its `id`. */
    @Transaction(false)
    @Returns('Actor')
    public async whoami(ctx: Context): Promise<string> {
        return canonicalJson(actorOf(callerOf(ctx)));
    }

    /**
     * Anyone checks a file against a deposit: MATCH or MISMATCH, and nothing else about the
     * deposit. A read: evaluate it; it records nothing (a court records with `recordVerification`).
     */
    @Transaction(false)
    @Param('evidenceId', 'string', EVIDENCE_ID_DOC)
    @Param('hash', 'string', 'SHA-256 (lowercase hex) of the file being checked.')
    @Returns('EvidenceCheck')
    public async verifyEvidence(ctx: Context, evidenceId: string, hash: string): Promise<string> {
        const presented = parseArgument('hash', hash, sha256HexSchema);
        return canonicalJson(rules.check(await evidenceOf(ctx, evidenceId), presented));
    }

    /**
     * A court re-hashes a file and puts the outcome on the record. Only a court that may read the
     * evidence: the owning or a granted court of a case it is linked to, or its depositor.
     */
    @Transaction()
    @Param('evidenceId', 'string', EVIDENCE_ID_DOC)
    @Param('hash', 'string', 'SHA-256 (lowercase hex) of the file the court examined.')
    @Returns('EvidenceVerification')
    public async recordVerification(ctx: Context, evidenceId: string, hash: string): Promise<string> {
        const court = requireRole(ctx, COURT);
        const presented = parseArgument('hash', hash, sha256HexSchema);
        const evidence = await readableEvidence(ctx, evidenceId);
        const txId = ctx.stub.getTxID();
        const verification = rules.verify(evidence, presented, actorOf(court), txMinute(ctx), txId);
        await putRecord(ctx, VERIFICATION, [evidence.id, txId], verification);
        this.emitEvent(ctx, 'Verified', {
            evidenceId: evidence.id,
            outcome: verification.outcome,
            presentedHash: presented,
            court: court.unit,
        });
        return canonicalJson(verification);
    }

    /** The deposit: for its depositor and the parties and courts of the cases it is linked to. */
    @Transaction(false)
    @Param('evidenceId', 'string', EVIDENCE_ID_DOC)
    @Returns('EvidenceRecord')
    public async getEvidence(ctx: Context, evidenceId: string): Promise<string> {
        return canonicalJson(await readableEvidence(ctx, evidenceId));
    }

    /** Every recorded verification of the evidence, in key order; readable as the evidence is. */
    @Transaction(false)
    @Param('evidenceId', 'string', EVIDENCE_ID_DOC)
    @Returns('EvidenceVerification[]')
    public async getVerifications(ctx: Context, evidenceId: string): Promise<string> {
        const evidence = await readableEvidence(ctx, evidenceId);
        return canonicalJson(await listRecords<EvidenceVerification>(ctx, VERIFICATION, [evidence.id]));
    }

    /** A court opens a case (stage FILED); the case record then requires CourtMSP endorsement to change. */
    @Transaction()
    @Param('caseId', 'string', `${CASE_ID_DOC} It must be new.`)
    @Param('title', 'string', 'What the case is about, e.g. 网络购物合同纠纷.')
    @Returns('CaseRecord')
    public async openCase(ctx: Context, caseId: string, title: string): Promise<string> {
        const court = requireRole(ctx, COURT);
        const input = {
            caseId: parseArgument('caseId', caseId, caseNumber),
            title: parseArgument('title', title, label),
        };
        if (await recordExists(ctx, CASE, [input.caseId])) {
            throw alreadyExists(`case ${input.caseId}`);
        }
        const record = rules.openCase(input, court, txMinute(ctx), ctx.stub.getTxID());
        await putRecord(ctx, CASE, [record.id], record);
        await requireEndorsementBy(ctx, CASE, [record.id], ['CourtMSP']);
        this.emitEvent(ctx, 'CaseOpened', { caseId: record.id, court: record.court, title: record.title });
        return canonicalJson(record);
    }

    /** The owning court moves the case to the next stage; no going back, no skipping. */
    @Transaction()
    @Param('caseId', 'string', CASE_ID_DOC)
    @Param('stage', 'string', `The next stage, one of ${CASE_STAGES.join(' → ')}.`)
    @Returns('CaseRecord')
    public async advanceCase(ctx: Context, caseId: string, stage: string): Promise<string> {
        const court = requireRole(ctx, COURT);
        const target = parseArgument('stage', stage, z.enum(CASE_STAGES));
        const record = rules.advanceStage(await caseOf(ctx, caseId), target, court, txMinute(ctx), ctx.stub.getTxID());
        await putRecord(ctx, CASE, [record.id], record);
        this.emitEvent(ctx, 'CaseAdvanced', { caseId: record.id, court: record.court, stage: record.stage });
        return canonicalJson(record);
    }

    /**
     * The owning court names a party of an open case (原告, 被告, 第三人) by certificate id, which
     * the party's `whoami` tells. The court vouches for the id, as it checks identity at 立案.
     */
    @Transaction()
    @Param('caseId', 'string', `${CASE_ID_DOC} The case must not be archived.`)
    @Param('partyId', 'string', "The party's certificate id, x509::<subject>::<issuer>, as its whoami returns.")
    @Returns('CaseRecord')
    public async addCaseParty(ctx: Context, caseId: string, partyId: string): Promise<string> {
        const court = requireRole(ctx, COURT);
        const party = parseArgument('partyId', partyId, certificateId);
        const record = rules.addParty(await caseOf(ctx, caseId), party, court);
        await putRecord(ctx, CASE, [record.id], record);
        this.emitEvent(ctx, 'CasePartyAdded', { caseId: record.id, court: record.court, partyId: party });
        return canonicalJson(record);
    }

    /** The owning court lets another court read the case's evidence list and sealed material. */
    @Transaction()
    @Param('caseId', 'string', CASE_ID_DOC)
    @Param('court', 'string', 'The other court, as its unit, e.g. 上海市第一中级人民法院.')
    @Returns('CaseRecord')
    public async grantCaseAccess(ctx: Context, caseId: string, court: string): Promise<string> {
        const owner = requireRole(ctx, COURT);
        const record = rules.grantAccess(await caseOf(ctx, caseId), parseArgument('court', court, label), owner);
        await putRecord(ctx, CASE, [record.id], record);
        this.emitEvent(ctx, 'CaseAccessGranted', { caseId: record.id, court: record.court, grantee: court });
        return canonicalJson(record);
    }

    /** The owning court withdraws another court's grant. */
    @Transaction()
    @Param('caseId', 'string', CASE_ID_DOC)
    @Param('court', 'string', 'The court whose grant is withdrawn, as its unit.')
    @Returns('CaseRecord')
    public async revokeCaseAccess(ctx: Context, caseId: string, court: string): Promise<string> {
        const owner = requireRole(ctx, COURT);
        const record = rules.revokeAccess(await caseOf(ctx, caseId), parseArgument('court', court, label), owner);
        await putRecord(ctx, CASE, [record.id], record);
        this.emitEvent(ctx, 'CaseAccessRevoked', { caseId: record.id, court: record.court, grantee: court });
        return canonicalJson(record);
    }

    /** Case number, court, stage, parties and grants; public (the evidence list is not). */
    @Transaction(false)
    @Param('caseId', 'string', CASE_ID_DOC)
    @Returns('CaseRecord')
    public async getCase(ctx: Context, caseId: string): Promise<string> {
        return canonicalJson(await caseOf(ctx, caseId));
    }

    /**
     * Links deposited evidence to a case in its evidence period (FILED through EVIDENCE): by the
     * case's court (any deposit) or by a party of the case (its own deposits).
     */
    @Transaction()
    @Param('caseId', 'string', `${CASE_ID_DOC} It must be at most at stage EVIDENCE (举证质证).`)
    @Param('evidenceId', 'string', `${EVIDENCE_ID_DOC} A party links only its own deposits.`)
    @Returns('CaseEvidenceLink')
    public async linkEvidence(ctx: Context, caseId: string, evidenceId: string): Promise<string> {
        const caller = actorOf(callerOf(ctx));
        const record = await caseOf(ctx, caseId);
        const evidence = await evidenceOf(ctx, evidenceId);
        access.assertCanLink(record, evidence, caller);
        if (await recordExists(ctx, LINK, [record.id, evidence.id])) {
            throw alreadyExists(`link of evidence ${evidence.id} to case ${record.id}`);
        }
        const link: CaseEvidenceLink = {
            docType: 'evidence.link',
            caseId: record.id,
            evidenceId: evidence.id,
            linkedBy: caller,
            atMinute: txMinute(ctx),
        };
        await putRecord(ctx, LINK, [record.id, evidence.id], link);
        const ref: EvidenceCaseRef = { docType: LINKED_CASE, evidenceId: evidence.id, caseId: record.id };
        await putRecord(ctx, LINKED_CASE, [evidence.id, record.id], ref);
        this.emitEvent(ctx, 'Linked', { caseId: record.id, evidenceId: evidence.id, court: record.court });
        return canonicalJson(link);
    }

    /** The case's evidence: for its court, other courts with the court's grant, and its parties. */
    @Transaction(false)
    @Param('caseId', 'string', CASE_ID_DOC)
    @Returns('CaseEvidenceList')
    public async listCaseEvidence(ctx: Context, caseId: string): Promise<string> {
        const record = await caseOf(ctx, caseId);
        access.assertCanReadCaseEvidence(record, callerOf(ctx));
        const items: CaseEvidenceList['items'] = [];
        for (const link of await listRecords<CaseEvidenceLink>(ctx, LINK, [record.id])) {
            items.push({ link, evidence: await evidenceOf(ctx, link.evidenceId) });
        }
        const list: CaseEvidenceList = { caseId: record.id, court: record.court, items };
        return canonicalJson(list);
    }

    /**
     * The case's court seals material (transient field `material` = `{"title":…,"content":…}`)
     * into `evidenceSealed`. Writes nothing public: endorse on `['CourtMSP']`. The channel keeps
     * only the SHA-256 (see `getSealedMaterialHash`).
     */
    @Transaction()
    @Param('caseId', 'string', CASE_ID_DOC)
    @Param('materialId', 'string', `${MATERIAL_ID_DOC} It must be new.`)
    @Returns('SealedMaterialHash')
    public async sealMaterial(ctx: Context, caseId: string, materialId: string): Promise<string> {
        const court = requireRole(ctx, COURT);
        const record = await caseOf(ctx, caseId);
        rules.assertOwningCourt(record, court);
        rules.assertOpen(record);
        const id = parseArgument('materialId', materialId, identifier);
        if ((await privateDataHash(ctx, EVIDENCE_SEALED, SEALED, [record.id, id])) !== '') {
            throw alreadyExists(`sealed material ${id} of case ${record.id}`);
        }
        const input = readTransientJson(ctx, 'material', sealedInput);
        const material: SealedMaterial = {
            docType: SEALED,
            caseId: record.id,
            materialId: id,
            ...input,
            sealedBy: court.unit,
            sealedAtMinute: txMinute(ctx),
        };
        const hash = await putPrivateRecord(ctx, EVIDENCE_SEALED, SEALED, [record.id, id], material);
        this.emitEvent(ctx, 'MaterialSealed', { caseId: record.id, materialId: id, hash });
        return canonicalJson({ caseId: record.id, materialId: id, hash });
    }

    /** The sealed material itself: on the CourtMSP peer, for the case's court or a granted court. */
    @Transaction(false)
    @Param('caseId', 'string', CASE_ID_DOC)
    @Param('materialId', 'string', MATERIAL_ID_DOC)
    @Returns('SealedMaterial')
    public async readSealedMaterial(ctx: Context, caseId: string, materialId: string): Promise<string> {
        const record = await caseOf(ctx, caseId);
        access.assertCanReadCase(record, callerOf(ctx));
        const material = await getPrivateRecord<SealedMaterial>(ctx, EVIDENCE_SEALED, SEALED, [record.id, materialId]);
        if (material === undefined) {
            throw notFound(`sealed material ${materialId} of case ${record.id}`);
        }
        return canonicalJson(material);
    }

    /** The SHA-256 the channel holds for sealed material; readable on every peer, by anyone. */
    @Transaction(false)
    @Param('caseId', 'string', CASE_ID_DOC)
    @Param('materialId', 'string', MATERIAL_ID_DOC)
    @Returns('SealedMaterialHash')
    public async getSealedMaterialHash(ctx: Context, caseId: string, materialId: string): Promise<string> {
        const record = await caseOf(ctx, caseId);
        const hash = await privateDataHash(ctx, EVIDENCE_SEALED, SEALED, [record.id, materialId]);
        if (hash === '') {
            throw notFound(`sealed material ${materialId} of case ${record.id}`);
        }
        return canonicalJson({ caseId: record.id, materialId, hash });
    }
}
