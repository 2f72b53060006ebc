import { Context, Contract } from 'fabric-contract-api';
import { refuse } from './errors';

/**
 * The base of every Zhelian contract: a call to a function the contract does not have is
 * refused with a code (`E_UNKNOWN_TRANSACTION`), like every other refusal, instead of
 * fabric-contract-api's uncoded default.
 */
export abstract class ZhelianContract extends Contract {
    override async unknownTransaction(ctx: Context): Promise<void> {
        const { fcn } = ctx.stub.getFunctionAndParameters();
        throw refuse(
            'E_UNKNOWN_TRANSACTION',
            `contract ${this.getName()} has no transaction ${fcn.slice(fcn.indexOf(':') + 1)}`,
        );
    }
}
