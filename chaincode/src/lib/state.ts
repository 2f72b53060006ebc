import type { Context } from 'fabric-contract-api';
import { notFound } from './errors';
import { recordKey } from './keys';
import { type LedgerRecord, recordBytes } from './record';

/**
 * JSON records in world state, addressed by type + key parts (see {@link recordKey}), shaped as
 * {@link LedgerRecord} says: `docType` equal to the key's type, `null` for what is not set yet,
 * sorted-key JSON. A record that is absent reads as `undefined`.
 *
 * ```ts
 * const receipt = await requireRecord<Receipt>(ctx, 'receipt', [code, number], `receipt ${code}-${number}`);
 * await putRecord(ctx, 'receipt', [code, number], { ...receipt, status: 'LOCKED' });
 * ```
 */
export async function getRecord<T>(ctx: Context, type: string, parts: readonly string[]): Promise<T | undefined> {
    const bytes = await ctx.stub.getState(recordKey(ctx, type, parts));
    if (bytes === undefined || bytes.length === 0) {
        return undefined;
    }
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
}

/** Like {@link getRecord}, but refuses with `E_NOT_FOUND: <what> does not exist`. */
export async function requireRecord<T>(ctx: Context, type: string, parts: readonly string[], what: string): Promise<T> {
    const record = await getRecord<T>(ctx, type, parts);
    if (record === undefined) {
        throw notFound(what);
    }
    return record;
}

export async function recordExists(ctx: Context, type: string, parts: readonly string[]): Promise<boolean> {
    const bytes = await ctx.stub.getState(recordKey(ctx, type, parts));
    return bytes !== undefined && bytes.length > 0;
}

/** Writes the record as sorted-key JSON and returns the state key it was written to. */
export async function putRecord<T extends LedgerRecord>(
    ctx: Context,
    type: T['docType'],
    parts: readonly string[],
    record: T,
): Promise<string> {
    const key = recordKey(ctx, type, parts);
    await ctx.stub.putState(key, recordBytes(type, record));
    return key;
}

/**
 * All records of a type whose key starts with `prefix` parts, in key order (UTF-8 byte order,
 * identical on every peer). For small lists such as the entrants of one draw; do not use it to
 * scan a whole ledger in one transaction.
 */
export async function listRecords<T>(ctx: Context, type: string, prefix: readonly string[] = []): Promise<T[]> {
    const records: T[] = [];
    for await (const entry of ctx.stub.getStateByPartialCompositeKey(type, [...prefix])) {
        records.push(JSON.parse(Buffer.from(entry.value).toString('utf8')) as T);
    }
    return records;
}
