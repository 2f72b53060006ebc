import { alreadyExists, badInput, forbidden, refuse } from '../lib/errors';
import { type Party, partyName, sameParty } from '../lib/party';
import type { TeaGarden, TeaHarvest } from './model';
import { TEA_CODES } from './rules';

/**
 * Where leaf may come from (产地), as pure rules. "Any grower registers 100 t of 老班章" is what
 * they stop: a garden is registered by the regulator with the one grower who picks it, the
 * regulator certifies its harvest per year, and lots registered from a garden in a year never
 * weigh more than that harvest together.
 *
 * Why the cap sits on raw lot registration: it is the only place weight enters the chain. A
 * split or merge conserves weight and keeps the gardens it came from, pressing may only lose
 * weight (`processLots`), so every cake pressed from a garden's leaf of a year is bounded by
 * what was registered from it, and that by the certified harvest. Capping cakes instead would
 * need to apportion a blend's weight among its gardens, which the chain cannot know.
 */

/** Offset of China Standard Time (UTC+8), in minutes: Pu'er harvest years follow the local calendar. */
const CST_OFFSET_MINUTES = 8 * 60;

/** The harvest year of leaf picked at `pickedAtMinute`: its calendar year in China Standard Time. */
export function harvestYear(pickedAtMinute: number): number {
    return new Date((pickedAtMinute + CST_OFFSET_MINUTES) * 60_000).getUTCFullYear();
}

/** The regulator registers a garden and names the grower who picks it; a garden name is registered once. */
export function registerGarden(
    existing: TeaGarden | undefined,
    name: string,
    grower: Party,
    regulator: Party,
    nowMinute: number,
): TeaGarden {
    if (existing !== undefined) {
        throw alreadyExists(`garden ${name} (registered for ${partyName(existing.grower)})`);
    }
    return { docType: 'tea.garden', name, grower, registeredBy: regulator, registeredAtMinute: nowMinute };
}

/**
 * The regulator certifies (or revises) a garden's harvest for a year. A revision may lower it,
 * but never below the leaf already registered: registered lots cannot be undone.
 */
export function certifyHarvest(
    existing: TeaHarvest | undefined,
    garden: TeaGarden,
    year: number,
    certifiedGrams: number,
    regulator: Party,
    nowMinute: number,
): TeaHarvest {
    const registeredGrams = existing?.registeredGrams ?? 0;
    if (certifiedGrams < registeredGrams) {
        throw refuse(
            TEA_CODES.OVER_HARVEST,
            `garden ${garden.name} already registered ${registeredGrams} g of its ${year} harvest; cannot certify ${certifiedGrams} g`,
        );
    }
    return {
        docType: 'tea.harvest',
        garden: garden.name,
        year,
        certifiedGrams,
        registeredGrams,
        certifiedBy: regulator,
        certifiedAtMinute: nowMinute,
    };
}

/**
 * A lot of `weightGrams` picked in `garden` claims part of the year's certified harvest: only
 * the garden's grower may, and never past the certified weight. Returns the harvest to store.
 */
export function claimHarvest(
    garden: TeaGarden,
    harvest: TeaHarvest | undefined,
    year: number,
    grower: Party,
    weightGrams: number,
): TeaHarvest {
    if (!sameParty(grower, garden.grower)) {
        throw forbidden(`garden ${garden.name} is picked by ${partyName(garden.grower)}, not by ${partyName(grower)}`);
    }
    if (harvest === undefined) {
        throw refuse(TEA_CODES.NO_CERTIFIED_HARVEST, `garden ${garden.name} has no certified harvest for ${year}`);
    }
    if (!Number.isSafeInteger(weightGrams) || weightGrams < 1) {
        throw badInput(`weightGrams must be a positive whole number, got ${weightGrams}`);
    }
    const registeredGrams = harvest.registeredGrams + weightGrams;
    if (registeredGrams > harvest.certifiedGrams) {
        throw refuse(
            TEA_CODES.OVER_HARVEST,
            `garden ${garden.name} is certified for ${harvest.certifiedGrams} g in ${year}, ` +
                `${harvest.registeredGrams} g are registered; ${weightGrams} g more would exceed it`,
        );
    }
    return { ...harvest, registeredGrams };
}
