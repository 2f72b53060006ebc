import { Context, Contract } from 'fabric-contract-api';
import { emitContractEvent } from './events';
import { installInvocationChecks } from './invocation';

installInvocationChecks();

/**
 * The base of every Zhelian contract, and the place its dialect is kept:
 * - events are named `<contract>.<PastTenseEvent>` and emitted through {@link emitEvent}, one per
 *   transaction (see `events.ts`);
 * - records carry `docType` and use `null` for what has not happened yet (see `record.ts`);
 * - refusals carry a code from a constant object (see `errors.ts`);
 * - every transaction parameter has an `@Param(name, type, description)` whose name is the
 *   TypeScript parameter's name (fabric-contract-api drops a description under any other name),
 *   and every transaction has `@Returns`: the gateway's API docs and the UI are generated from
 *   this metadata;
 * - a parameter is a `string` or a whole `number`; structured input is a JSON string.
 *
 * What fabric-contract-api refuses before a contract runs (an unknown contract or transaction, the
 * wrong number of arguments, bytes that are not UTF-8) is refused with a code too, like every other
 * refusal, and a `number` argument must be decimal digits (`parseWholeNumber`) before
 * fabric-contract-api converts it: see `invocation.ts`, installed when this module loads.
 */
export abstract class ZhelianContract extends Contract {
    /**
     * Emits this transaction's event as `<this contract's name>.<event>`.
     *
     * ```ts
     * this.emitEvent(ctx, 'ReceiptReimbursed', { code, number, claimFen, by: caller.unit }); // einvoice.ReceiptReimbursed
     * ```
     */
    protected emitEvent(ctx: Context, event: string, payload: object): void {
        emitContractEvent(ctx, this.getName(), event, payload);
    }
}
