import { ErrorCode, ZhelianError } from '@zhelian/api';

/**
 * Why a chaincode host could not run an execution. Callers branch on the class (or `code`),
 * never on the message text.
 */
export abstract class ChaincodeHostError extends ZhelianError {
    /** The chaincode (host) name. */
    readonly chaincodeName: string;

    protected constructor(code: ErrorCode, chaincodeName: string, message: string, options?: ErrorOptions) {
        super(code, message, options);
        this.chaincodeName = chaincodeName;
    }
}

/** The chaincode package could not be loaded, or its worker thread or process did not come up in time. */
export class ChaincodeStartError extends ChaincodeHostError {
    readonly packageDir: string;
    /** The last lines the chaincode wrote to stdout/stderr. */
    readonly outputTail: string;

    constructor(chaincodeName: string, packageDir: string, reason: string, outputTail: string) {
        super(
            ErrorCode.CHAINCODE_START_FAILED,
            chaincodeName,
            `Chaincode ${chaincodeName} (${packageDir}) failed to start: ${reason}` +
                (outputTail ? `\n--- chaincode output ---\n${outputTail}` : ''),
        );
        this.packageDir = packageDir;
        this.outputTail = outputTail;
    }
}

/** An execution did not complete within the execution timeout. */
export class ChaincodeTimeoutError extends ChaincodeHostError {
    readonly txId: string;
    readonly timeoutMs: number;

    constructor(chaincodeName: string, txId: string, timeoutMs: number) {
        super(
            ErrorCode.CHAINCODE_TIMEOUT,
            chaincodeName,
            `Chaincode ${chaincodeName} did not complete transaction ${txId} within ${timeoutMs} ms`,
        );
        this.txId = txId;
        this.timeoutMs = timeoutMs;
    }
}

/**
 * The chaincode's worker thread or process ended (it exited, crashed, or was killed as
 * unresponsive) while executions were in flight.
 */
export class ChaincodeCrashedError extends ChaincodeHostError {
    /** The exit code (a killed worker thread ends with 1); `null` when a signal ended a process. */
    readonly exitCode: number | null;
    /** The signal that ended a chaincode process; always `null` for a worker thread. */
    readonly signal: NodeJS.Signals | null;
    /** Every transaction that was executing in the chaincode when it ended. */
    readonly txIds: readonly string[];

    constructor(
        chaincodeName: string,
        exitCode: number | null,
        signal: NodeJS.Signals | null,
        txIds: readonly string[],
        reason?: string,
        runner = 'process',
    ) {
        const how = signal ? `was killed by ${signal}` : `exited with code ${exitCode}`;
        super(
            ErrorCode.CHAINCODE_CRASHED,
            chaincodeName,
            `Chaincode ${chaincodeName} ${runner} ${how}` +
                (reason ? ` (${reason})` : '') +
                (txIds.length > 0 ? ` during transaction(s) ${txIds.join(', ')}` : ''),
        );
        this.exitCode = exitCode;
        this.signal = signal;
        this.txIds = txIds;
    }
}

/**
 * The transaction could not run: the chaincode answered ERROR instead of COMPLETED (e.g. it
 * could not read the proposal), or the invocation could not be encoded for it.
 */
export class ChaincodeExecutionError extends ChaincodeHostError {
    readonly txId: string;

    constructor(chaincodeName: string, txId: string, reason: string) {
        super(
            ErrorCode.CHAINCODE_EXECUTION_FAILED,
            chaincodeName,
            `Chaincode ${chaincodeName} failed transaction ${txId}: ${reason}`,
        );
        this.txId = txId;
    }
}

/** The same transaction is already executing on the same peer's stream. */
export class DuplicateExecutionError extends ChaincodeHostError {
    readonly txId: string;
    readonly peerId: string;

    constructor(chaincodeName: string, txId: string, peerId: string) {
        super(
            ErrorCode.CHAINCODE_DUPLICATE_EXECUTION,
            chaincodeName,
            `Transaction ${txId} is already executing on chaincode ${chaincodeName} for peer ${peerId}`,
        );
        this.txId = txId;
        this.peerId = peerId;
    }
}

/** The host was closed; the execution was refused or abandoned. */
export class ChaincodeClosedError extends ChaincodeHostError {
    readonly txId: string | undefined;

    constructor(chaincodeName: string, txId?: string) {
        super(
            ErrorCode.CHAINCODE_CLOSED,
            chaincodeName,
            `Chaincode ${chaincodeName} host is closed` + (txId ? `; transaction ${txId} was not completed` : ''),
        );
        this.txId = txId;
    }
}
