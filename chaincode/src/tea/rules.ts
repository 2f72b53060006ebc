import { badInput, badState, type ErrorCode, refuse } from '../lib/errors';
import { type Party, partyName, sameParty } from '../lib/party';
import type { InspectionResult, TeaAction, TeaCake, TeaInspection, TeaLot, TeaProcessingBatch } from './model';

/**
 * The business rules of 普洱茶溯源 as pure functions: they take records and return the records
 * to write, or refuse with a coded error. The contract only loads, checks existence and stores.
 * Gardens and certified harvests are in `origin.ts`, custody handovers in `handover.ts`.
 */

export const TEA_CODES = {
    NOT_HOLDER: 'E_NOT_HOLDER',
    WEIGHT_MISMATCH: 'E_WEIGHT_MISMATCH',
    NOT_INSPECTED: 'E_NOT_INSPECTED',
    INSPECTION_FAILED: 'E_INSPECTION_FAILED',
    ALREADY_INSPECTED: 'E_ALREADY_INSPECTED',
    FROZEN: 'E_FROZEN',
    RECALLED: 'E_RECALLED',
    ALREADY_SOLD: 'E_ALREADY_SOLD',
    LOT_CONSUMED: 'E_LOT_CONSUMED',
    NO_PRICE: 'E_NO_PRICE',
    /** The garden has no certified harvest for the year the leaf was picked. */
    NO_CERTIFIED_HARVEST: 'E_NO_CERTIFIED_HARVEST',
    /** The lot would take the garden's registered leaf past its certified harvest. */
    OVER_HARVEST: 'E_OVER_HARVEST',
    /** Nothing is being handed over: the lot or cake has no pending offer. */
    NO_OFFER: 'E_NO_OFFER',
    /** The pending offer names another party than the caller. */
    NOT_RECIPIENT: 'E_NOT_RECIPIENT',
} as const satisfies Record<string, ErrorCode>;

export function action(kind: TeaAction['kind'], by: Party, atMinute: number, detail: string): TeaAction {
    return { kind, by, atMinute, detail };
}

/** Refuses with `E_NOT_HOLDER` unless `caller` holds the lot or cake. */
export function assertHolder(what: string, holder: Party, caller: Party): void {
    if (!sameParty(holder, caller)) {
        throw refuse(TEA_CODES.NOT_HOLDER, `${what} is held by ${partyName(holder)}, not by ${partyName(caller)}`);
    }
}

export function assertActiveLot(lot: TeaLot): void {
    if (lot.status !== 'ACTIVE') {
        throw refuse(
            TEA_CODES.LOT_CONSUMED,
            `lot ${lot.id} was already consumed by ${lot.consumedBy?.kind} ${lot.consumedBy?.ref}`,
        );
    }
}

function assertDistinct(what: string, ids: readonly string[]): void {
    const seen = new Set<string>();
    for (const id of ids) {
        if (seen.has(id)) {
            throw badInput(`${what} ${id} is listed twice`);
        }
        seen.add(id);
    }
}

function sum(values: readonly number[]): number {
    return values.reduce((total, value) => total + value, 0);
}

export interface HarvestInput {
    lotId: string;
    gardenName: string;
    pickedAtMinute: number;
    weightGrams: number;
}

/**
 * A grower registers raw leaf it picked; the leaf cannot have been picked after the transaction.
 * That the grower may, and that the garden's certified harvest allows the weight, is
 * `origin.claimHarvest`'s to decide.
 */
export function harvestLot(input: HarvestInput, grower: Party, nowMinute: number): TeaLot {
    if (input.pickedAtMinute > nowMinute) {
        throw badInput(
            `lot ${input.lotId}: picking minute ${input.pickedAtMinute} is after the transaction time ${nowMinute}`,
        );
    }
    return {
        docType: 'tea.lot',
        id: input.lotId,
        gardens: [input.gardenName],
        pickedAtMinute: input.pickedAtMinute,
        weightGrams: input.weightGrams,
        holder: grower,
        offer: null,
        status: 'ACTIVE',
        origin: { kind: 'HARVEST', parents: [] },
        consumedBy: null,
        lastAction: action('HARVESTED', grower, nowMinute, `${input.weightGrams} g picked in ${input.gardenName}`),
    };
}

/** Splitting a lot: the parts must weigh exactly what the lot weighs. */
export function splitLot(
    lot: TeaLot,
    parts: readonly { lotId: string; weightGrams: number }[],
    caller: Party,
    nowMinute: number,
): { parent: TeaLot; children: TeaLot[] } {
    assertHolder(`lot ${lot.id}`, lot.holder, caller);
    assertActiveLot(lot);
    if (parts.length < 2) {
        throw badInput(`splitting lot ${lot.id} needs at least two parts`);
    }
    assertDistinct('lot', [lot.id, ...parts.map((part) => part.lotId)]);
    const total = sum(parts.map((part) => part.weightGrams));
    if (total !== lot.weightGrams) {
        throw refuse(
            TEA_CODES.WEIGHT_MISMATCH,
            `parts of lot ${lot.id} weigh ${total} g, the lot weighs ${lot.weightGrams} g`,
        );
    }
    const childIds = parts.map((part) => part.lotId);
    const children = parts.map((part): TeaLot => ({
        docType: 'tea.lot',
        id: part.lotId,
        gardens: lot.gardens,
        pickedAtMinute: lot.pickedAtMinute,
        weightGrams: part.weightGrams,
        holder: lot.holder,
        offer: null,
        status: 'ACTIVE',
        origin: { kind: 'SPLIT', parents: [lot.id] },
        consumedBy: null,
        lastAction: action('SPLIT_FROM', caller, nowMinute, `${part.weightGrams} g of lot ${lot.id}`),
    }));
    const parent: TeaLot = {
        ...lot,
        offer: null,
        status: 'CONSUMED',
        consumedBy: { kind: 'SPLIT', ref: childIds.join(',') },
        lastAction: action('SPLIT', caller, nowMinute, `into ${childIds.join(', ')}`),
    };
    return { parent, children };
}

