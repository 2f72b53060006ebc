import { badInput, refuse } from '../lib/errors';
import type { Party } from '../lib/party';
import type { TeaCake, TeaInspection, TeaLot, TeaProcessingBatch } from './model';
import { action, assertActiveLot, assertHolder, TEA_CODES } from './rules';

/**
 * Leaf lots from harvest to pressing, as pure functions: a grower registers the leaf it picked,
 * its holder splits or merges lots (weight is conserved), and a processor presses lots into cakes
 * (weight is only lost). Consumed lots stay on the ledger, marked with what consumed them.
 */

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
