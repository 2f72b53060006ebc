import { Context, Info, Param, Returns, Transaction } from 'fabric-contract-api';
import { ZhelianContract } from '../lib/contract';
import {
    actorOf,
    alreadyExists,
    canonicalJson,
    COMMON_CODES,
    forbidden,
    getPrivateRecord,
    getRecord,
    listRecords,
    matches,
    parseArgument,
    parseJson,
    partyName,
    privateDataHash,
    putPrivateRecord,
    putRecord,
    readTransientJson,
    recordExists,
    refuse,
    requireEndorsementBy,
    requireRecord,
    requireRole,
    sameParty,
    sha256Hex,
    txMinute,
} from '../lib';
// Loaded for its @Object decorators: they describe the records in the contract metadata.
import './model';
import type {
    Hospital,
    PatientDetails,
    PatientDetailsHash,
    PatientPseudonym,
    Receipt,
    ReceiptRange,
    ReceiptVerification,
} from './model';
import {
    HOSPITAL_RECORD,
    PATIENT,
    PATIENT_COLLECTION,
    RANGE,
    RECEIPT,
    receiptKeyOf,
    requireConsentBy,
    requireIssuableBy,
    requireReceipt,
} from './records';
import { FINANCE, HOSPITAL, PATIENT_ROLE, REIMBURSERS } from './roles';
import {
    checkReversible,
    claimBy,
    grantConsent,
    lockClaim,
    reimburseClaim,
    reimbursedFen,
    releaseClaim,
    requirePatient,
    withdrawConsent,
} from './claims';
import {
    checkAmounts,
    checkCodeSchema,
    checkCodeHashInput,
    checkRangeBounds,
    claimAmount,
    EINVOICE_CODES,
    PatientDetailsInput,
    patientIdOf,
    RangeInput,
    rangesOverlap,
    receiptCode,
    receiptNumber,
    ReceiptInput,
} from './rules';

const CODE_DOC = '票据代码, the receipt code: 8 digits, e.g. 33010125.';
const NUMBER_DOC = '票据号码, the receipt number: 1-10 digits; 1 and 0000000001 name the same receipt.';
const REIMBURSER_MSP_DOC = `MSP ID of the reimburser: ${REIMBURSERS.map((r) => r.msp).join(' or ')}.`;
const REIMBURSER_UNIT_DOC = 'Unit of the reimburser, e.g. 医保局 or 商业保险.';

/**
 * 区块链电子票据 — medical e-receipts.
 *
 * A hospital registers itself, with its own certificate; 浙江省财政厅票据中心 allocates
 * receipt-number ranges to registered hospitals; a hospital records the patient's details
 * privately and then issues a receipt in its range to the patient, named by the pseudonym of the
 * patient's certificate (`getPatientId`). The patient consents to reimbursers (医保局, a commercial
 * insurer) claiming it; each consented reimburser locks one claim and then reimburses it, or
 * unlocks it. The claims of all reimbursers together never exceed the face amount, and each is
 * paid at most once. The issuer may reverse (红冲) an unclaimed receipt. Anyone with code, number
 * and check code can verify it. No rule depends on the time: the minutes a receipt records are
 * the signers' timestamps, within the peers' time window. Rules and reasons: `docs/contracts.md`.
 *
 * Endorsement:
 * - `recordPatientDetails` writes only to collection `einvoicePatientDetails`; endorse it on
 *   `['RegulatorMSP', 'MemberMSP']` (the collection's members; its endorsementPolicy is
 *   AND of both). `issueReceipt` then reads the hash (readable on every peer) and puts it on the
 *   public receipt, so patient details never reach a non-member peer.
 * - `issueReceipt` creates a new key, validated by the chaincode policy (majority of four), and
 *   sets a key-level policy on it: AND(RegulatorMSP, issuer's MSP). It reads only the
 *   patient-details hash, so any majority may endorse it. From then on every change
 *   of the receipt (lock, unlock, reimburse, reverse) must be endorsed by the regulator AND the
 *   hospital's org, whoever submits it; choose endorsers that include both, e.g.
 *   `['RegulatorMSP', 'MemberMSP', 'PlatformMSP']`, which is also a majority. A majority
 *   without them (Court + Platform + X) can no longer rewrite a receipt.
 */
