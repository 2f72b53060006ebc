import { ErrorCode, ZhelianError } from '@zhelian/api';
import { JsonNumber, type JsonValue } from './json-value';

/**
 * A rich query refused during simulation; the chaincode receives the message as a rejected shim
 * call. Refusals by CouchDB carry Fabric's wrapping of CouchDB's answer, so chaincode sees what it
 * would see on a Fabric peer with CouchDB.
 */
export class QueryError extends ZhelianError {
    constructor(message: string) {
        super(ErrorCode.SIMULATION_REFUSED, message);
    }

    /** CouchDB's refusal (`mango_error`), as Fabric's CouchDB client reports it. */
    static couch(error: string, reason: string, status = 400): QueryError {
        return new QueryError(
            `error handling CouchDB request. Error:${error},  Status Code:${status},  Reason:${reason}`,
        );
    }
}

/**
 * A JSON value printed as Erlang's `~w` prints CouchDB's decoded JSON, for CouchDB's messages
 * that quote an argument (`Bad argument for operator $in: <<"red">>`).
 */
export function erlangTerm(value: JsonValue | undefined): string {
    if (value === null || value === undefined) {
        return 'null';
    }
    if (typeof value === 'boolean') {
        return String(value);
    }
    if (value instanceof JsonNumber) {
        return value.literal;
    }
    if (typeof value === 'string') {
        const bytes = Buffer.from(value, 'utf8');
        return /^[\x20-\x7e]*$/.test(value) && !/["\\]/.test(value) ? `<<"${value}">>` : `<<${[...bytes].join(',')}>>`;
    }
    if (Array.isArray(value)) {
        return `[${value.map(erlangTerm).join(',')}]`;
    }
    return `{[${[...value].map(([key, inner]) => `{${erlangTerm(key)},${erlangTerm(inner)}}`).join(',')}]}`;
}
