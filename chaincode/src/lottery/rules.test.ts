import { describe, expect, it } from 'vitest';
import type { LotteryEvent } from './model';
import { openedEvent } from './records';
import {
    requireBeforeCutoff,
    requireOpenForEntries,
    requireRevealTurn,
    requireStatus,
    requireVoidable,
    revealDeadline,
    withheldParty,
} from './rules';

const CLOSED_AT = 1_000;

/** Event e, closed at minute 1000 with both seeds committed and none revealed; seeds due within 60 minutes. */
function closed(overrides: Partial<LotteryEvent> = {}): LotteryEvent {
    const input = {
        eventId: 'e',
        title: 't',
        rulesHash: 'a'.repeat(64),
        prizes: [{ name: 'p', count: 1 }],
        cutoffMinute: CLOSED_AT,
        revealMinutes: 60,
        notary: { mspId: 'RegulatorMSP', unit: '杭州互联网公证处' },
    };
    const sponsor = { mspId: 'MemberMSP', unit: '天猫', role: 'sponsor', id: 'x509::tmall' };
    return {
        ...openedEvent(input, sponsor, 900),
        status: 'CLOSED',
        notaryCommitment: 'b'.repeat(64),
        sponsorCommitment: 'c'.repeat(64),
        entrantCount: 0,
        listRoot: 'd'.repeat(64),
        closedAtMinute: CLOSED_AT,
        revealDeadlineMinute: revealDeadline(CLOSED_AT, 60),
        ...overrides,
    };
}

describe('registration', () => {
    it('needs tx time before the cutoff and an event the notary has not closed', () => {
        const open = closed({ status: 'OPEN', closedAtMinute: null, revealDeadlineMinute: null });
        expect(() => requireOpenForEntries(open)).not.toThrow();
        expect(() => requireBeforeCutoff(open, CLOSED_AT - 1)).not.toThrow();
        expect(() => requireBeforeCutoff(open, CLOSED_AT)).toThrow(/^E_CUTOFF_PASSED/);
        // A clock slow enough to claim a time before the cutoff does not reopen a closed event.
        expect(() => requireOpenForEntries(closed())).toThrow(/^E_ENTRIES_CLOSED: event e is CLOSED/);
    });
});

describe('reveals', () => {
    it('come from the sponsor first, then the notary', () => {
        expect(() => requireRevealTurn(closed(), 'sponsor')).not.toThrow();
        expect(() => requireRevealTurn(closed(), 'notary')).toThrow(/^E_REVEAL_ORDER/);
        expect(() => requireRevealTurn(closed({ sponsorSeed: 'f'.repeat(32) }), 'notary')).not.toThrow();
    });

    it('name who withheld: the sponsor if it never revealed, else the notary', () => {
        expect(withheldParty(closed())).toBe('sponsor');
        expect(withheldParty(closed({ sponsorSeed: 'f'.repeat(32) }))).toBe('notary');
        expect(withheldParty(closed({ sponsorSeed: 'f'.repeat(32), notarySeed: 'e'.repeat(32) }))).toBeUndefined();
    });
});

describe('voiding a withheld draw', () => {
    const deadline = CLOSED_AT + 60;

    it('waits out the time window after the deadline, so no clock can cut a reveal short', () => {
        expect(() => requireVoidable(closed(), deadline)).toThrow(
            /^E_REVEAL_OPEN: event e: seeds are due by minute 1060; it may be voided from minute 1075/,
        );
        expect(() => requireVoidable(closed(), deadline + 14)).toThrow(/^E_REVEAL_OPEN/);
        expect(requireVoidable(closed(), deadline + 15)).toBe('sponsor');
        expect(requireVoidable(closed({ sponsorSeed: 'f'.repeat(32) }), deadline + 15)).toBe('notary');
    });

    it('is refused once both seeds are revealed', () => {
        const revealed = closed({ sponsorSeed: 'f'.repeat(32), notarySeed: 'e'.repeat(32) });
        expect(() => requireVoidable(revealed, deadline + 100)).toThrow(
            /^E_BAD_STATE: event e has both seeds revealed/,
        );
    });

    it('leaves an event that can never be drawn', () => {
        expect(() => requireStatus(closed({ status: 'VOID' }), 'CLOSED', 'draw')).toThrow(
            /^E_BAD_STATE: cannot draw event e: it is VOID/,
        );
        expect(() => requireStatus(closed({ status: 'DRAWN' }), 'CLOSED', 'draw')).toThrow(/^E_ALREADY_DRAWN/);
    });
});
