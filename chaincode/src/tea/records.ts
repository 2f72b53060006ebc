import type { Context } from 'fabric-contract-api';
import { alreadyExists, label, parseArgument, recordExists, requireRecord } from '../lib';
import { TEA_RECORDS, type TeaCake, type TeaGarden, type TeaInspection, type TeaLot } from './model';

/** The private collection holding sale prices (members: PlatformMSP, MemberMSP). */
export const TEA_PRICES = 'teaPrices';

export function gardenOf(ctx: Context, name: string): Promise<TeaGarden> {
    return requireRecord<TeaGarden>(
        ctx,
        TEA_RECORDS.GARDEN,
        [parseArgument('gardenName', name, label)],
        `garden ${name}`,
    );
}

export function lotOf(ctx: Context, lotId: string): Promise<TeaLot> {
    return requireRecord<TeaLot>(ctx, TEA_RECORDS.LOT, [lotId], `lot ${lotId}`);
}

/** Reads lots one after another, so every peer builds the same read set in the same order. */
export async function lotsOf(ctx: Context, ids: readonly string[]): Promise<TeaLot[]> {
    const lots: TeaLot[] = [];
    for (const id of ids) {
        lots.push(await lotOf(ctx, id));
    }
    return lots;
}

export function cakeOf(ctx: Context, code: string): Promise<TeaCake> {
    return requireRecord<TeaCake>(ctx, TEA_RECORDS.CAKE, [code], `cake ${code}`);
}

export function inspectionOf(ctx: Context, code: string): Promise<TeaInspection> {
    return requireRecord<TeaInspection>(ctx, TEA_RECORDS.INSPECTION, [code], `inspection of cake ${code}`);
}

export async function assertNewLot(ctx: Context, lotId: string): Promise<void> {
    if (await recordExists(ctx, TEA_RECORDS.LOT, [lotId])) {
        throw alreadyExists(`lot ${lotId}`);
    }
}
