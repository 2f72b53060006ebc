import { type ErrorCode, refuse } from '../lib/errors';
import { type Party, partyName, sameParty } from '../lib/party';
import type { TeaAction, TeaLot } from './model';

/**
 * The business rules of 普洱茶溯源 as pure functions: they take records and return the records
 * to write, or refuse with a coded error. The contract only loads, checks existence and stores.
 * Here: the error codes and what every rule shares. Gardens and certified harvests are in
 * `origin.ts`, leaf lots from harvest to pressing in `lots.ts`, custody handovers in
 * `handover.ts`, a cake's inspection, sale and regulation in `cakes.ts`.
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
