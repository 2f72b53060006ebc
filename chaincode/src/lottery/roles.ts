import { type Caller, forbidden, partyName, type RoleRequirement, sameParty } from '../lib';
import type { LotteryEvent } from './model';

export const SPONSOR: RoleRequirement = { msp: 'MemberMSP', role: 'sponsor' };
export const NOTARY: RoleRequirement = { msp: 'RegulatorMSP', role: 'notary' };
export const ENTRANT_ROLE: RoleRequirement = { msp: 'MemberMSP', role: 'entrant' };

/** Refuses a sponsor other than the one that created the event. */
export function requireSponsor(caller: Caller, event: LotteryEvent): void {
    if (!sameParty(caller, event.sponsor)) {
        throw forbidden(`only the sponsor ${event.sponsor.unit} acts for event ${event.eventId}`);
    }
}

/** Refuses a notary other than the one the event names. */
export function requireNotary(caller: Caller, event: LotteryEvent): void {
    if (!sameParty(caller, event.notary)) {
        throw forbidden(`only the notary ${partyName(event.notary)} named by event ${event.eventId} acts for it`);
    }
}
