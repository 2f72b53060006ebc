/**
 * The records of 时间银行 (time bank) as stored in world state. Every quantity is whole minutes
 * of service. Minutes come into existence only when a service is confirmed (one mint record per
 * order, written once), then move between accounts, the donation pool and redemptions:
 *
 *   minted = Σ confirmed order minutes = Σ balances + pool + held in open redemptions + redeemed
 *
 * (`redeemed` counts minutes spent on fulfilled redemptions: they left circulation as service
 * delivered, so they stay on the supply's right-hand side.)
 */

/** An account is one certificate: its id is `ctx.clientIdentity.getID()` (`x509::<subject>::<issuer>`). */
export interface TimeAccount {
    docType: 'timebank.account';
    id: string;
    mspId: string;
    role: string;
    unit: string;
    balanceMinutes: number;
    openedAtMinute: number;
}

/** The 志愿服务站 that posted an order: its MSP and `unit`; any of its staff acts for it. */
export interface Station {
    mspId: string;
    unit: string;
}

export type OrderStatus = 'POSTED' | 'SERVED' | 'CONFIRMED';

/** A service order: a station asks for service to an elder; a volunteer serves; someone confirms. */
export interface ServiceOrder {
    docType: 'timebank.order';
    id: string;
    station: Station;
    /** Account id of the elder who receives the service. */
    recipient: string;
    /** SHA-256 (hex) of the elder's private details in `timebankElderDetails`, as the channel holds it. */
    recipientDetailsHash: string;
    serviceType: string;
    plannedMinutes: number;
    postedAtMinute: number;
    status: OrderStatus;
    volunteer: string | null;
    actualMinutes: number | null;
    servedAtMinute: number | null;
    confirmedBy: string | null;
    confirmedAtMinute: number | null;
}

/** Written once per confirmed order; its existence is what makes crediting happen exactly once. */
export interface MintRecord {
    docType: 'timebank.mint';
    orderId: string;
    volunteer: string;
    minutes: number;
    atMinute: number;
}

/** The donation pool (爱心池): minutes donated for people in need, allocated by a station or civil affairs. */
export interface DonationPool {
    docType: 'timebank.pool';
    balanceMinutes: number;
}

export type RedemptionStatus = 'REQUESTED' | 'FULFILLED' | 'CANCELLED';

/** A holder asks for service; the minutes are held until a station fulfils or someone cancels (refund). */
export interface Redemption {
    docType: 'timebank.redemption';
    id: string;
    holder: string;
    serviceType: string;
    minutes: number;
    status: RedemptionStatus;
    requestedAtMinute: number;
    closedBy: string | null;
    closedAtMinute: number | null;
}

export type TransferKind = 'FAMILY' | 'DONATION' | 'POOL_DONATION' | 'POOL_ALLOCATION';

/** The result of a transfer, as returned and emitted. */
export interface TransferReceipt {
    kind: TransferKind;
    from: string;
    to: string;
    minutes: number;
    atMinute: number;
    txId: string;
}

/** `getSupply`: the conservation proof, computed from every record on one snapshot. */
export interface SupplyReport {
    mintedMinutes: number;
    confirmedMinutes: number;
    balancesMinutes: number;
    poolMinutes: number;
    heldInRedemptionMinutes: number;
    redeemedMinutes: number;
    accounts: number;
    /** True when minted == confirmed == balances + pool + held + redeemed. */
    balanced: boolean;
}

/** The elder's personal data in `timebankElderDetails` (RegulatorMSP, MemberMSP); never on the channel. */
export interface ElderDetails {
    accountId: string;
    name: string;
    address: string;
    phone: string;
}