@Info({ title: 'einvoice', description: '区块链电子票据: medical e-receipts, reimbursed at most once' })
export class EinvoiceContract extends ZhelianContract {
    constructor() {
        super('einvoice');
    }

    /**
     * A hospital registers itself, once, by signing with a certificate of role `hospital`: a
     * hospital exists on chain when a certificate its MSP issued for that unit has signed.
     */
    @Transaction()
    @Returns('Hospital')
    async registerHospital(ctx: Context): Promise<string> {
        const hospital = requireRole(ctx, HOSPITAL);
        if (hospital.unit === '') {
            throw forbidden('a hospital certificate must name its hospital in attribute unit');
        }
        if (await recordExists(ctx, HOSPITAL_RECORD, [hospital.mspId, hospital.unit])) {
            throw alreadyExists(`hospital ${partyName(hospital)}`);
        }
        const record: Hospital = {
            docType: HOSPITAL_RECORD,
            mspId: hospital.mspId,
            unit: hospital.unit,
            registeredBy: actorOf(hospital),
            registeredAtMinute: txMinute(ctx),
        };
        await putRecord(ctx, HOSPITAL_RECORD, [hospital.mspId, hospital.unit], record);
        this.emitEvent(ctx, 'HospitalRegistered', { mspId: record.mspId, unit: record.unit });
        return canonicalJson(record);
    }

    /** 财政厅票据中心 allocates a block of receipt numbers under one code to one registered hospital. */
    @Transaction()
    @Param(
        'rangeJson',
        'string',
        'The range as JSON {code, start, end, hospitalMspId, hospitalUnit}: an 8-digit code, the first and last receipt numbers (inclusive), and a registered hospital as MSP ID and unit.',
    )
    @Returns('ReceiptRange')
    async allocateRange(ctx: Context, rangeJson: string): Promise<string> {
        const finance = requireRole(ctx, FINANCE);
        const input = parseJson('rangeJson', rangeJson, RangeInput);
        checkRangeBounds(input);
        await requireRecord<Hospital>(
            ctx,
            HOSPITAL_RECORD,
            [input.hospitalMspId, input.hospitalUnit],
            `hospital ${input.hospitalMspId}/${input.hospitalUnit} (a hospital registers itself with registerHospital)`,
        );
        const existing = await listRecords<ReceiptRange>(ctx, RANGE, [input.code]);
        const overlapping = existing.find((range) => rangesOverlap(range, input));
        if (overlapping) {
            throw refuse(
                EINVOICE_CODES.RANGE_OVERLAP,
                `range ${input.code} ${input.start}-${input.end} overlaps ${overlapping.start}-${overlapping.end} of ${overlapping.hospitalUnit}`,
            );
        }
        const range: ReceiptRange = {
            docType: RANGE,
            ...input,
            allocatedBy: actorOf(finance),
            allocatedAtMinute: txMinute(ctx),
        };
        await putRecord(ctx, RANGE, [range.code, range.start], range);
        this.emitEvent(ctx, 'RangeAllocated', range);
        return canonicalJson(range);
    }

    /**
     * The hospital records the patient's details (transient field `patient`: JSON {name, idNumber,
     * department?, visitDate?}) privately for a receipt it is about to issue.
     */
    @Transaction()
    @Param('code', 'string', CODE_DOC)
    @Param('number', 'string', `${NUMBER_DOC} It must lie in a range allocated to the caller's hospital.`)
    @Returns('PatientDetailsHash')
    async recordPatientDetails(ctx: Context, code: string, number: string): Promise<string> {
        const hospital = requireRole(ctx, HOSPITAL);
        const id = await requireIssuableBy(ctx, hospital, code, number);
        const input = readTransientJson(ctx, 'patient', PatientDetailsInput);
        const details: PatientDetails = {
            docType: PATIENT,
            name: input.name,
            idNumber: input.idNumber,
            department: input.department ?? null,
            visitDate: input.visitDate ?? null,
        };
        const patientDetailsHash = await putPrivateRecord(ctx, PATIENT_COLLECTION, PATIENT, id.parts, details);
        const result: PatientDetailsHash = { code: id.code, number: id.number, patientDetailsHash };
        this.emitEvent(ctx, 'PatientDetailsRecorded', result);
        return canonicalJson(result);
    }

