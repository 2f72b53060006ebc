import { badInput, badState, COMMON_CODES, type ErrorCode, forbidden, refuse } from '../lib/errors';
import { type Actor, type Party, sameParty } from '../lib/party';
import type { MintRecord, PersonInNeed, Redemption, ServiceOrder, SupplyReport, TimeAccount } from './model';

/**
 * The business rules of 时间银行 as pure functions over records. The contract loads, checks
 * existence, stores and emits; every conservation rule lives here.
 */

export const TIMEBANK_CODES = {
    SELF_CONFIRM: 'E_SELF_CONFIRM',
    ALREADY_CREDITED: 'E_ALREADY_CREDITED',
    INSUFFICIENT_BALANCE: 'E_INSUFFICIENT_BALANCE',
    NO_ACCOUNT: 'E_NO_ACCOUNT',
    /** The served minutes exceed what the order planned. */
    EXCEEDS_ORDER: 'E_EXCEEDS_ORDER',
    /** The donation pool goes only to accounts registered as a person in need. */
    NOT_IN_NEED: 'E_NOT_IN_NEED',
} as const satisfies Record<string, ErrorCode>;

/** A volunteer can serve at most a day on one order. */
export const MAX_SERVICE_MINUTES = 24 * 60;

/** Roles whose staff allocate the donation pool, and so can never receive from it. */
const ALLOCATOR_ROLES: readonly string[] = ['station', 'civil-affairs'];

export function openAccount(actor: Actor, nowMinute: number): TimeAccount {
    return {
        docType: 'timebank.account',
        id: actor.id,
        mspId: actor.mspId,
        role: actor.role,
        unit: actor.unit,
        balanceMinutes: 0,
        openedAtMinute: nowMinute,
    };
}

/** Who acts is an `Actor`: its `id` (the certificate id) is its account id. */
export function isStationOf(actor: Actor, station: Party): boolean {
    return actor.role === 'station' && sameParty(actor, station);
}

export function postOrder(
    input: {
        orderId: string;
        recipient: TimeAccount;
        recipientDetailsHash: string;
        serviceType: string;
        plannedMinutes: number;
    },
    station: Party,
    nowMinute: number,
): ServiceOrder {
    return {
        docType: 'timebank.order',
        id: input.orderId,
        station,
        recipient: input.recipient.id,
        recipientDetailsHash: input.recipientDetailsHash,
        serviceType: input.serviceType,
        plannedMinutes: input.plannedMinutes,
        postedAtMinute: nowMinute,
        status: 'POSTED',
        volunteer: null,
        actualMinutes: null,
        servedAtMinute: null,
        confirmedBy: null,
        confirmedAtMinute: null,
    };
}

/**
 * A volunteer records the service given, on a POSTED order: one order is served once, by one
 * volunteer (the first to record it), for at most its planned minutes, because the order is the
 * station's authorization of what may be minted; longer service needs another order. The
 * recipient cannot serve themself.
 */
export function recordService(
    order: ServiceOrder,
    volunteer: Actor,
    actualMinutes: number,
    nowMinute: number,
): ServiceOrder {
    if (order.status !== 'POSTED') {
        throw badState(`order ${order.id} is ${order.status}; service can be recorded only on a POSTED order`);
    }
    if (volunteer.id === order.recipient) {
        throw refuse(
            TIMEBANK_CODES.SELF_CONFIRM,
            `the recipient of order ${order.id} cannot record service to themself`,
        );
    }
    if (!Number.isSafeInteger(actualMinutes) || actualMinutes < 1 || actualMinutes > MAX_SERVICE_MINUTES) {
        throw badInput(`actualMinutes must be a whole number between 1 and ${MAX_SERVICE_MINUTES}`);
    }
    if (actualMinutes > order.plannedMinutes) {
        throw refuse(
            TIMEBANK_CODES.EXCEEDS_ORDER,
            `order ${order.id} is for ${order.plannedMinutes} minutes; ${actualMinutes} cannot be recorded on it`,
        );
    }
    return { ...order, status: 'SERVED', volunteer: volunteer.id, actualMinutes, servedAtMinute: nowMinute };
}

/**
 * The recipient or the posting station confirms, never the volunteer; confirmation mints the
 * served minutes to the volunteer, once. `existingMint` is the order's mint record, if any.
 */
export function confirmService(
    order: ServiceOrder,
    confirmer: Actor,
    existingMint: MintRecord | undefined,
    nowMinute: number,
): { order: ServiceOrder; mint: MintRecord } {
    if (existingMint !== undefined || order.status === 'CONFIRMED') {
        throw refuse(
            TIMEBANK_CODES.ALREADY_CREDITED,
            `order ${order.id} was already confirmed and its minutes credited`,
        );
    }
    if (order.status !== 'SERVED' || order.volunteer === null || order.actualMinutes === null) {
        throw badState(`order ${order.id} is ${order.status}; only a SERVED order can be confirmed`);
    }
    if (confirmer.id === order.volunteer) {
        throw refuse(
            TIMEBANK_CODES.SELF_CONFIRM,
            `the volunteer of order ${order.id} cannot confirm their own service`,
        );
    }
    if (confirmer.id !== order.recipient && !isStationOf(confirmer, order.station)) {
        throw forbidden(`only the recipient of order ${order.id} or station ${order.station.unit} may confirm it`);
    }
    return {
        order: { ...order, status: 'CONFIRMED', confirmedBy: confirmer.id, confirmedAtMinute: nowMinute },
        mint: {
            docType: 'timebank.mint',
            orderId: order.id,
            volunteer: order.volunteer,
            minutes: order.actualMinutes,
            atMinute: nowMinute,
        },
    };
}

