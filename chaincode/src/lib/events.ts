import type { Context } from 'fabric-contract-api';
import { COMMON_CODES, refuse } from './errors';
import { canonicalBytes } from './json';

/**
 * Chaincode event names are `<contract>.<PastTenseEvent>`, e.g. `einvoice.ReceiptIssued`,
 * `tea.CakeSold`: one chaincode carries five applications, and a subscriber (the gateway's SSE
 * stream, a block listener) tells them apart by name alone. The contract part is the contract's
 * name (lowercase), the event part names what happened, in PascalCase.
 */
const EVENT_NAME = /^([a-z][a-z0-9]*)\.([A-Z][A-Za-z0-9]*)$/;

/**
 * The full name of a contract's event. Contracts do not call it: they emit through
 * {@link ZhelianContract.emitEvent}, which supplies their own name, so the prefix cannot be wrong.
 *
 * ```ts
 * eventName('einvoice', 'ReceiptIssued'); // 'einvoice.ReceiptIssued'
 * ```
 */
export function eventName(contract: string, event: string): string {
    const name = `${contract}.${event}`;
    if (!EVENT_NAME.test(name)) {
        throw refuse(COMMON_CODES.INTERNAL, `event name ${name} is not <contract>.<PastTenseEvent>`);
    }
    return name;
}

const emitted = new WeakSet<object>();

/**
 * Emits the transaction's chaincode event: `<contract>.<event>` and a sorted-key JSON payload.
 * Fabric keeps only the last `setEvent` of a transaction, so a second call in one transaction is
 * a bug and is refused (`E_INTERNAL`) instead of silently dropping the first event.
 */
export function emitContractEvent(ctx: Context, contract: string, event: string, payload: object): void {
    const name = eventName(contract, event);
    if (emitted.has(ctx.stub)) {
        throw refuse(COMMON_CODES.INTERNAL, `a transaction emits one event; ${name} would replace the first`);
    }
    emitted.add(ctx.stub);
    ctx.stub.setEvent(name, canonicalBytes(payload));
}
