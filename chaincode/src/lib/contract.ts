import { Context, Contract } from 'fabric-contract-api';
import { COMMON_CODES, refuse } from './errors';
import { emitContractEvent } from './events';

/**
 * The base of every Zhelian contract, and the place its dialect is kept:
 * - events are named `<contract>.<PastTenseEvent>` and emitted through {@link emitEvent}, one per
 *   transaction (see `events.ts`);
 * - records carry `docType` and use `null` for what has not happened yet (see `record.ts`);
 * - refusals carry a code from a constant object (see `errors.ts`);
 * - every transaction parameter has an `@Param(name, type, description)` whose name is the
 *   TypeScript parameter's name (fabric-contract-api drops a description under any other name),
 *   and every transaction has `@Returns`: the gateway's API docs and the UI are generated from
 *   this metadata.
 *
 * A call to a function the contract does not have is refused with a code
 * (`E_UNKNOWN_TRANSACTION`), like every other refusal, instead of fabric-contract-api's uncoded
 * default.
 */
export abstract class ZhelianContract extends Contract {
    override async unknownTransaction(ctx: Context): Promise<void> {
        const { fcn } = ctx.stub.getFunctionAndParameters();
        throw refuse(
            COMMON_CODES.UNKNOWN_TRANSACTION,
            `contract ${this.getName()} has no transaction ${fcn.slice(fcn.indexOf(':') + 1)}`,
        );
    }

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
