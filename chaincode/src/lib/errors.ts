/**
 * Chaincode errors. Every refusal is an `Error` whose message starts with a stable code,
 * `E_ALREADY_REIMBURSED: receipt 33010125-0000001 was already reimbursed`, so that clients
 * (the gateway maps codes to HTTP statuses) branch on the code, and people read the sentence.
 *
 * ```ts
 * throw refuse(EINVOICE_CODES.ALREADY_REIMBURSED, `receipt ${id} was already reimbursed`);
 * throw notFound(`receipt ${id}`);
 * ```
 */
export type ErrorCode = `E_${Uppercase<string>}`;

/**
 * The codes shared by every contract. Each contract keeps its own codes the same way, as one
 * constant object in its `rules.ts` (`EINVOICE_CODES`, `LOTTERY_CODES`, `TEA_CODES`,
 * `TIMEBANK_CODES`, `EVIDENCE_CODES`), and never writes a code as a string literal where it
 * refuses. The strings are an API: clients and the gateway branch on them, so they never change.
 */
export const COMMON_CODES = {
    FORBIDDEN: 'E_FORBIDDEN',
    NOT_FOUND: 'E_NOT_FOUND',
    EXISTS: 'E_EXISTS',
    BAD_INPUT: 'E_BAD_INPUT',
    BAD_STATE: 'E_BAD_STATE',
    PRIVATE_DATA: 'E_PRIVATE_DATA',
    /** The chaincode has no contract of the called name. */
    UNKNOWN_CONTRACT: 'E_UNKNOWN_CONTRACT',
    /** The contract has no transaction of the called name. */
    UNKNOWN_TRANSACTION: 'E_UNKNOWN_TRANSACTION',
    /** Too few or too many arguments for the transaction. */
    ARGUMENT_COUNT: 'E_ARGUMENT_COUNT',
    /** A bug in the chaincode itself (e.g. a second event in one transaction), never the caller's fault. */
    INTERNAL: 'E_INTERNAL',
} as const satisfies Record<string, ErrorCode>;

/** A refusal with its code kept beside the message. */
export class ChaincodeError extends Error {
    readonly code: ErrorCode;

    constructor(code: ErrorCode, detail: string) {
        super(`${code}: ${detail}`);
        this.name = 'ChaincodeError';
        this.code = code;
    }
}

/** A refusal with a contract-specific code. */
export function refuse(code: ErrorCode, detail: string): ChaincodeError {
    return new ChaincodeError(code, detail);
}

/** The caller's certificate does not carry the MSP or role the transaction needs. */
export function forbidden(detail: string): ChaincodeError {
    return new ChaincodeError(COMMON_CODES.FORBIDDEN, detail);
}

/** `what` names the record, e.g. `receipt 33010125-0000001`. */
export function notFound(what: string): ChaincodeError {
    return new ChaincodeError(COMMON_CODES.NOT_FOUND, `${what} does not exist`);
}

/** `what` names the record, e.g. `receipt 33010125-0000001`. */
export function alreadyExists(what: string): ChaincodeError {
    return new ChaincodeError(COMMON_CODES.EXISTS, `${what} already exists`);
}

export function badInput(detail: string): ChaincodeError {
    return new ChaincodeError(COMMON_CODES.BAD_INPUT, detail);
}

/** The record exists but is not in a state that allows the transition. */
export function badState(detail: string): ChaincodeError {
    return new ChaincodeError(COMMON_CODES.BAD_STATE, detail);
}
