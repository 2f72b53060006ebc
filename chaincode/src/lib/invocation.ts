import { isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';
import { type ChaincodeResponse, Shim } from 'fabric-shim';
import { badInput, type ChaincodeError, COMMON_CODES, refuse } from './errors';
import { parseWholeNumber } from './input';

/**
 * The refusals that come before any contract code runs, each with a code like every other
 * refusal. fabric-contract-api raises them itself, as bare messages ("Contract name is not known",
 * "Expected 2 parameters, but 1 have been supplied", "fromBuffer could not convert data to
 * number"), decodes arguments leniently (a contract would store U+FFFD for bytes that are not
 * UTF-8), and converts a `number` parameter with `Number(text)`, so that `0x10` is 16, `' 5 '` is
 * 5 and `''` is 0. Here, in this order:
 * - a function name that is not valid UTF-8: `E_BAD_INPUT`;
 * - a contract the chaincode does not have: `E_UNKNOWN_CONTRACT`;
 * - a transaction the contract does not have: `E_UNKNOWN_TRANSACTION` (Fabric's system contract
 *   `org.hyperledger.fabric` included);
 * - too few or too many arguments: `E_ARGUMENT_COUNT`, naming the parameters;
 * - an argument that is not valid UTF-8: `E_BAD_INPUT`, naming the parameter;
 * - an argument of a `number` parameter that is not a whole number in decimal digits:
 *   `E_BAD_INPUT` ({@link parseWholeNumber}), so fabric-contract-api converts only canonical
 *   digits and its conversion error cannot arise;
 * - a parameter declared as neither `string` nor `number`: `E_INTERNAL`, a chaincode bug
 *   (`dialect.test.ts` holds it too).
 *
 * Where: Fabric's Node runtime (`fabric-chaincode-node start` on a peer, the embedded ledger's
 * runner alike) loads this package, then builds fabric-shim's `ChaincodeFromContract` from the
 * contracts it exports and calls its `invokeFunctionality` for every Init and Invoke. No contract
 * hook runs before the contract is found and the arguments are marshalled (`createContext`,
 * `beforeTransaction` come after), so {@link installInvocationChecks} wraps that one method of the
 * package's own fabric-shim, once, when the package loads. A call that passes goes on unchanged.
 */
export function invocationRefusal(dispatcher: Dispatcher, args: readonly Uint8Array[]): ChaincodeError | undefined {
    if (args.length === 0) {
        return undefined; // fabric-contract-api answers "Default initiator successful."
    }
    if (!isUtf8(args[0])) {
        return badInput('the function name is not valid UTF-8');
    }
    const { contractName, function: name } = dispatcher._splitFunctionName(Buffer.from(args[0]).toString('utf8'));
    const contract = dispatcher.metadata.contracts[contractName];
    if (!dispatcher.contractImplementations[contractName] || !contract) {
        const known = Object.keys(dispatcher.contractImplementations).filter((other) => !other.startsWith('org.'));
        return refuse(
            COMMON_CODES.UNKNOWN_CONTRACT,
            `the chaincode has no contract ${contractName}; it has ${known.join(', ')}`,
        );
    }
    const transaction = contract.transactions.find((candidate) => candidate.name === name);
    if (!transaction) {
        return refuse(COMMON_CODES.UNKNOWN_TRANSACTION, `contract ${contractName} has no transaction ${name}`);
    }
    if (transaction.parameters === undefined) {
        return undefined; // plain JavaScript without parameter metadata takes what it is given, as in fabric-contract-api
    }
    const parameters = transaction.parameters;
    const given = args.length - 1;
    if (given !== parameters.length) {
        const names = parameters.map((parameter) => parameter.name).join(', ');
        return refuse(
            COMMON_CODES.ARGUMENT_COUNT,
            `${contractName}:${name} takes ${count(parameters.length, 'argument')}${names ? ` (${names})` : ''}; ${given} ${given === 1 ? 'was' : 'were'} given`,
        );
    }
    for (const [index, parameter] of parameters.entries()) {
        const arg = args[index + 1];
        if (!isUtf8(arg)) {
            return badInput(`argument ${index + 1} (${parameter.name}) is not valid UTF-8`);
        }
        const type = parameter.schema.type ?? parameter.schema.$ref;
        if (type === 'number') {
            try {
                parseWholeNumber(parameter.name, Buffer.from(arg).toString('utf8'));
            } catch (refusal) {
                return refusal as ChaincodeError;
            }
        } else if (type !== 'string') {
            return refuse(
                COMMON_CODES.INTERNAL,
                `${contractName}:${name} declares parameter ${parameter.name} as ${type}; parameters are strings or whole numbers`,
            );
        }
    }
    return undefined;
}

function count(n: number, noun: string): string {
    return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The parts of fabric-shim's `ChaincodeFromContract` the checks read, as fabric-shim 2.5 has them. */
export interface Dispatcher {
    contractImplementations: Record<string, unknown>;
    metadata: {
        contracts: Record<
            string,
            {
                transactions: {
                    name: string;
                    parameters?: { name: string; schema: { type?: string; $ref?: string } }[];
                }[];
            }
        >;
    };
    _splitFunctionName(fcn: string): { contractName: string; function: string };
}

interface DispatcherPrototype extends Dispatcher {
    invokeFunctionality(stub: { getBufferArgs(): Uint8Array[] }): Promise<ChaincodeResponse>;
}

const INSTALLED = Symbol.for('zhelian.invocationChecks');

/** Wraps `ChaincodeFromContract.prototype.invokeFunctionality` of the fabric-shim this package resolves; idempotent. */
export function installInvocationChecks(): void {
    const load = createRequire(__filename);
    const { prototype } = load('fabric-shim/lib/contract-spi/chaincodefromcontract.js') as {
        prototype: DispatcherPrototype & { [INSTALLED]?: true };
    };
    if (prototype[INSTALLED]) {
        return;
    }
    const invoke = prototype.invokeFunctionality;
    prototype.invokeFunctionality = async function (this: DispatcherPrototype, stub) {
        const refusal = invocationRefusal(this, stub.getBufferArgs());
        return refusal ? Shim.error(refusal.message) : invoke.call(this, stub);
    };
    prototype[INSTALLED] = true;
}