export function credit<T extends { balanceMinutes: number }>(holder: T, minutes: number): T {
    return { ...holder, balanceMinutes: holder.balanceMinutes + minutes };
}

/** Balances never go negative. `who` names the account or pool in the message. */
export function debit<T extends { balanceMinutes: number }>(holder: T, minutes: number, who: string): T {
    if (minutes > holder.balanceMinutes) {
        throw refuse(
            TIMEBANK_CODES.INSUFFICIENT_BALANCE,
            `${who} holds ${holder.balanceMinutes} minutes, cannot spend ${minutes}`,
        );
    }
    return { ...holder, balanceMinutes: holder.balanceMinutes - minutes };
}

function assertPositiveMinutes(minutes: number): void {
    if (!Number.isSafeInteger(minutes) || minutes < 1) {
        throw badInput(`minutes must be a positive whole number, got ${minutes}`);
    }
}

/**
 * Civil affairs registers an account as a person in need, once. Staff of the bodies that
 * allocate the pool (stations, civil affairs) cannot be registered: the pool must never flow to
 * those who hand it out.
 */
export function registerInNeed(
    account: TimeAccount,
    existing: PersonInNeed | undefined,
    registrar: Actor,
    nowMinute: number,
): PersonInNeed {
    if (existing !== undefined) {
        throw refuse(COMMON_CODES.EXISTS, `account ${account.id} is already registered as in need`);
    }
    if (ALLOCATOR_ROLES.includes(account.role)) {
        throw badInput(`account ${account.id} is a ${account.role}'s; those who allocate the pool cannot receive it`);
    }
    return {
        docType: 'timebank.need',
        accountId: account.id,
        registeredBy: registrar.id,
        registeredAtMinute: nowMinute,
    };
}

/**
 * Pool minutes go to a registered person in need, never to the allocator's own account. `need`
 * is the recipient's registration, if any.
 */
export function assertCanAllocate(recipient: TimeAccount, need: PersonInNeed | undefined, allocator: Actor): void {
    if (recipient.id === allocator.id) {
        throw refuse(TIMEBANK_CODES.NOT_IN_NEED, 'the donation pool cannot be allocated to your own account');
    }
    if (need === undefined) {
        throw refuse(
            TIMEBANK_CODES.NOT_IN_NEED,
            `account ${recipient.id} is not registered as a person in need (civil affairs registers them)`,
        );
    }
}

export function requestRedemption(
    input: { redemptionId: string; serviceType: string; minutes: number; station: Party },
    holder: TimeAccount,
    nowMinute: number,
): { account: TimeAccount; redemption: Redemption } {
    assertPositiveMinutes(input.minutes);
    return {
        account: debit(holder, input.minutes, 'your account'),
        redemption: {
            docType: 'timebank.redemption',
            id: input.redemptionId,
            holder: holder.id,
            station: input.station,
            serviceType: input.serviceType,
            minutes: input.minutes,
            status: 'REQUESTED',
            requestedAtMinute: nowMinute,
            closedBy: null,
            closedAtMinute: null,
        },
    };
}

function assertOpen(redemption: Redemption): void {
    if (redemption.status !== 'REQUESTED') {
        throw badState(`redemption ${redemption.id} is already ${redemption.status}`);
    }
}

/** The station the service was asked of delivers it; the held minutes are spent. */
export function fulfilRedemption(redemption: Redemption, station: Actor, nowMinute: number): Redemption {
    assertOpen(redemption);
    if (!isStationOf(station, redemption.station)) {
        throw forbidden(`only station ${redemption.station.unit} may fulfil redemption ${redemption.id}`);
    }
    return { ...redemption, status: 'FULFILLED', closedBy: station.id, closedAtMinute: nowMinute };
}

/** The holder or the station it was asked of cancels; the held minutes go back to the holder. */
export function cancelRedemption(redemption: Redemption, actor: Actor, nowMinute: number): Redemption {
    assertOpen(redemption);
    if (actor.id !== redemption.holder && !isStationOf(actor, redemption.station)) {
        throw forbidden(`only the holder or station ${redemption.station.unit} may cancel redemption ${redemption.id}`);
    }
    return { ...redemption, status: 'CANCELLED', closedBy: actor.id, closedAtMinute: nowMinute };
}

/** The conservation check behind `getSupply`. */
export function supplyReport(input: {
    accounts: readonly TimeAccount[];
    mints: readonly MintRecord[];
    orders: readonly ServiceOrder[];
    poolMinutes: number;
    redemptions: readonly Redemption[];
}): SupplyReport {
    const total = (values: number[]): number => values.reduce((sum, value) => sum + value, 0);
    const mintedMinutes = total(input.mints.map((mint) => mint.minutes));
    const confirmedMinutes = total(
        input.orders.filter((order) => order.status === 'CONFIRMED').map((order) => order.actualMinutes ?? 0),
    );
    const balancesMinutes = total(input.accounts.map((account) => account.balanceMinutes));
    const heldInRedemptionMinutes = total(
        input.redemptions.filter((one) => one.status === 'REQUESTED').map((one) => one.minutes),
    );
    const redeemedMinutes = total(
        input.redemptions.filter((one) => one.status === 'FULFILLED').map((one) => one.minutes),
    );
    const circulating = balancesMinutes + input.poolMinutes + heldInRedemptionMinutes + redeemedMinutes;
    return {
        mintedMinutes,
        confirmedMinutes,
        balancesMinutes,
        poolMinutes: input.poolMinutes,
        heldInRedemptionMinutes,
        redeemedMinutes,
        accounts: input.accounts.length,
        balanced: mintedMinutes === confirmedMinutes && mintedMinutes === circulating,
    };
}
