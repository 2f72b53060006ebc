import type { Context } from 'fabric-contract-api';
import {
    alreadyExists,
    type Caller,
    forbidden,
    listRecords,
    parseArgument,
    type Party,
    recordExists,
    refuse,
    requireRecord,
    requireRole,
    sameParty,
} from '../lib';
import type { Receipt, ReceiptRange } from './model';
import { PATIENT_ROLE, reimburserOf } from './roles';
import { requirePatient } from './claims';
import { EINVOICE_CODES, findRange, receiptCode, receiptId, receiptNumber } from './rules';

/** The e-receipt records' doc types, which are also their keys' object types. */
export const HOSPITAL_RECORD = 'einvoice.hospital';
export const RANGE = 'einvoice.range';
export const RECEIPT = 'einvoice.receipt';
export const PATIENT = 'einvoice.patient';
/** The private collection of patient details (members: RegulatorMSP and MemberMSP). */
export const PATIENT_COLLECTION = 'einvoicePatientDetails';

/** A receipt's code and number as validated arguments, its key parts, and how messages name it. */
export interface ReceiptKey {
    code: string;
    number: string;
    parts: [string, string];
    display: string;
}

export function receiptKeyOf(code: string, number: string): ReceiptKey {
    const validCode = parseArgument('code', code, receiptCode);
    const validNumber = parseArgument('number', number, receiptNumber);
    return {
        code: validCode,
        number: validNumber,
        parts: [validCode, validNumber],
        display: receiptId(validCode, validNumber),
    };
}

export async function requireReceipt(
    ctx: Context,
    code: string,
    number: string,
): Promise<{ id: ReceiptKey; receipt: Receipt }> {
    const id = receiptKeyOf(code, number);
    const receipt = await requireRecord<Receipt>(ctx, RECEIPT, id.parts, `receipt ${id.display}`);
    return { id, receipt };
}

/** Refuses unless the number lies in a range allocated to the caller's hospital and is unused. */
export async function requireIssuableBy(
    ctx: Context,
    hospital: Caller,
    code: string,
    number: string,
): Promise<ReceiptKey> {
    const id = receiptKeyOf(code, number);
    const range = findRange(await listRecords<ReceiptRange>(ctx, RANGE, [id.code]), id.number);
    if (!range) {
        throw refuse(EINVOICE_CODES.NOT_ALLOCATED, `receipt number ${id.display} is in no allocated range`);
    }
    if (!sameParty(hospital, { mspId: range.hospitalMspId, unit: range.hospitalUnit })) {
        throw forbidden(
            `receipt number ${id.display} is allocated to ${range.hospitalUnit}, not ${hospital.unit || hospital.mspId}`,
        );
    }
    if (await recordExists(ctx, RECEIPT, id.parts)) {
        throw alreadyExists(`receipt ${id.display}`);
    }
    return id;
}

/** The receipt and the reimburser named, for a consent given or withdrawn by the receipt's patient only. */
export async function requireConsentBy(
    ctx: Context,
    code: string,
    number: string,
    reimburserMspId: string,
    reimburserUnit: string,
): Promise<{ id: ReceiptKey; receipt: Receipt; reimburser: Party }> {
    const patient = requireRole(ctx, PATIENT_ROLE);
    const reimburser = reimburserOf(reimburserMspId, reimburserUnit);
    const { id, receipt } = await requireReceipt(ctx, code, number);
    requirePatient(receipt, patient, id.display, 'give or withdraw consent to claim it');
    return { id, receipt, reimburser };
}
