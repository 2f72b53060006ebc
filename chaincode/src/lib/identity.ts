import type { Context } from 'fabric-contract-api';
import { forbidden } from './errors';

/**
 * Who is calling, read from the certificate that signed the proposal: the MSP ID and the Fabric
 * CA attributes `role` and `unit`. Never from a transaction argument.
 */
export interface Caller {
    mspId: string;
    /** The certificate identity as Fabric prints it: `x509::<subject>::<issuer>`. */
    id: string;
    /** Attribute `role`, e.g. `finance`, `hospital`, `notary`; empty if the certificate has none. */
    role: string;
    /** Attribute `unit`, the body the person acts for, e.g. `医保局`; empty if absent. */
    unit: string;
}

/** One accepted kind of caller: an MSP, optionally narrowed to roles within it. */
export interface RoleRequirement {
    msp: string;
    /** One role or several; omitted means any member of the MSP. */
    role?: string | readonly string[];
}

export function callerOf(ctx: Context): Caller {
    const identity = ctx.clientIdentity;
    return {
        mspId: identity.getMSPID(),
        id: identity.getID(),
        role: identity.getAttributeValue('role') ?? '',
        unit: identity.getAttributeValue('unit') ?? '',
    };
}

export function matches(caller: Caller, requirement: RoleRequirement): boolean {
    if (caller.mspId !== requirement.msp) {
        return false;
    }
    if (requirement.role === undefined) {
        return true;
    }
    const roles: readonly string[] = typeof requirement.role === 'string' ? [requirement.role] : requirement.role;
    return roles.includes(caller.role);
}

function describe(requirement: RoleRequirement): string {
    if (requirement.role === undefined) {
        return `a member of ${requirement.msp}`;
    }
    const roles = typeof requirement.role === 'string' ? [requirement.role] : requirement.role;
    return `${requirement.msp} role ${roles.join('/')}`;
}

function describeCaller(caller: Caller): string {
    return `${caller.mspId} role ${caller.role || '(none)'}`;
}

/**
 * Returns the caller if its certificate matches one of the requirements, otherwise refuses
 * with `E_FORBIDDEN`.
 *
 * ```ts
 * const finance = requireRole(ctx, { msp: 'RegulatorMSP', role: 'finance' });
 * const reimburser = requireRole(ctx, { msp: 'RegulatorMSP', role: 'reimburser' }, { msp: 'MemberMSP', role: 'reimburser' });
 * ```
 */
export function requireRole(ctx: Context, ...requirements: RoleRequirement[]): Caller {
    const caller = callerOf(ctx);
    if (!requirements.some((requirement) => matches(caller, requirement))) {
        throw forbidden(`requires ${requirements.map(describe).join(' or ')}; caller is ${describeCaller(caller)}`);
    }
    return caller;
}