    /** The hospital issues a receipt in its range, after recording the patient's details. */
    @Transaction()
    @Param('code', 'string', CODE_DOC)
    @Param('number', 'string', `${NUMBER_DOC} It must lie in a range allocated to the caller's hospital.`)
    @Param(
        'receiptJson',
        'string',
        "The receipt as JSON {checkCode, pooledFundFen, coPayFen, selfPaidFen, totalFen, contentHash, patientId}: the 4-12 character 校验码, amounts in fen (the three parts add up to the total), the SHA-256 hex of the receipt document, and the patient's pseudonym from getPatientId.",
    )
    @Returns('Receipt')
    async issueReceipt(ctx: Context, code: string, number: string, receiptJson: string): Promise<string> {
        const hospital = requireRole(ctx, HOSPITAL);
        const id = await requireIssuableBy(ctx, hospital, code, number);
        const input = parseJson('receiptJson', receiptJson, ReceiptInput);
        checkAmounts(input);
        const patientDetailsHash = await privateDataHash(ctx, PATIENT_COLLECTION, PATIENT, id.parts);
        if (patientDetailsHash === '') {
            throw refuse(
                COMMON_CODES.PRIVATE_DATA,
                `patient details of receipt ${id.display} are not recorded; submit recordPatientDetails first`,
            );
        }
        const receipt: Receipt = {
            docType: RECEIPT,
            code: id.code,
            number: id.number,
            status: 'ISSUED',
            issuer: actorOf(hospital),
            issuedAtMinute: txMinute(ctx),
            amounts: {
                pooledFundFen: input.pooledFundFen,
                coPayFen: input.coPayFen,
                selfPaidFen: input.selfPaidFen,
                totalFen: input.totalFen,
            },
            contentHash: input.contentHash,
            patientDetailsHash,
            checkCodeHash: sha256Hex(checkCodeHashInput(id.code, id.number, input.checkCode)),
            patientId: input.patientId,
            consents: [],
            claims: [],
            reversedAtMinute: null,
        };
        await putRecord(ctx, RECEIPT, id.parts, receipt);
        await requireEndorsementBy(ctx, RECEIPT, id.parts, ['RegulatorMSP', hospital.mspId]);
        this.emitEvent(ctx, 'ReceiptIssued', {
            code: id.code,
            number: id.number,
            issuerUnit: hospital.unit,
            totalFen: input.totalFen,
            contentHash: input.contentHash,
        });
        return canonicalJson(receipt);
    }

    /** The patient's pseudonym for the caller's certificate, to give the hospital that issues its receipts. */
    @Transaction(false)
    @Returns('PatientPseudonym')
    async getPatientId(ctx: Context): Promise<string> {
        const patient = requireRole(ctx, PATIENT_ROLE);
        return canonicalJson({ patientId: patientIdOf(patient) } satisfies PatientPseudonym);
    }

    /** The receipt's patient consents to one reimburser claiming it. */
    @Transaction()
    @Param('code', 'string', CODE_DOC)
    @Param('number', 'string', NUMBER_DOC)
    @Param('reimburserMspId', 'string', REIMBURSER_MSP_DOC)
    @Param('reimburserUnit', 'string', REIMBURSER_UNIT_DOC)
    @Returns('Receipt')
    async consentToClaim(
        ctx: Context,
        code: string,
        number: string,
        reimburserMspId: string,
        reimburserUnit: string,
    ): Promise<string> {
        const { id, receipt, reimburser } = await requireConsentBy(ctx, code, number, reimburserMspId, reimburserUnit);
        const consented = grantConsent(receipt, reimburser, id.display);
        await putRecord(ctx, RECEIPT, id.parts, consented);
        this.emitEvent(ctx, 'ConsentGiven', { code: id.code, number: id.number, reimburser });
        return canonicalJson(consented);
    }

    /** The receipt's patient withdraws a consent; the reimburser's pending claim, if any, is released. */
    @Transaction()
    @Param('code', 'string', CODE_DOC)
    @Param('number', 'string', NUMBER_DOC)
    @Param('reimburserMspId', 'string', REIMBURSER_MSP_DOC)
    @Param('reimburserUnit', 'string', REIMBURSER_UNIT_DOC)
    @Returns('Receipt')
    async withdrawConsent(
        ctx: Context,
        code: string,
        number: string,
        reimburserMspId: string,
        reimburserUnit: string,
    ): Promise<string> {
        const { id, receipt, reimburser } = await requireConsentBy(ctx, code, number, reimburserMspId, reimburserUnit);
        const withdrawn = withdrawConsent(receipt, reimburser, id.display);
        await putRecord(ctx, RECEIPT, id.parts, withdrawn);
        this.emitEvent(ctx, 'ConsentWithdrawn', {
            code: id.code,
            number: id.number,
            reimburser,
            releasedClaimFen: claimBy(receipt, reimburser)?.claimFen ?? null,
        });
        return canonicalJson(withdrawn);
    }

