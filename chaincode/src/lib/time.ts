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
