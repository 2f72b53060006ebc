import type { Context } from 'fabric-contract-api';
import { refuse } from './errors';
import { canonicalBytes } from './json';

const emitted = new WeakSet<object>();

/**
 * Emits the transaction's chaincode event: a name and a sorted-key JSON payload. Fabric keeps
 * only the last `setEvent` of a transaction, so a second call in one transaction is a bug and is
 * refused (`E_INTERNAL`) instead of silently dropping the first event.
 *
 * ```ts
 * emitEvent(ctx, 'ReceiptReimbursed', { code, number, amountFen, by: caller.unit });
 * ```
 */
export function emitEvent(ctx: Context, name: string, payload: object): void {
    if (emitted.has(ctx.stub)) {
        throw refuse('E_INTERNAL', `a transaction emits one event; ${name} would replace the first`);
    }
    emitted.add(ctx.stub);
    ctx.stub.setEvent(name, canonicalBytes(payload));
}