    /**
     * A reimburser the patient consented to locks its claim: one per reimburser, and all claims
     * together never above the face amount.
     */
    @Transaction()
    @Param('code', 'string', CODE_DOC)
    @Param('number', 'string', NUMBER_DOC)
    @Param(
        'claimFen',
        'number',
        'The amount claimed in fen (分): a positive whole number in decimal digits, at most what other claims leave of the face amount.',
    )
    @Returns('Receipt')
    async lockReceipt(ctx: Context, code: string, number: string, claimFen: number): Promise<string> {
        const reimburser = requireRole(ctx, ...REIMBURSERS);
        const claim = parseArgument('claimFen', claimFen, claimAmount);
        const { id, receipt } = await requireReceipt(ctx, code, number);
        const locked = lockClaim(receipt, actorOf(reimburser), claim, txMinute(ctx), id.display);
        await putRecord(ctx, RECEIPT, id.parts, locked);
        this.emitEvent(ctx, 'ReceiptLocked', {
            code: id.code,
            number: id.number,
            claimFen: claim,
            by: reimburser.unit,
        });
        return canonicalJson(locked);
    }

    /** The reimburser holding a pending claim releases it. */
    @Transaction()
    @Param('code', 'string', CODE_DOC)
    @Param('number', 'string', NUMBER_DOC)
    @Returns('Receipt')
    async unlockReceipt(ctx: Context, code: string, number: string): Promise<string> {
        const reimburser = requireRole(ctx, ...REIMBURSERS);
        const { id, receipt } = await requireReceipt(ctx, code, number);
        const unlocked = releaseClaim(receipt, reimburser, id.display);
        await putRecord(ctx, RECEIPT, id.parts, unlocked);
        this.emitEvent(ctx, 'ReceiptUnlocked', { code: id.code, number: id.number, by: reimburser.unit });
        return canonicalJson(unlocked);
    }

    /** The reimburser holding a pending claim pays it: reimbursed once and for good. */
    @Transaction()
    @Param('code', 'string', CODE_DOC)
    @Param('number', 'string', NUMBER_DOC)
    @Returns('Receipt')
    async reimburseReceipt(ctx: Context, code: string, number: string): Promise<string> {
        const reimburser = requireRole(ctx, ...REIMBURSERS);
        const { id, receipt } = await requireReceipt(ctx, code, number);
        const reimbursed = reimburseClaim(receipt, reimburser, txMinute(ctx), id.display);
        await putRecord(ctx, RECEIPT, id.parts, reimbursed);
        this.emitEvent(ctx, 'ReceiptReimbursed', {
            code: id.code,
            number: id.number,
            claimFen: claimBy(reimbursed, reimburser)?.claimFen ?? 0,
            by: reimburser.unit,
        });
        return canonicalJson(reimbursed);
    }

    /** The issuing hospital reverses (红冲) an unclaimed receipt; it is void from then on. */
    @Transaction()
    @Param('code', 'string', CODE_DOC)
    @Param('number', 'string', NUMBER_DOC)
    @Returns('Receipt')
    async reverseReceipt(ctx: Context, code: string, number: string): Promise<string> {
        const hospital = requireRole(ctx, HOSPITAL);
        const { id, receipt } = await requireReceipt(ctx, code, number);
        if (!sameParty(hospital, receipt.issuer)) {
            throw forbidden(`only the issuer ${receipt.issuer.unit} may reverse (红冲) receipt ${id.display}`);
        }
        checkReversible(receipt, id.display);
        const reversed: Receipt = { ...receipt, status: 'REVERSED', reversedAtMinute: txMinute(ctx) };
        await putRecord(ctx, RECEIPT, id.parts, reversed);
        this.emitEvent(ctx, 'ReceiptReversed', { code: id.code, number: id.number, by: hospital.unit });
        return canonicalJson(reversed);
    }

