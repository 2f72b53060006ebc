import { Object as DataType, Property } from 'fabric-contract-api';
import type { Party } from '../lib/party';

/**
 * The records of 时间银行 (time bank) as stored in world state and described by
 * `org.hyperledger.fabric:GetMetadata`. Every quantity is whole minutes of service. Minutes
 * come into existence only when a service is confirmed (one mint record per order, written
 * once), then move between accounts, the donation pool and redemptions:
 *
 *   minted = Σ confirmed order minutes = Σ balances + pool + held in open redemptions + redeemed
 *
 * (`redeemed` counts minutes spent on fulfilled redemptions: they left circulation as service
 * delivered, so they stay on the right-hand side.) Records carry `docType`; fields typed
 * `X | null` are always present (`LedgerRecord` in `lib/record.ts`).
 */

/** An account is one certificate: its id is `ctx.clientIdentity.getID()` (`x509::<subject>::<issuer>`). */
@DataType()
export class TimeAccount {
    @Property('docType', 'string') docType!: 'timebank.account';
    @Property('id', 'string') id!: string;
    @Property('mspId', 'string') mspId!: string;
    @Property('role', 'string') role!: string;
    @Property('unit', 'string') unit!: string;
    @Property('balanceMinutes', 'number') balanceMinutes!: number;
    @Property('openedAtMinute', 'number') openedAtMinute!: number;
}

export type OrderStatus = 'POSTED' | 'SERVED' | 'CONFIRMED';

/**
 * A service order: a station asks for service to an elder; one volunteer serves, for at most the
 * planned minutes; the elder or the station confirms.
 */
@DataType()
export class ServiceOrder {
    @Property('docType', 'string') docType!: 'timebank.order';
    @Property('id', 'string') id!: string;
    /** The 志愿服务站 that posted the order; any of its staff acts for it. */
    @Property('station', 'Party') station!: Party;
    /** Account id of the elder who receives the service. */
    @Property('recipient', 'string') recipient!: string;
    /** SHA-256 (hex) of the elder's private details in `timebankElderDetails`, as the channel holds it. */
    @Property('recipientDetailsHash', 'string') recipientDetailsHash!: string;
    @Property('serviceType', 'string') serviceType!: string;
    /** What the station authorizes: the served minutes recorded on the order never exceed it. */
    @Property('plannedMinutes', 'number') plannedMinutes!: number;
    @Property('postedAtMinute', 'number') postedAtMinute!: number;
    /** POSTED → SERVED → CONFIRMED. */
    @Property('status', 'string') status!: OrderStatus;
    @Property('volunteer', 'string') volunteer!: string | null;
    @Property('actualMinutes', 'number') actualMinutes!: number | null;
    @Property('servedAtMinute', 'number') servedAtMinute!: number | null;
    @Property('confirmedBy', 'string') confirmedBy!: string | null;
    @Property('confirmedAtMinute', 'number') confirmedAtMinute!: number | null;
}

/** Written once per confirmed order; its existence is what makes crediting happen exactly once. */
@DataType()
export class MintRecord {
    @Property('docType', 'string') docType!: 'timebank.mint';
    @Property('orderId', 'string') orderId!: string;
    @Property('volunteer', 'string') volunteer!: string;
    @Property('minutes', 'number') minutes!: number;
    @Property('atMinute', 'number') atMinute!: number;
}

/**
 * The donation pool (爱心池): minutes donated for people in need, allocated by a station or civil
 * affairs, only to accounts civil affairs registered as in need.
 */
@DataType()
export class DonationPool {
    @Property('docType', 'string') docType!: 'timebank.pool';
    @Property('balanceMinutes', 'number') balanceMinutes!: number;
}

/**
 * An account that 民政局 (RegulatorMSP `civil-affairs`) registered as belonging to a person in
 * need: the only kind of account the donation pool is allocated to. Why they are in need is
 * personal data and stays off the channel.
 */
@DataType()
export class PersonInNeed {
    @Property('docType', 'string') docType!: 'timebank.need';
    @Property('accountId', 'string') accountId!: string;
    /** The civil affairs certificate that registered the account. */
    @Property('registeredBy', 'string') registeredBy!: string;
    @Property('registeredAtMinute', 'number') registeredAtMinute!: number;
}

export type RedemptionStatus = 'REQUESTED' | 'FULFILLED' | 'CANCELLED';

/**
 * A holder asks a station for service; the minutes are held until that station fulfils, or the
 * holder or that station cancels (refund).
 */
@DataType()
export class Redemption {
    @Property('docType', 'string') docType!: 'timebank.redemption';
    @Property('id', 'string') id!: string;
    @Property('holder', 'string') holder!: string;
    /** The 志愿服务站 the service is asked of: only its staff fulfil or cancel. */
    @Property('station', 'Party') station!: Party;
    @Property('serviceType', 'string') serviceType!: string;
    @Property('minutes', 'number') minutes!: number;
    /** REQUESTED → FULFILLED or CANCELLED (refunded). */
    @Property('status', 'string') status!: RedemptionStatus;
    @Property('requestedAtMinute', 'number') requestedAtMinute!: number;
    @Property('closedBy', 'string') closedBy!: string | null;
    @Property('closedAtMinute', 'number') closedAtMinute!: number | null;
}

export type TransferKind = 'FAMILY' | 'DONATION' | 'POOL_DONATION' | 'POOL_ALLOCATION';

/** A movement of minutes between accounts or the pool (`POOL`), as returned and emitted. */
@DataType()
export class TransferReceipt {
    @Property('kind', 'string') kind!: TransferKind;
    @Property('from', 'string') from!: string;
    @Property('to', 'string') to!: string;
    @Property('minutes', 'number') minutes!: number;
    @Property('memo', 'string') memo!: string;
    @Property('atMinute', 'number') atMinute!: number;
    @Property('txId', 'string') txId!: string;
}

/** `getSupply`: the conservation proof, computed from every record on one snapshot. */
@DataType()
export class SupplyReport {
    @Property('mintedMinutes', 'number') mintedMinutes!: number;
    @Property('confirmedMinutes', 'number') confirmedMinutes!: number;
    @Property('balancesMinutes', 'number') balancesMinutes!: number;
    @Property('poolMinutes', 'number') poolMinutes!: number;
    @Property('heldInRedemptionMinutes', 'number') heldInRedemptionMinutes!: number;
    @Property('redeemedMinutes', 'number') redeemedMinutes!: number;
    @Property('accounts', 'number') accounts!: number;
    /** True when minted == confirmed == balances + pool + held + redeemed. */
    @Property('balanced', 'boolean') balanced!: boolean;
}

/** Answer of `recordElderDetails`: the hash the channel will hold for the private details. */
@DataType()
export class ElderDetailsReceipt {
    @Property('accountId', 'string') accountId!: string;
    @Property('detailsHash', 'string') detailsHash!: string;
}

/** The elder's personal data in `timebankElderDetails` (RegulatorMSP, MemberMSP); never on the channel. */
@DataType()
export class ElderDetails {
    @Property('docType', 'string') docType!: 'timebank.elder';
    @Property('accountId', 'string') accountId!: string;
    @Property('name', 'string') name!: string;
    @Property('address', 'string') address!: string;
    @Property('phone', 'string') phone!: string;
}
