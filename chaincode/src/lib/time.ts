import type { Context } from 'fabric-contract-api';

/**
 * Transaction time, the only clock a chaincode may read. It is the client's proposal timestamp,
 * identical on every endorsing peer, so results computed from it match byte for byte.
 */
export interface TxTime {
    /** Whole minutes since the Unix epoch (seconds floored), the unit of every stored time. */
    minute: number;
    /** ISO 8601 UTC with second precision, for people reading records and events. */
    iso: string;
}

/**
 * ```ts
 * const { minute, iso } = txTime(ctx);
 * if (minute >= event.cutoffMinute) throw refuse(LOTTERY_CODES.CUTOFF_PASSED, …);
 * ```
 */
export function txTime(ctx: Context): TxTime {
    const seconds = ctx.stub.getTxTimestamp().seconds.toNumber();
    return {
        minute: Math.floor(seconds / 60),
        iso: new Date(seconds * 1000).toISOString().replace('.000Z', 'Z'),
    };
}

/** {@link TxTime.minute} alone. */
export function txMinute(ctx: Context): number {
    return txTime(ctx).minute;
}

/**
 * How far a transaction's time may be from the truth: Fabric's `peer.authentication.timewindow`,
 * 15 minutes by default (the embedded topologies' `proposalTimeWindowMs` too). The proposal
 * timestamp is the signing client's clock; an endorsing peer refuses a proposal more than this far
 * from its own clock, and nothing else bounds it. So a rule "before minute T by tx time" lets a
 * client whose clock is slow act until T + window in real time, and one whose clock is fast act
 * from T − window. Rules that must hold against a lying clock either end with a transaction of the
 * party they trust (a notary's close) or wait this window out (`T + window` by tx time is past T in
 * real time whoever signs). A channel whose peers allow a wider window weakens these guarantees by
 * the difference.
 */
export const PROPOSAL_TIME_WINDOW_MINUTES = 15;
