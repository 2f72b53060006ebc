import type { Context } from 'fabric-contract-api';
import { badInput } from './errors';

/**
 * State keys. Every record lives under a Fabric composite key `\u0000<type>\u0000<part>\u0000…`
 * so that all records of one type (or one prefix, e.g. all receipts of one code) can be listed
 * with `getStateByPartialCompositeKey`, and no two types ever collide.
 *
 * ```ts
 * const key = recordKey(ctx, 'receipt', ['33010125', '0000001']);
 * ```
 */
export function recordKey(ctx: Context, type: string, parts: readonly string[]): string {
    for (const part of parts) {
        // Fabric forbids U+0000 and U+10FFFF inside composite key attributes; empty parts would
        // make prefixes ambiguous.
        if (part.length === 0 || part.includes('\u0000') || part.includes('\u{10FFFF}')) {
            throw badInput(`invalid key part ${JSON.stringify(part)} for ${type}`);
        }
    }
    return ctx.stub.createCompositeKey(type, [...parts]);
}
