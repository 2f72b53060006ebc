/**
 * Chaincode errors. Every refusal is an `Error` whose message starts with a stable code,
 * `E_ALREADY_REIMBURSED: receipt 33010125-0000001 was already reimbursed`, so that clients
 * (the gateway maps codes to HTTP statuses) branch on the code, and people read the sentence.
 *
 * ```ts
 * throw refuse('E_ALREADY_REIMBURSED', `receipt ${id} was already reimbursed`);
 * throw notFound(`receipt ${id}`);
 * ```
 */
export type ErrorCode = `E_${Uppercase<string>}`;

/** The codes shared by every contract; contracts add their own (`E_CUTOFF_PASSED`, …). */
export const COMMON_CODES = {
    FORBIDDEN: 'E_FORBIDDEN',
    NOT_FOUND: 'E_NOT_FOUND',
    EXISTS: 'E_EXISTS',
    BAD_INPUT: 'E_BAD_INPUT',
    BAD_STATE: 'E_BAD_STATE',
    PRIVATE_DATA: 'E_PRIVATE_DATA',
} as const;

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
