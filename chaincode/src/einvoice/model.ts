import { Object as DataType, Property } from 'fabric-contract-api';
import type { Actor, Party } from '../lib/party';

/**
 * The ledger records of 区块链电子票据. Classes carry `@Object`/`@Property` so that
 * `org.hyperledger.fabric:GetMetadata` describes them; records are stored and returned as
 * sorted-key JSON of these shapes, with `docType` and `null` for what has not happened yet
 * (`LedgerRecord` in `lib/record.ts`). Who acted is an `Actor` (certificate, kept for audit);
 * bodies are matched by MSP + unit.
 */

/**
 * Derived from the claims (see `rules.ts`): ISSUED has none, LOCKED has one pending, REIMBURSED has
 * none pending and at least one paid (what is left of the face amount may still be claimed by
 * another reimburser), REVERSED is void.
 */
export type ReceiptStatus = 'ISSUED' | 'LOCKED' | 'REIMBURSED' | 'REVERSED';

export type ClaimStatus = 'LOCKED' | 'REIMBURSED';

/**
 * A hospital as 区块链电子票据 knows it: a body that proved itself by signing with a certificate
 * its MSP issued (role `hospital`, attribute `unit`). Ranges are allocated to registered hospitals only.
 */
@DataType()
export class Hospital {
    @Property('docType', 'string') docType!: 'einvoice.hospital';
    @Property('mspId', 'string') mspId!: string;
    @Property('unit', 'string') unit!: string;
    @Property('registeredBy', 'Actor') registeredBy!: Actor;
    @Property('registeredAtMinute', 'number') registeredAtMinute!: number;
}

/** A block of receipt numbers under one receipt code, allocated by 财政厅票据中心 to one hospital. */
@DataType()
export class ReceiptRange {
    @Property('docType', 'string') docType!: 'einvoice.range';
    /** 票据代码, 8 digits, e.g. `33010125`. */
    @Property('code', 'string') code!: string;
    /** First and last 票据号码 of the block, inclusive, 10 digits each. */
    @Property('start', 'string') start!: string;
    @Property('end', 'string') end!: string;
    @Property('hospitalMspId', 'string') hospitalMspId!: string;
    @Property('hospitalUnit', 'string') hospitalUnit!: string;
    @Property('allocatedBy', 'Actor') allocatedBy!: Actor;
    @Property('allocatedAtMinute', 'number') allocatedAtMinute!: number;
}

/** The face amount in fen (分): 统筹基金支付 + 个人账户/共付 + 自费 = total. */
@DataType()
export class ReceiptAmounts {
    @Property('pooledFundFen', 'number') pooledFundFen!: number;
    @Property('coPayFen', 'number') coPayFen!: number;
    @Property('selfPaidFen', 'number') selfPaidFen!: number;
    @Property('totalFen', 'number') totalFen!: number;
}

/** One reimburser's claim on a receipt: pending while LOCKED, final once REIMBURSED. */
@DataType()
export class ReceiptClaim {
    @Property('by', 'Actor') by!: Actor;
    @Property('claimFen', 'number') claimFen!: number;
    @Property('status', 'string') status!: ClaimStatus;
    @Property('lockedAtMinute', 'number') lockedAtMinute!: number;
    @Property('reimbursedAtMinute', 'number') reimbursedAtMinute!: number | null;
}

@DataType()
export class Receipt {
    @Property('docType', 'string') docType!: 'einvoice.receipt';
    @Property('code', 'string') code!: string;
    @Property('number', 'string') number!: string;
    @Property('status', 'string') status!: string;
    @Property('issuer', 'Actor') issuer!: Actor;
    @Property('issuedAtMinute', 'number') issuedAtMinute!: number;
    @Property('amounts', 'ReceiptAmounts') amounts!: ReceiptAmounts;
    /** SHA-256 of the receipt document the hospital issued. */
    @Property('contentHash', 'string') contentHash!: string;
    /** SHA-256 of the sorted-key JSON patient details in collection `einvoicePatientDetails`. */
    @Property('patientDetailsHash', 'string') patientDetailsHash!: string;
    /**
     * SHA-256 of `code-number-checkCode`; the check code itself is never stored. A short check
     * code could be brute-forced from this hash by a channel member reading raw state; the hash
     * gates the public verification query, it is not a secret against the consortium.
     */
    @Property('checkCodeHash', 'string') checkCodeHash!: string;
    /**
     * The patient, as a pseudonym of the certificate the patient signs with (`getPatientId`): only
     * that certificate gives or withdraws consent to claims. Receipts of one patient share it.
     */
    @Property('patientId', 'string') patientId!: string;
    /** The reimbursers the patient consented to, in MSP and unit order; only they may lock a claim. */
    @Property('consents', 'Party[]') consents!: Party[];
    /** At most one claim per reimburser, in MSP and unit order; together never above the face amount. */
    @Property('claims', 'ReceiptClaim[]') claims!: ReceiptClaim[];
    @Property('reversedAtMinute', 'number') reversedAtMinute!: number | null;
}

/** What anyone holding code + number + check code may learn. */
@DataType()
export class ReceiptVerification {
    @Property('code', 'string') code!: string;
    @Property('number', 'string') number!: string;
    @Property('status', 'string') status!: string;
    @Property('contentHash', 'string') contentHash!: string;
    @Property('issuerUnit', 'string') issuerUnit!: string;
    @Property('issuedAtMinute', 'number') issuedAtMinute!: number;
    @Property('totalFen', 'number') totalFen!: number;
    /** The sum of the claims already reimbursed, so a second reimburser sees what is left. */
    @Property('reimbursedFen', 'number') reimbursedFen!: number;
}

/** Personal data, private to `einvoicePatientDetails` (RegulatorMSP, MemberMSP). */
@DataType()
export class PatientDetails {
    @Property('docType', 'string') docType!: 'einvoice.patient';
    @Property('name', 'string') name!: string;
    @Property('idNumber', 'string') idNumber!: string;
    @Property('department', 'string') department!: string | null;
    /** `YYYY-MM-DD`. */
    @Property('visitDate', 'string') visitDate!: string | null;
}

/** Answer of `recordPatientDetails`: the hash the channel will hold for the private details. */
@DataType()
export class PatientDetailsHash {
    @Property('code', 'string') code!: string;
    @Property('number', 'string') number!: string;
    @Property('patientDetailsHash', 'string') patientDetailsHash!: string;
}

/** Answer of `getPatientId`: the pseudonym a hospital writes on the caller's receipts. */
@DataType()
export class PatientPseudonym {
    @Property('patientId', 'string') patientId!: string;
}
