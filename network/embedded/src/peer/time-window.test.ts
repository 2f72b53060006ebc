import { describe, expect, it } from 'vitest';
import { checkTimeWindow, DEFAULT_PROPOSAL_TIME_WINDOW_MS, goDuration } from './time-window';

const at = (iso: string) => {
    const millis = Date.parse(iso);
    return { seconds: Math.floor(millis / 1000), nanos: (millis % 1000) * 1_000_000 };
};
const peerTime = new Date('2019-10-25T12:00:00.000Z');

describe("the peers' proposal time window (Fabric's TimeWindowCheck auth filter)", () => {
    it('accepts a timestamp up to the window away from the peer clock, bounds included', () => {
        for (const iso of ['2019-10-25T12:00:00.000Z', '2019-10-25T11:45:00.000Z', '2019-10-25T12:15:00.000Z']) {
            expect(checkTimeWindow(at(iso), DEFAULT_PROPOSAL_TIME_WINDOW_MS, peerTime)).toBeUndefined();
        }
    });

    it("refuses one further away either way, in Fabric's words", () => {
        expect(checkTimeWindow(at('2019-10-25T11:44:59.999Z'), DEFAULT_PROPOSAL_TIME_WINDOW_MS, peerTime)).toBe(
            'request unauthorized due to incorrect timestamp 2019-10-25T11:44:59Z, peer time 2019-10-25T12:00:00Z, peer.authentication.timewindow 15m0s',
        );
        expect(checkTimeWindow(at('2019-10-25T14:00:00.000Z'), DEFAULT_PROPOSAL_TIME_WINDOW_MS, peerTime)).toBe(
            'request unauthorized due to incorrect timestamp 2019-10-25T14:00:00Z, peer time 2019-10-25T12:00:00Z, peer.authentication.timewindow 15m0s',
        );
    });

    it("writes the window as Go's time.Duration does", () => {
        expect([0, 500, 1500, 90_000, 900_000, 3_600_000, 5_430_500].map(goDuration)).toEqual([
            '0s',
            '500ms',
            '1.5s',
            '1m30s',
            '15m0s',
            '1h0m0s',
            '1h30m30.5s',
        ]);
    });
});
