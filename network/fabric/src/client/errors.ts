import * as fabricGateway from '@hyperledger/fabric-gateway';
import {
    commitError,
    EndorseError,
    type ErrorDetail,
    ErrorCode,
    GatewayError,
    type Status,
    SubmitError,
    ZhelianError,
} from '@zhelian/api';

/**
 * fabric-gateway's errors as Zhelian's one family, so a caller branches on the same types and
 * codes whichever backend it has: `EndorseError`, `SubmitError` and `GatewayError` keep the
 * transaction id, gRPC status and each peer's detail; a gRPC failure without a gateway error
 * (peer down) becomes `GATEWAY_FAILED` with status UNAVAILABLE.
 */
export function translateError(err: unknown): unknown {
    if (err instanceof ZhelianError) {
        return err;
    }
    if (err instanceof fabricGateway.EndorseError) {
        return withCause(new EndorseError(err.transactionId, err.code, bareMessage(err), details(err)), err);
    }
    // fabric-gateway exports SubmitError as a type only: its instances are GatewayErrors named so.
    if (err instanceof fabricGateway.GatewayError && err.name === 'SubmitError') {
        const transactionId = (err as fabricGateway.GatewayError & { transactionId: string }).transactionId;
        return withCause(new SubmitError(transactionId, err.code, bareMessage(err), details(err)), err);
    }
    if (err instanceof fabricGateway.GatewayError) {
        return withCause(new GatewayError(ErrorCode.GATEWAY_FAILED, err.code, bareMessage(err), details(err)), err);
    }
    return err;
}

/** Runs `call`, rethrowing what it throws as a Zhelian error. */
export async function translated<T>(call: () => Promise<T>): Promise<T> {
    try {
        return await call();
    } catch (err) {
        throw translateError(err);
    }
}

/** The commit error for an unsuccessful status, as every backend reports it. */
export function throwIfUnsuccessful(status: Status): void {
    if (!status.successful) {
        throw commitError(status);
    }
}

function details(err: fabricGateway.GatewayError): ErrorDetail[] {
    return err.details.map(({ address, mspId, message }) => ({ address, mspId, message }));
}

/** The message without gRPC's `10 ABORTED: ` prefix: the status is `grpcStatus`. */
function bareMessage(err: Error): string {
    return err.message.replace(/^\d+ [A-Z_]+: /, '');
}

function withCause<T extends Error>(translated: T, cause: unknown): T {
    Object.defineProperty(translated, 'cause', { value: cause, enumerable: false, configurable: true });
    return translated;
}
