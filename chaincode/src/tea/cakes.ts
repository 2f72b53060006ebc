import { badState, refuse } from '../lib/errors';
import { type Party, partyName } from '../lib/party';
import type { InspectionResult, TeaCake, TeaInspection } from './model';
import { action, assertHolder, TEA_CODES } from './rules';

/**
 * A pressed cake's life, as pure functions: the inspection centre's verdict, the sale, and the
 * market regulator's freeze, unfreeze and recall. Custody handovers are in `handover.ts`.
 */

/** Frozen, recalled or sold cakes stay where they are. */
export function assertMovable(cake: TeaCake): void {
    if (cake.recalled) {
        throw refuse(TEA_CODES.RECALLED, `cake ${cake.code} was recalled`);
    }
    if (cake.frozen) {
        throw refuse(TEA_CODES.FROZEN, `cake ${cake.code} is frozen by the market regulator`);
    }
    if (cake.status === 'SOLD') {
        throw refuse(TEA_CODES.ALREADY_SOLD, `cake ${cake.code} was already sold`);
    }
}

/** The inspection centre's verdict; a cake is inspected once. */
export function inspect(
    record: TeaInspection,
    result: InspectionResult,
    reportHash: string,
    inspector: Party,
    nowMinute: number,
): TeaInspection {
    if (record.result !== 'PENDING') {
        throw refuse(TEA_CODES.ALREADY_INSPECTED, `cake ${record.cakeCode} was already inspected: ${record.result}`);
    }
    return { ...record, result, reportHash, inspector, atMinute: nowMinute };
}

/** The cake record's note of the inspection, so its history tells the whole story. */
export function noteInspection(cake: TeaCake, inspection: TeaInspection, nowMinute: number): TeaCake {
    if (inspection.inspector === null) {
        throw badState(`cake ${cake.code} has no inspection verdict to note`);
    }
    return {
        ...cake,
        lastAction: action(
            'INSPECTED',
            inspection.inspector,
            nowMinute,
            `${inspection.result}, report ${inspection.reportHash}`,
        ),
    };
}

/** No sale before a PASS, and never of a frozen, recalled or already sold cake. A sale ends a pending offer. */
export function assertSellable(cake: TeaCake, inspection: TeaInspection): void {
    assertMovable(cake);
    if (inspection.result === 'PENDING') {
        throw refuse(TEA_CODES.NOT_INSPECTED, `cake ${cake.code} has not passed inspection yet`);
    }
    if (inspection.result === 'FAIL') {
        throw refuse(TEA_CODES.INSPECTION_FAILED, `cake ${cake.code} failed inspection`);
    }
}

export function sellCake(
    cake: TeaCake,
    inspection: TeaInspection,
    seller: Party,
    priceHash: string,
    nowMinute: number,
): TeaCake {
    assertHolder(`cake ${cake.code}`, cake.holder, seller);
    assertSellable(cake, inspection);
    return {
        ...cake,
        status: 'SOLD',
        offer: null,
        sale: { seller, atMinute: nowMinute, priceHash },
        lastAction: action('SOLD', seller, nowMinute, `sold by ${partyName(seller)}`),
    };
}

export function freezeCake(cake: TeaCake, regulator: Party, reason: string, nowMinute: number): TeaCake {
    if (cake.recalled) {
        throw refuse(TEA_CODES.RECALLED, `cake ${cake.code} was recalled`);
    }
    if (cake.frozen) {
        throw badState(`cake ${cake.code} is already frozen`);
    }
    return { ...cake, frozen: true, lastAction: action('FROZEN', regulator, nowMinute, reason) };
}

export function unfreezeCake(cake: TeaCake, regulator: Party, reason: string, nowMinute: number): TeaCake {
    if (cake.recalled) {
        throw refuse(TEA_CODES.RECALLED, `cake ${cake.code} was recalled`);
    }
    if (!cake.frozen) {
        throw badState(`cake ${cake.code} is not frozen`);
    }
    return { ...cake, frozen: false, lastAction: action('UNFROZEN', regulator, nowMinute, reason) };
}

/** A recall is final: the cake never moves or sells again, and every scan shows it. */
export function recallCake(cake: TeaCake, regulator: Party, reason: string, nowMinute: number): TeaCake {
    if (cake.recalled) {
        throw refuse(TEA_CODES.RECALLED, `cake ${cake.code} was already recalled`);
    }
    return { ...cake, recalled: true, lastAction: action('RECALLED', regulator, nowMinute, reason) };
}
