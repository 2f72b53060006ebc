import { badInput, identifier, label, parseArgument, type Party, type RoleRequirement } from '../lib';

/** 浙江省财政厅票据中心, which allocates receipt-number ranges. */
export const FINANCE: RoleRequirement = { msp: 'RegulatorMSP', role: 'finance' };
export const HOSPITAL: RoleRequirement = { msp: 'MemberMSP', role: 'hospital' };
export const PATIENT_ROLE: RoleRequirement = { msp: 'MemberMSP', role: 'patient' };
/** 医保局 (public medical insurance) and 商业保险 (commercial insurers). */
export const REIMBURSERS: RoleRequirement[] = [
    { msp: 'RegulatorMSP', role: 'reimburser' },
    { msp: 'MemberMSP', role: 'reimburser' },
];

/** A reimburser named by arguments (the patient's consent names whom it is for). */
export function reimburserOf(mspId: string, unit: string): Party {
    const msps = REIMBURSERS.map((requirement) => requirement.msp);
    const validMsp = parseArgument('reimburserMspId', mspId, identifier);
    if (!msps.includes(validMsp)) {
        throw badInput(`reimburserMspId: expected ${msps.join(' or ')}`);
    }
    return { mspId: validMsp, unit: parseArgument('reimburserUnit', unit, label) };
}