    /** Anyone. A wrong check code and an unknown receipt are refused alike, revealing nothing. */
    @Transaction(false)
    @Param('code', 'string', CODE_DOC)
    @Param('number', 'string', NUMBER_DOC)
    @Param('checkCode', 'string', '校验码, the check code printed on the receipt: 4-12 letters or digits.')
    @Returns('ReceiptVerification')
    async verifyReceipt(ctx: Context, code: string, number: string, checkCode: string): Promise<string> {
        const noMatch = refuse(EINVOICE_CODES.VERIFY_FAILED, 'no receipt matches this code, number and check code');
        if (
            ![receiptCode.safeParse(code), receiptNumber.safeParse(number), checkCodeSchema.safeParse(checkCode)].every(
                (result) => result.success,
            )
        ) {
            throw noMatch;
        }
        const id = receiptKeyOf(code, number);
        const receipt = await getRecord<Receipt>(ctx, RECEIPT, id.parts);
        if (!receipt || receipt.checkCodeHash !== sha256Hex(checkCodeHashInput(id.code, id.number, checkCode))) {
            throw noMatch;
        }
        const verification: ReceiptVerification = {
            code: receipt.code,
            number: receipt.number,
            status: receipt.status,
            contentHash: receipt.contentHash,
            issuerUnit: receipt.issuer.unit,
            issuedAtMinute: receipt.issuedAtMinute,
            totalFen: receipt.amounts.totalFen,
            reimbursedFen: reimbursedFen(receipt),
        };
        return canonicalJson(verification);
    }

    /** The whole record, for 财政厅票据中心, reimbursers, the issuing hospital and the receipt's patient. */
    @Transaction(false)
    @Param('code', 'string', CODE_DOC)
    @Param('number', 'string', NUMBER_DOC)
    @Returns('Receipt')
    async getReceipt(ctx: Context, code: string, number: string): Promise<string> {
        const caller = requireRole(ctx, FINANCE, HOSPITAL, PATIENT_ROLE, ...REIMBURSERS);
        const { id, receipt } = await requireReceipt(ctx, code, number);
        if (matches(caller, HOSPITAL) && !sameParty(caller, receipt.issuer)) {
            throw forbidden(`receipt ${id.display} was issued by another hospital`);
        }
        if (matches(caller, PATIENT_ROLE)) {
            requirePatient(receipt, caller, id.display, 'read it');
        }
        return canonicalJson(receipt);
    }

    /** Ranges of one receipt code, in number order. Anyone. */
    @Transaction(false)
    @Param('code', 'string', CODE_DOC)
    @Returns('ReceiptRange[]')
    async listRanges(ctx: Context, code: string): Promise<string> {
        const validCode = parseArgument('code', code, receiptCode);
        return canonicalJson(await listRecords<ReceiptRange>(ctx, RANGE, [validCode]));
    }

    /**
     * The private patient details, for the issuing hospital, a reimburser holding a claim and the
     * patient. Evaluate on a peer of a collection member (RegulatorMSP or MemberMSP).
     */
    @Transaction(false)
    @Param('code', 'string', CODE_DOC)
    @Param('number', 'string', NUMBER_DOC)
    @Returns('PatientDetails')
    async getPatientDetails(ctx: Context, code: string, number: string): Promise<string> {
        const caller = requireRole(ctx, HOSPITAL, PATIENT_ROLE, ...REIMBURSERS);
        const { id, receipt } = await requireReceipt(ctx, code, number);
        const allowed = matches(caller, PATIENT_ROLE)
            ? patientIdOf(caller) === receipt.patientId
            : sameParty(caller, receipt.issuer) ||
              (REIMBURSERS.some((requirement) => matches(caller, requirement)) &&
                  claimBy(receipt, caller) !== undefined);
        if (!allowed) {
            throw forbidden(
                `patient details of receipt ${id.display} are for its issuer, its patient and reimbursers holding a claim`,
            );
        }
        const details = await getPrivateRecord<PatientDetails>(ctx, PATIENT_COLLECTION, PATIENT, id.parts);
        if (!details) {
            throw refuse(COMMON_CODES.NOT_FOUND, `patient details of receipt ${id.display} are not on this peer`);
        }
        return canonicalJson(details);
    }
}
