import { Context, Info, Param, Returns, Transaction } from 'fabric-contract-api';
import { ZhelianContract } from '../lib/contract';
import {
    alreadyExists,
    canonicalJson,
    type Caller,
    emitEvent,
    forbidden,
    getPrivateRecord,
    getRecord,
    listRecords,
    parseArgument,
    parseJson,
    privateDataHash,
    putPrivateRecord,
    putRecord,
    readTransientJson,
    recordExists,
    refuse,
    requireEndorsementBy,
    requireRecord,
    requireRole,
    type RoleRequirement,
    sha256Hex,
    txMinute,
} from '../lib';
// Loaded for its @Object decorators: they describe the records in the contract metadata.
import './model';
import type { PatientDetails, Receipt, ReceiptParty, ReceiptRange, ReceiptStatus, ReceiptVerification } from './model';
import {
    checkAmounts,
    checkClaim,
    checkCode,
    checkCodeHashInput,
    checkRangeBounds,
    checkTransition,
    claimAmount,
    findRange,
    PatientDetailsInput,
    RangeInput,
    rangesOverlap,
    receiptCode,
    receiptId,
    receiptNumber,
    ReceiptInput,
} from './rules';

const RANGE = 'einvoice.range';
const RECEIPT = 'einvoice.receipt';
const PATIENT = 'einvoice.patient';
const PATIENT_COLLECTION = 'einvoicePatientDetails';

const FINANCE: RoleRequirement = { msp: 'RegulatorMSP', role: 'finance' };
const HOSPITAL: RoleRequirement = { msp: 'MemberMSP', role: 'hospital' };
/** 医保局 (public medical insurance) and 商业保险 (commercial insurers). */
const REIMBURSERS: RoleRequirement[] = [
    { msp: 'RegulatorMSP', role: 'reimburser' },
    { msp: 'MemberMSP', role: 'reimburser' },
];

function partyOf(caller: Caller): ReceiptParty {
    return { mspId: caller.mspId, unit: caller.unit, id: caller.id };
}

/** Bodies are matched by MSP and unit: any certificate of 浙一 acts for 浙一. */
function sameBody(caller: Caller, party: { mspId: string; unit: string }): boolean {
    return caller.mspId === party.mspId && caller.unit === party.unit;
}

