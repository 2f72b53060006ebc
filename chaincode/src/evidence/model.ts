import { Object as DataType, Property } from 'fabric-contract-api';
import type { Actor } from '../lib/party';

/**
 * The records of 司法链存证 (judicial evidence) as stored in world state and described by
 * `org.hyperledger.fabric:GetMetadata`. The channel holds file hashes and metadata, never a
 * file; sealed material lives only in the court-only collection `evidenceSealed`. Times in
 * whole minutes since the Unix epoch; records carry `docType` and fields typed `X | null` are
 * always present (`LedgerRecord` in `lib/record.ts`). Who acted is an `Actor`: certificate MSP,
 * `role`, `unit` and id.
 */

/** A deposited file's fingerprint. Written once, never changed, never deleted. */
@DataType()
export class EvidenceRecord {
    @Property('docType', 'string') docType!: 'evidence.item';
    @Property('id', 'string') id!: string;
    /** SHA-256 (lowercase hex) of the file. */
    @Property('hash', 'string') hash!: string;
    @Property('title', 'string') title!: string;
    /** What kind of file, e.g. `contract/pdf`, `chat-log`, `video/mp4`. */
    @Property('type', 'string') type!: string;
    @Property('sizeBytes', 'number') sizeBytes!: number;
    @Property('depositor', 'Actor') depositor!: Actor;
    @Property('depositedAtMinute', 'number') depositedAtMinute!: number;
    @Property('txId', 'string') txId!: string;
}

export type VerificationOutcome = 'MATCH' | 'MISMATCH';

/**
 * One recorded verification: a court re-hashed a file and compared it with the deposit, and put
 * the outcome on the record (`recordVerification`). Checking a file without recording is a read
 * anyone may do (`verifyEvidence`).
 */
@DataType()
export class EvidenceVerification {
    @Property('docType', 'string') docType!: 'evidence.verification';
    @Property('evidenceId', 'string') evidenceId!: string;
    @Property('presentedHash', 'string') presentedHash!: string;
    @Property('storedHash', 'string') storedHash!: string;
    @Property('outcome', 'string') outcome!: VerificationOutcome;
    @Property('verifier', 'Actor') verifier!: Actor;
    @Property('atMinute', 'number') atMinute!: number;
    @Property('txId', 'string') txId!: string;
}

/** The answer of the public `verifyEvidence`: whether a file's hash matches the deposit, and nothing else. */
@DataType()
export class EvidenceCheck {
    @Property('evidenceId', 'string') evidenceId!: string;
    @Property('presentedHash', 'string') presentedHash!: string;
    @Property('outcome', 'string') outcome!: VerificationOutcome;
}

/** 起诉 → 立案 → 送达 → 举证质证 → 庭审 → 判决 → 执行 → 归档, strictly one step at a time. */
export const CASE_STAGES = [
    'FILED',
    'ACCEPTED',
    'SERVED',
    'EVIDENCE',
    'TRIAL',
    'JUDGMENT',
    'ENFORCEMENT',
    'ARCHIVED',
] as const;
export type CaseStage = (typeof CASE_STAGES)[number];

@DataType()
export class CaseStageEntry {
    @Property('stage', 'string') stage!: CaseStage;
    @Property('atMinute', 'number') atMinute!: number;
    /** The court user who moved the case, as its certificate id. */
    @Property('by', 'string') by!: string;
    @Property('txId', 'string') txId!: string;
}

/**
 * The stages in which evidence may be linked to a case, 起诉 through 举证质证: once 庭审 begins
 * the evidence on the record is what the trial examines.
 */
export const EVIDENCE_PERIOD: readonly CaseStage[] = ['FILED', 'ACCEPTED', 'SERVED', 'EVIDENCE'];

/**
 * A case of one court (its `unit`, e.g. 杭州互联网法院). Its key carries a key-level endorsement
 * policy requiring CourtMSP: stage moves, parties and access grants need a CourtMSP peer's
 * endorsement.
 */
@DataType()
export class CaseRecord {
    @Property('docType', 'string') docType!: 'evidence.case';
    @Property('id', 'string') id!: string;
    @Property('court', 'string') court!: string;
    @Property('title', 'string') title!: string;
    @Property('stage', 'string') stage!: CaseStage;
    @Property('stages', 'CaseStageEntry[]') stages!: CaseStageEntry[];
    /** Other courts (units) the owning court allowed to read the case's evidence, sorted. */
    @Property('grants', 'string[]') grants!: string[];
    /**
     * The parties (原告, 被告, 第三人) as the court named them: certificate ids
     * (`x509::<subject>::<issuer>`, what `whoami` tells a litigant), sorted. Parties link their own
     * deposits during the evidence period and read the case's evidence.
     */
    @Property('parties', 'string[]') parties!: string[];
    @Property('openedAtMinute', 'number') openedAtMinute!: number;
}

/** Evidence linked to a case (a separate record: linking never touches the evidence or the case). */
@DataType()
export class CaseEvidenceLink {
    @Property('docType', 'string') docType!: 'evidence.link';
    @Property('caseId', 'string') caseId!: string;
    @Property('evidenceId', 'string') evidenceId!: string;
    @Property('linkedBy', 'Actor') linkedBy!: Actor;
    @Property('atMinute', 'number') atMinute!: number;
}

/**
 * The same link seen from the evidence (`evidence.linkedCase` / evidence id / case id), so that
 * reading an evidence record can find the cases whose parties and courts may read it.
 */
@DataType()
export class EvidenceCaseRef {
    @Property('docType', 'string') docType!: 'evidence.linkedCase';
    @Property('evidenceId', 'string') evidenceId!: string;
    @Property('caseId', 'string') caseId!: string;
}

@DataType()
export class CaseEvidenceEntry {
    @Property('link', 'CaseEvidenceLink') link!: CaseEvidenceLink;
    @Property('evidence', 'EvidenceRecord') evidence!: EvidenceRecord;
}

/** The evidence list of a case: for its court, courts it granted access to, and its parties. */
@DataType()
export class CaseEvidenceList {
    @Property('caseId', 'string') caseId!: string;
    @Property('court', 'string') court!: string;
    @Property('items', 'CaseEvidenceEntry[]') items!: CaseEvidenceEntry[];
}

/** Sealed material (不公开材料) in `evidenceSealed` (CourtMSP only); the channel sees its hash. */
@DataType()
export class SealedMaterial {
    @Property('docType', 'string') docType!: 'evidence.sealed';
    @Property('caseId', 'string') caseId!: string;
    @Property('materialId', 'string') materialId!: string;
    @Property('title', 'string') title!: string;
    @Property('content', 'string') content!: string;
    @Property('sealedBy', 'string') sealedBy!: string;
    @Property('sealedAtMinute', 'number') sealedAtMinute!: number;
}

/** Answer of `sealMaterial` / `getSealedMaterialHash`: the SHA-256 the channel holds. */
@DataType()
export class SealedMaterialHash {
    @Property('caseId', 'string') caseId!: string;
    @Property('materialId', 'string') materialId!: string;
    @Property('hash', 'string') hash!: string;
}
