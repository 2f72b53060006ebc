import type { Context } from 'fabric-contract-api';
import { recordKey } from '../lib/keys';
import { sameParty } from '../lib/party';
import { requireRecord } from '../lib/state';
import {
    TEA_RECORDS,
    type TeaCake,
    type TeaCakeTrace,
    type TeaInspection,
    type TeaLot,
    type TeaProcessingBatch,
    type TeaTraceStep,
    type TraceVerdict,
} from './model';

/**
 * A cake's life story as a consumer reads it: every version of the cake, its inspection and
 * every lot it descends from (`getHistoryForKey`), the custody chain, the verdict and the scan
 * count. The step functions are pure; {@link traceOf} reads the ledger.
 */

/** One entry of `getHistoryForKey` with the record's value parsed (null for a delete). */
export interface HistoryVersion<T> {
    txId: string;
    atMinute: number;
    value: T | null;
}

/** History steps of a lot or cake, oldest first (Fabric returns newest first). */
export function traceSteps(history: readonly HistoryVersion<TeaLot | TeaCake>[]): TeaTraceStep[] {
    return [...history].reverse().flatMap((version): TeaTraceStep[] =>
        version.value === null
            ? []
            : [
                  {
                      txId: version.txId,
                      atMinute: version.atMinute,
                      action: version.value.lastAction.kind,
                      by: version.value.lastAction.by,
                      detail: version.value.lastAction.detail,
                      holder: version.value.holder,
                  },
              ],
    );
}

/** Inspection history steps, oldest first. */
function inspectionSteps(history: readonly HistoryVersion<TeaInspection>[]): TeaTraceStep[] {
    return [...history].reverse().flatMap((version): TeaTraceStep[] =>
        version.value === null
            ? []
            : [
                  {
                      txId: version.txId,
                      atMinute: version.atMinute,
                      action: version.value.result === 'PENDING' ? 'PENDING' : 'INSPECTED',
                      by: version.value.inspector,
                      detail:
                          version.value.result === 'PENDING'
                              ? 'awaiting inspection'
                              : `${version.value.result}, report ${version.value.reportHash}`,
                      holder: null,
                  },
              ],
    );
}

/** Holders of the cake in order, from its history steps (oldest first). */
export function custodyChain(steps: readonly TeaTraceStep[]): TeaCakeTrace['custody'] {
    const chain: TeaCakeTrace['custody'] = [];
    for (const step of steps) {
        const holder = step.holder;
        if (holder === null) {
            continue;
        }
        const last = chain[chain.length - 1];
        if (last === undefined || !sameParty(last.holder, holder)) {
            chain.push({ holder, sinceMinute: step.atMinute, txId: step.txId });
        }
    }
    return chain;
}

export function verdictOf(cake: TeaCake, inspection: TeaInspection): TraceVerdict {
    if (cake.recalled) {
        return 'RECALLED';
    }
    if (cake.frozen) {
        return 'FROZEN';
    }
    if (inspection.result === 'FAIL') {
        return 'FAILED_INSPECTION';
    }
    if (inspection.result === 'PENDING') {
        return 'NOT_INSPECTED';
    }
    return cake.status === 'SOLD' ? 'SOLD' : 'INSPECTED_PASS';
}

function seconds(value: unknown): number {
    if (typeof value === 'number') {
        return value;
    }
    return (value as { toNumber(): number }).toNumber();
}

/** `getHistoryForKey` of one record, newest first, values parsed. */
async function historyOf<T>(ctx: Context, type: string, parts: readonly string[]): Promise<HistoryVersion<T>[]> {
    const versions: HistoryVersion<T>[] = [];
    for await (const modification of ctx.stub.getHistoryForKey(recordKey(ctx, type, parts))) {
        const empty = modification.isDelete || modification.value.length === 0;
        versions.push({
            txId: modification.txId,
            atMinute: Math.floor(seconds(modification.timestamp.seconds) / 60),
            value: empty ? null : (JSON.parse(Buffer.from(modification.value).toString('utf8')) as T),
        });
    }
    return versions;
}

/**
 * Committed scans of a cake: its `tea.scan` records, counted by a partial composite key query.
 * Only reads call it: in a submitted transaction the range would be re-validated at commit
 * (phantom read check) and every concurrent scan would invalidate it.
 */
export async function countScans(ctx: Context, code: string): Promise<number> {
    let count = 0;
    for await (const entry of ctx.stub.getStateByPartialCompositeKey(TEA_RECORDS.SCAN, [code])) {
        if (entry.value.length > 0) {
            count += 1;
        }
    }
    return count;
}

/** Builds the life story from `getHistoryForKey` of the cake, its inspection and every ancestor lot. */
export async function traceOf(ctx: Context, cake: TeaCake, scanCount: number | null): Promise<TeaCakeTrace> {
    const { BATCH, CAKE, INSPECTION, LOT } = TEA_RECORDS;
    const batch = await requireRecord<TeaProcessingBatch>(ctx, BATCH, [cake.batchId], `batch ${cake.batchId}`);
    const inspection = await requireRecord<TeaInspection>(
        ctx,
        INSPECTION,
        [cake.code],
        `inspection of cake ${cake.code}`,
    );
    const lots: TeaCakeTrace['lots'] = [];
    const queue = [...cake.inputLots];
    const seen = new Set<string>(queue);
    while (queue.length > 0) {
        const lotId = queue.shift() as string;
        const lot = await requireRecord<TeaLot>(ctx, LOT, [lotId], `lot ${lotId}`);
        lots.push({ lot, history: traceSteps(await historyOf<TeaLot>(ctx, LOT, [lotId])) });
        for (const parent of lot.origin.parents) {
            if (!seen.has(parent)) {
                seen.add(parent);
                queue.push(parent);
            }
        }
    }
    const cakeHistory = traceSteps(await historyOf<TeaCake>(ctx, CAKE, [cake.code]));
    return {
        cake,
        batch,
        inspection,
        lots,
        gardens: [...new Set(lots.flatMap((one) => one.lot.gardens))].sort(),
        cakeHistory,
        inspectionHistory: inspectionSteps(await historyOf<TeaInspection>(ctx, INSPECTION, [cake.code])),
        custody: custodyChain(cakeHistory),
        scanCount,
        verdict: verdictOf(cake, inspection),
    };
}