/**
 * 区块链电子票据 — medical e-receipts.
 *
 * 浙江省财政厅票据中心 allocates receipt-number ranges to hospitals; a hospital records the
 * patient's details privately and then issues a receipt in its range; a reimburser (医保局 or a
 * commercial insurer) locks a claim on it and then reimburses it, or unlocks it; the issuer may
 * reverse (红冲) an unclaimed receipt. Anyone with code, number and check code can verify it.
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

    @Transaction()
    @Param('rangeJson', 'string', 'JSON {code, start, end, hospitalMspId, hospitalUnit}')
    @Returns('ReceiptRange')
    async allocateRange(ctx: Context, rangeJson: string): Promise<string> {
        const finance = requireRole(ctx, FINANCE);
        const input = parseJson('rangeJson', rangeJson, RangeInput);
        checkRangeBounds(input);
        const existing = await listRecords<ReceiptRange>(ctx, RANGE, [input.code]);
        const overlapping = existing.find((range) => rangesOverlap(range, input));
        if (overlapping) {
            throw refuse(
                'E_RANGE_OVERLAP',
                `range ${input.code} ${input.start}-${input.end} overlaps ${overlapping.start}-${overlapping.end} of ${overlapping.hospitalUnit}`,
            );
        }
        const range: ReceiptRange = { ...input, allocatedBy: partyOf(finance), allocatedAtMinute: txMinute(ctx) };
        await putRecord(ctx, RANGE, [range.code, range.start], range);
        emitEvent(ctx, 'RangeAllocated', range);
        return canonicalJson(range);
    }

    @Transaction()
    @Param('code', 'string', '票据代码, 8 digits')
    @Param('number', 'string', '票据号码, 1-10 digits')
    @Returns('string')
    async recordPatientDetails(ctx: Context, code: string, number: string): Promise<string> {
        const hospital = requireRole(ctx, HOSPITAL);
        const id = await this.#requireIssuableBy(ctx, hospital, code, number);
        const details = readTransientJson(ctx, 'patient', PatientDetailsInput);
        const patientDetailsHash = await putPrivateRecord(ctx, PATIENT_COLLECTION, PATIENT, id.parts, details);
        const result = { code: id.code, number: id.number, patientDetailsHash };
        emitEvent(ctx, 'PatientDetailsRecorded', result);
        return canonicalJson(result);
    }

    @Transaction()
    @Param('code', 'string', '票据代码, 8 digits')
    @Param('number', 'string', '票据号码, 1-10 digits')
    @Param('receiptJson', 'string', 'JSON {checkCode, pooledFundFen, coPayFen, selfPaidFen, totalFen, contentHash}')
    @Returns('Receipt')
    async issueReceipt(ctx: Context, code: string, number: string, receiptJson: string): Promise<string> {
        const hospital = requireRole(ctx, HOSPITAL);
        const id = await this.#requireIssuableBy(ctx, hospital, code, number);
        const input = parseJson('receiptJson', receiptJson, ReceiptInput);
        checkAmounts(input);
        const patientDetailsHash = await privateDataHash(ctx, PATIENT_COLLECTION, PATIENT, id.parts);
        if (patientDetailsHash === '') {
            throw refuse(
                'E_PRIVATE_DATA',
                `patient details of receipt ${id.display} are not recorded; submit recordPatientDetails first`,
            );
        }
        const receipt: Receipt = {
            code: id.code,
            number: id.number,
            status: 'ISSUED',
            issuer: partyOf(hospital),
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
        };
        await putRecord(ctx, RECEIPT, id.parts, receipt);
        await requireEndorsementBy(ctx, RECEIPT, id.parts, ['RegulatorMSP', hospital.mspId]);
        emitEvent(ctx, 'ReceiptIssued', {
            code: id.code,
            number: id.number,
            issuerUnit: hospital.unit,
            totalFen: input.totalFen,
            contentHash: input.contentHash,
        });
        return canonicalJson(receipt);
    }

    @Transaction()
    @Param('code', 'string', '票据代码')
    @Param('number', 'string', '票据号码')
    @Param('claimFen', 'number', 'the amount claimed, in fen; at most the face amount')
    @Returns('Receipt')
    async lockReceipt(ctx: Context, code: string, number: string, claimFen: number): Promise<string> {
        const reimburser = requireRole(ctx, ...REIMBURSERS);
        const { id, receipt } = await this.#requireReceipt(ctx, code, number);
        checkTransition(receipt.status as ReceiptStatus, 'lock', id.display);
        const claim = parseArgument('claimFen', claimFen, claimAmount);
        checkClaim(claim, receipt.amounts.totalFen, id.display);
        const locked: Receipt = {
            ...receipt,
            status: 'LOCKED',
            claim: { by: partyOf(reimburser), claimFen: claim, lockedAtMinute: txMinute(ctx) },
        };
        await putRecord(ctx, RECEIPT, id.parts, locked);
        emitEvent(ctx, 'ReceiptLocked', { code: id.code, number: id.number, claimFen: claim, by: reimburser.unit });
        return canonicalJson(locked);
    }

    @Transaction()
    @Param('code', 'string', '票据代码')
    @Param('number', 'string', '票据号码')
    @Returns('Receipt')
    async unlockReceipt(ctx: Context, code: string, number: string): Promise<string> {
        const reimburser = requireRole(ctx, ...REIMBURSERS);
        const { id, receipt } = await this.#requireReceipt(ctx, code, number);
        checkTransition(receipt.status as ReceiptStatus, 'unlock', id.display);
        this.#requireLocker(reimburser, receipt, 'unlock', id.display);
        const unlocked: Receipt = { ...receipt, status: 'ISSUED' };
        delete unlocked.claim;
        await putRecord(ctx, RECEIPT, id.parts, unlocked);
        emitEvent(ctx, 'ReceiptUnlocked', { code: id.code, number: id.number, by: reimburser.unit });
        return canonicalJson(unlocked);
    }

    @Transaction()
    @Param('code', 'string', '票据代码')
    @Param('number', 'string', '票据号码')
    @Returns('Receipt')
    async reimburseReceipt(ctx: Context, code: string, number: string): Promise<string> {
        const reimburser = requireRole(ctx, ...REIMBURSERS);
        const { id, receipt } = await this.#requireReceipt(ctx, code, number);
        checkTransition(receipt.status as ReceiptStatus, 'reimburse', id.display);
        this.#requireLocker(reimburser, receipt, 'reimburse', id.display);
        const reimbursed: Receipt = { ...receipt, status: 'REIMBURSED', reimbursedAtMinute: txMinute(ctx) };
        await putRecord(ctx, RECEIPT, id.parts, reimbursed);
        emitEvent(ctx, 'ReceiptReimbursed', {
            code: id.code,
            number: id.number,
            claimFen: receipt.claim?.claimFen ?? 0,
            by: reimburser.unit,
        });
        return canonicalJson(reimbursed);
    }

    @Transaction()
    @Param('code', 'string', '票据代码')
    @Param('number', 'string', '票据号码')
    @Returns('Receipt')
    async reverseReceipt(ctx: Context, code: string, number: string): Promise<string> {
        const hospital = requireRole(ctx, HOSPITAL);
        const { id, receipt } = await this.#requireReceipt(ctx, code, number);
        if (!sameBody(hospital, receipt.issuer)) {
            throw forbidden(`only the issuer ${receipt.issuer.unit} may reverse (红冲) receipt ${id.display}`);
        }
        checkTransition(receipt.status as ReceiptStatus, 'reverse', id.display);
        const reversed: Receipt = { ...receipt, status: 'REVERSED', reversedAtMinute: txMinute(ctx) };
        await putRecord(ctx, RECEIPT, id.parts, reversed);
        emitEvent(ctx, 'ReceiptReversed', { code: id.code, number: id.number, by: hospital.unit });
        return canonicalJson(reversed);
    }

    /** Anyone. A wrong check code and an unknown receipt are refused alike, revealing nothing. */
    @Transaction(false)
    @Param('code', 'string', '票据代码')
    @Param('number', 'string', '票据号码')
    @Param('checkCode', 'string', '校验码 printed on the receipt')
    @Returns('ReceiptVerification')
    async verifyReceipt(ctx: Context, code: string, number: string, check: string): Promise<string> {
        const noMatch = refuse('E_VERIFY_FAILED', 'no receipt matches this code, number and check code');
        if (
            ![receiptCode.safeParse(code), receiptNumber.safeParse(number), checkCode.safeParse(check)].every(
                (result) => result.success,
            )
        ) {
            throw noMatch;
        }
        const id = receiptKeyOf(code, number);
        const receipt = await getRecord<Receipt>(ctx, RECEIPT, id.parts);
        if (!receipt || receipt.checkCodeHash !== sha256Hex(checkCodeHashInput(id.code, id.number, check))) {
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
        };
        return canonicalJson(verification);
    }

    /** The whole record, for 财政厅票据中心, reimbursers and the issuing hospital. */
    @Transaction(false)
    @Param('code', 'string', '票据代码')
    @Param('number', 'string', '票据号码')
    @Returns('Receipt')
    async getReceipt(ctx: Context, code: string, number: string): Promise<string> {
        const caller = requireRole(ctx, FINANCE, HOSPITAL, ...REIMBURSERS);
        const { id, receipt } = await this.#requireReceipt(ctx, code, number);
        if (caller.role === 'hospital' && !sameBody(caller, receipt.issuer)) {
            throw forbidden(`receipt ${id.display} was issued by another hospital`);
        }
        return canonicalJson(receipt);
    }

    /** Ranges of one receipt code, in number order. Anyone. */
    @Transaction(false)
    @Param('code', 'string', '票据代码')
    @Returns('ReceiptRange[]')
    async listRanges(ctx: Context, code: string): Promise<string> {
        const validCode = parseArgument('code', code, receiptCode);
        return canonicalJson(await listRecords<ReceiptRange>(ctx, RANGE, [validCode]));
    }

    /**
     * The private patient details, for the issuing hospital and the reimburser holding the claim.
     * Evaluate on a peer of a collection member (RegulatorMSP or MemberMSP).
     */
    @Transaction(false)
    @Param('code', 'string', '票据代码')
    @Param('number', 'string', '票据号码')
    @Returns('PatientDetails')
    async getPatientDetails(ctx: Context, code: string, number: string): Promise<string> {
        const caller = requireRole(ctx, HOSPITAL, ...REIMBURSERS);
        const { id, receipt } = await this.#requireReceipt(ctx, code, number);
        const allowed =
            sameBody(caller, receipt.issuer) || (receipt.claim !== undefined && sameBody(caller, receipt.claim.by));
        if (!allowed) {
            throw forbidden(
                `patient details of receipt ${id.display} are for its issuer and the reimburser holding its claim`,
            );
        }
        const details = await getPrivateRecord<PatientDetails>(ctx, PATIENT_COLLECTION, PATIENT, id.parts);
        if (!details) {
            throw refuse('E_NOT_FOUND', `patient details of receipt ${id.display} are not on this peer`);
        }
        return canonicalJson(details);
    }

    /** Refuses unless the number lies in a range allocated to the caller's hospital and is unused. */
    async #requireIssuableBy(ctx: Context, hospital: Caller, code: string, number: string): Promise<ReceiptKey> {
        const id = receiptKeyOf(code, number);
        const range = findRange(await listRecords<ReceiptRange>(ctx, RANGE, [id.code]), id.number);
        if (!range) {
            throw refuse('E_NOT_ALLOCATED', `receipt number ${id.display} is in no allocated range`);
        }
        if (!sameBody(hospital, { mspId: range.hospitalMspId, unit: range.hospitalUnit })) {
            throw forbidden(
                `receipt number ${id.display} is allocated to ${range.hospitalUnit}, not ${hospital.unit || hospital.mspId}`,
            );
        }
        if (await recordExists(ctx, RECEIPT, id.parts)) {
            throw alreadyExists(`receipt ${id.display}`);
        }
        return id;
    }

    async #requireReceipt(ctx: Context, code: string, number: string): Promise<{ id: ReceiptKey; receipt: Receipt }> {
        const id = receiptKeyOf(code, number);
        const receipt = await requireRecord<Receipt>(ctx, RECEIPT, id.parts, `receipt ${id.display}`);
        return { id, receipt };
    }

    #requireLocker(caller: Caller, receipt: Receipt, action: string, display: string): void {
        if (!receipt.claim || !sameBody(caller, receipt.claim.by)) {
            throw forbidden(
                `only ${receipt.claim?.by.unit ?? 'the locking reimburser'}, which locked receipt ${display}, may ${action} it`,
            );
        }
    }
}

interface ReceiptKey {
    code: string;
    number: string;
    parts: [string, string];
    display: string;
}

function receiptKeyOf(code: string, number: string): ReceiptKey {
    const validCode = parseArgument('code', code, receiptCode);
    const validNumber = parseArgument('number', number, receiptNumber);
    return {
        code: validCode,
        number: validNumber,
        parts: [validCode, validNumber],
        display: receiptId(validCode, validNumber),
    };
}