/** Merging lots of one holder into a new lot that weighs exactly their sum. */
export function mergeLots(
    lots: readonly TeaLot[],
    newLotId: string,
    caller: Party,
    nowMinute: number,
): { consumed: TeaLot[]; merged: TeaLot } {
    if (lots.length < 2) {
        throw badInput(`merging into lot ${newLotId} needs at least two lots`);
    }
    assertDistinct('lot', [newLotId, ...lots.map((lot) => lot.id)]);
    for (const lot of lots) {
        assertHolder(`lot ${lot.id}`, lot.holder, caller);
        assertActiveLot(lot);
    }
    const parents = lots.map((lot) => lot.id);
    const merged: TeaLot = {
        docType: 'tea.lot',
        id: newLotId,
        gardens: [...new Set(lots.flatMap((lot) => lot.gardens))].sort(),
        pickedAtMinute: Math.min(...lots.map((lot) => lot.pickedAtMinute)),
        weightGrams: sum(lots.map((lot) => lot.weightGrams)),
        holder: caller,
        offer: null,
        status: 'ACTIVE',
        origin: { kind: 'MERGE', parents },
        consumedBy: null,
        lastAction: action('MERGED_FROM', caller, nowMinute, `lots ${parents.join(', ')}`),
    };
    const consumed = lots.map((lot): TeaLot => ({
        ...lot,
        offer: null,
        status: 'CONSUMED',
        consumedBy: { kind: 'MERGE', ref: newLotId },
        lastAction: action('MERGED', caller, nowMinute, `into lot ${newLotId}`),
    }));
    return { consumed, merged };
}

export interface CakeInput {
    code: string;
    weightGrams: number;
    fingerprintHash?: string;
}

/**
 * Processing (杀青, 揉捻, 晒干, 压饼) consumes whole input lots and presses cakes. Leaf loses
 * water, so the cakes may weigh less than the lots but never more.
 */
export function processLots(
    batchId: string,
    lots: readonly TeaLot[],
    cakes: readonly CakeInput[],
    processor: Party,
    nowMinute: number,
): { batch: TeaProcessingBatch; consumed: TeaLot[]; cakes: TeaCake[]; inspections: TeaInspection[] } {
    if (lots.length === 0 || cakes.length === 0) {
        throw badInput(`batch ${batchId} needs at least one input lot and one cake`);
    }
    assertDistinct(
        'lot',
        lots.map((lot) => lot.id),
    );
    assertDistinct(
        'cake',
        cakes.map((cake) => cake.code),
    );
    for (const lot of lots) {
        assertHolder(`lot ${lot.id}`, lot.holder, processor);
        assertActiveLot(lot);
    }
    const inputGrams = sum(lots.map((lot) => lot.weightGrams));
    const outputGrams = sum(cakes.map((cake) => cake.weightGrams));
    if (outputGrams > inputGrams) {
        throw refuse(
            TEA_CODES.WEIGHT_MISMATCH,
            `cakes of batch ${batchId} weigh ${outputGrams} g, more than the ${inputGrams} g of leaf that went in`,
        );
    }
    const inputLots = lots.map((lot) => lot.id);
    const batch: TeaProcessingBatch = {
        docType: 'tea.batch',
        id: batchId,
        inputLots: lots.map((lot) => ({ lotId: lot.id, weightGrams: lot.weightGrams })),
        cakes: cakes.map((cake) => ({ code: cake.code, weightGrams: cake.weightGrams })),
        inputGrams,
        outputGrams,
        processor,
        atMinute: nowMinute,
    };
    const consumed = lots.map((lot): TeaLot => ({
        ...lot,
        offer: null,
        status: 'CONSUMED',
        consumedBy: { kind: 'PROCESS', ref: batchId },
        lastAction: action('PROCESSED', processor, nowMinute, `pressed into cakes in batch ${batchId}`),
    }));
    const pressed = cakes.map((cake): TeaCake => ({
        docType: 'tea.cake',
        code: cake.code,
        weightGrams: cake.weightGrams,
        fingerprintHash: cake.fingerprintHash ?? null,
        batchId,
        inputLots,
        processor,
        producedAtMinute: nowMinute,
        holder: processor,
        offer: null,
        status: 'IN_STOCK',
        frozen: false,
        recalled: false,
        sale: null,
        lastAction: action('PRODUCED', processor, nowMinute, `batch ${batchId}`),
    }));
    const inspections = cakes.map((cake): TeaInspection => ({
        docType: 'tea.inspection',
        cakeCode: cake.code,
        result: 'PENDING',
        reportHash: null,
        inspector: null,
        atMinute: null,
    }));
    return { batch, consumed, cakes: pressed, inspections };
}

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
