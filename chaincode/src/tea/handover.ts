import { badInput, refuse } from '../lib/errors';
import { type Party, partyName, sameParty } from '../lib/party';
import type { TeaAction, TeaCake, TeaLot, TeaOffer } from './model';
import { assertMovable } from './cakes';
import { action, assertActiveLot, assertHolder, TEA_CODES } from './rules';

/**
 * Custody handover in two steps, for lots and cakes alike: the holder offers to a party, and the
 * lot or cake moves only when a certificate of that party (same MSP, same `unit`) accepts.
 *
 * Why two steps rather than a list of known parties: chaincode cannot list a channel's MSPs, and
 * a party registry would be one more thing to keep in step with the CAs. An acceptance is signed
 * by the recipient's own certificate, which its MSP (one of the channel's, or the signature would
 * not validate) issued with that `unit`, so it proves the recipient exists, and that it wants the
 * goods. Until then the holder keeps them: an offer to a party that does not exist (`GhostMSP`)
 * strands nothing. The holder may redirect a pending offer by offering again; selling the cake or
 * consuming the lot (split, merge, pressing) ends it.
 */

/** What a lot and a cake share: a holder, a pending offer and the last thing that happened. */
interface Held {
    holder: Party;
    offer: TeaOffer | null;
    lastAction: TeaAction;
}

function offered<T extends Held>(what: string, record: T, caller: Party, to: Party, nowMinute: number): T {
    assertHolder(what, record.holder, caller);
    if (sameParty(record.holder, to)) {
        throw badInput(`${what} is already held by ${partyName(to)}`);
    }
    return {
        ...record,
        offer: { to, by: caller, atMinute: nowMinute },
        lastAction: action('OFFERED', caller, nowMinute, `to ${partyName(to)}`),
    };
}

function accepted<T extends Held>(what: string, record: T, caller: Party, nowMinute: number): T {
    const pending = record.offer;
    if (pending === null) {
        throw refuse(TEA_CODES.NO_OFFER, `${what} is not being handed over`);
    }
    if (!sameParty(pending.to, caller)) {
        throw refuse(
            TEA_CODES.NOT_RECIPIENT,
            `${what} is offered to ${partyName(pending.to)}, not to ${partyName(caller)}`,
        );
    }
    return {
        ...record,
        holder: pending.to,
        offer: null,
        lastAction: action('TRANSFERRED', caller, nowMinute, `from ${partyName(record.holder)}`),
    };
}

/** The holder offers an active lot to another party. */
export function offerLot(lot: TeaLot, caller: Party, to: Party, nowMinute: number): TeaLot {
    assertActiveLot(lot);
    return offered(`lot ${lot.id}`, lot, caller, to, nowMinute);
}

/** The party the lot was offered to takes it. */
export function acceptLot(lot: TeaLot, caller: Party, nowMinute: number): TeaLot {
    const taken = accepted(`lot ${lot.id}`, lot, caller, nowMinute);
    assertActiveLot(lot);
    return taken;
}

/** The holder offers a cake to another party; frozen, recalled and sold cakes stay put. */
export function offerCake(cake: TeaCake, caller: Party, to: Party, nowMinute: number): TeaCake {
    assertHolder(`cake ${cake.code}`, cake.holder, caller);
    assertMovable(cake);
    return offered(`cake ${cake.code}`, cake, caller, to, nowMinute);
}

/** The party the cake was offered to takes it, unless it was frozen or recalled meanwhile. */
export function acceptCake(cake: TeaCake, caller: Party, nowMinute: number): TeaCake {
    const taken = accepted(`cake ${cake.code}`, cake, caller, nowMinute);
    assertMovable(cake);
    return taken;
}
