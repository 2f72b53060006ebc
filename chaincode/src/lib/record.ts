import { COMMON_CODES, refuse } from './errors';
import { canonicalBytes } from './json';

/**
 * What every record the chaincode stores looks like, in world state and in private collections
 * alike:
 * - `docType` is `<contract>.<kind>` (`einvoice.receipt`, `tea.price`) and equals the object type
 *   of the record's composite key, so a raw key-value dump, a history entry or an off-chain
 *   index tells what a value is without knowing its key;
 * - every field is always present: what has not happened yet, or does not apply, is `null`
 *   (`claim: null` until a reimburser locks a receipt), never absent or `undefined`, so one
 *   record kind always has one set of keys, and model classes type such fields `X | null`;
 * - it is written as sorted-key JSON ({@link canonicalJson}).
 *
 * The same `null` rule holds for the views transactions return. {@link putRecord} and
 * {@link putPrivateRecord} refuse a record that breaks the first two rules with `E_INTERNAL`.
 */
export interface LedgerRecord {
    docType: string;
}

/** The bytes to store for a record of key type `type`; refuses a record that breaks the convention. */
export function recordBytes<T extends LedgerRecord>(type: T['docType'], record: T): Uint8Array {
    if (record.docType !== type) {
        throw refuse(COMMON_CODES.INTERNAL, `a ${type} record carries docType ${String(record.docType)}`);
    }
    const hole = undefinedField(record, '');
    if (hole !== undefined) {
        throw refuse(COMMON_CODES.INTERNAL, `${type} field ${hole} is undefined; a field not yet set is null`);
    }
    return canonicalBytes(record);
}

/** The path of the first `undefined` value in a JSON-like value, if any. */
function undefinedField(value: unknown, path: string): string | undefined {
    if (value === undefined) {
        return path;
    }
    if (value === null || typeof value !== 'object') {
        return undefined;
    }
    for (const [key, field] of Object.entries(value)) {
        const hole = undefinedField(field, Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key);
        if (hole !== undefined) {
            return hole;
        }
    }
    return undefined;
}
