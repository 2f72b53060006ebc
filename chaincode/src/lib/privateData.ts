import type { Context } from 'fabric-contract-api';
import { badInput } from './errors';
import { sha256Hex } from './hash';
import { decodeUtf8, parseJson, type z } from './input';
import { recordKey } from './keys';
import { type LedgerRecord, recordBytes } from './record';

/**
 * Private data: personal details travel as transient data (never in arguments, never in a
 * block), are validated, stored as sorted-key JSON in a collection, and only their SHA-256 is
 * visible on the channel. Fabric itself keeps SHA-256(value) of every private write in the
 * block, so `privateDataHash` can be read on any peer, member or not.
 *
 * Collections have fewer members than the channel's majority policy needs, and a peer outside a
 * collection refuses to endorse a write to it. So a transaction that writes private data is
 * endorsed by the collection's member orgs only (the gateway plans them from the interest), it
 * writes nothing public (public keys would need the chaincode's majority policy), and its
 * collection declares an `endorsementPolicy` naming its members (`collections_config.json`).
 * A later public transaction, endorsed by the majority, reads the hash with
 * {@link privateDataHash} and records it.
 *
 * ```ts
 * const patient = readTransientJson(ctx, 'patient', PatientDetails);
 * const hash = await putPrivateRecord(ctx, 'einvoicePatientDetails', 'patient', [code, number], patient);
 * ```
 */
function readTransient(ctx: Context, field: string): Uint8Array {
    const value = ctx.stub.getTransient().get(field);
    if (value === undefined || value.length === 0) {
        throw badInput(`transient field "${field}" is required`);
    }
    return value;
}

/** Reads a transient field holding JSON and validates it against a schema. */
export function readTransientJson<S extends z.ZodType>(ctx: Context, field: string, schema: S): z.output<S> {
    const what = `transient ${field}`;
    return parseJson(what, decodeUtf8(what, readTransient(ctx, field)), schema);
}

/**
 * Stores a record ({@link LedgerRecord}: `docType` equal to `type`, sorted-key JSON) in a
 * collection under a composite key and returns the SHA-256 hex of the stored bytes, which equals
 * what `getPrivateDataHash` will return once the transaction commits (a transaction never reads
 * its own writes).
 */
export async function putPrivateRecord<T extends LedgerRecord>(
    ctx: Context,
    collection: string,
    type: T['docType'],
    parts: readonly string[],
    record: T,
): Promise<string> {
    const bytes = recordBytes(type, record);
    await ctx.stub.putPrivateData(collection, recordKey(ctx, type, parts), bytes);
    return sha256Hex(bytes);
}

/** A committed private record as JSON, for callers whose org is a member of the collection. */
export async function getPrivateRecord<T>(
    ctx: Context,
    collection: string,
    type: string,
    parts: readonly string[],
): Promise<T | undefined> {
    const bytes = await ctx.stub.getPrivateData(collection, recordKey(ctx, type, parts));
    if (bytes === undefined || bytes.length === 0) {
        return undefined;
    }
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
}

/** SHA-256 hex of a committed private record, or `''` if there is none. Readable on every peer. */
export async function privateDataHash(
    ctx: Context,
    collection: string,
    type: string,
    parts: readonly string[],
): Promise<string> {
    const hash = await ctx.stub.getPrivateDataHash(collection, recordKey(ctx, type, parts));
    return hash === undefined || hash.length === 0 ? '' : Buffer.from(hash).toString('hex');
}
