import { Object as DataType, Property } from 'fabric-contract-api';
import type { Caller } from './identity';

/**
 * Who takes part, as records name them. Two shapes, one for each question a record answers:
 * - {@link Party} — which body: MSP + certificate attribute `unit` (浙一, 天猫, 勐海茶园). Any
 *   certificate of the body acts for it, so rules match parties, never certificates; a party
 *   can also be named by arguments (the new holder of a tea cake).
 * - {@link Actor} — which certificate acted for its body, with its role: kept for audit
 *   (who issued a receipt, who deposited evidence).
 *
 * ```ts
 * const issuer = actorOf(requireRole(ctx, HOSPITAL));
 * if (!sameParty(caller, receipt.issuer)) throw forbidden(…);
 * ```
 */
@DataType()
export class Party {
    /** MSP ID of the organization, e.g. `MemberMSP`. */
    @Property('mspId', 'string') mspId!: string;
    /** The body within it, the certificate attribute `unit`, e.g. `浙江大学医学院附属第一医院`. */
    @Property('unit', 'string') unit!: string;
}

@DataType()
export class Actor {
    @Property('mspId', 'string') mspId!: string;
    @Property('unit', 'string') unit!: string;
    /** The certificate attribute `role`, e.g. `hospital`, `notary`; empty if it has none. */
    @Property('role', 'string') role!: string;
    /** The certificate as Fabric prints it: `x509::<subject>::<issuer>`. */
    @Property('id', 'string') id!: string;
}

/** The body the caller acts for. */
export function partyOf(who: Party): Party {
    return { mspId: who.mspId, unit: who.unit };
}

/** The caller's certificate as a record keeps it. */
export function actorOf(caller: Caller): Actor {
    return { mspId: caller.mspId, unit: caller.unit, role: caller.role, id: caller.id };
}

/** Same body: same MSP and unit, whichever certificate. A missing party matches nothing. */
export function sameParty(a: Party, b: Party | null): boolean {
    return b !== null && a.mspId === b.mspId && a.unit === b.unit;
}

/** `MemberMSP/普洱茶厂`, for messages. */
export function partyName(party: Party): string {
    return `${party.mspId}/${party.unit}`;
}
