import { chaincodeErrorCode, type Contract, EndorseError, TxValidationCode, validationCodeName } from '@zhelian/api';
import type { Answer, Step } from './chapter';

/** How one step ended. */
export type Outcome =
    | {
          kind: 'committed';
          txId: string;
          blockNumber: bigint;
          code: number;
          codeName: string;
          answer: Answer;
          /** More than 1 when the ledger moved under the first attempts (see {@link runStep}). */
          attempts: number;
      }
    | { kind: 'evaluated'; answer: Answer }
    | { kind: 'refused'; txId: string | undefined; errorCode: string; message: string }
    | { kind: 'skipped'; errorCode: string };

/** A step whose outcome is not the one the demo tells: the network or the contracts changed. */
export class StepFailed extends Error {}

/**
 * A submission that others' transactions got in the way of: it read a version that changed before
 * it committed (MVCC or phantom conflict), or the endorsing peers answered from different heights.
 * Submitted again, it reads the new state, as a Fabric client would resubmit.
 */
class LedgerMoved extends StepFailed {}

const ATTEMPTS = 3;
const RETRIED_CODES: readonly number[] = [TxValidationCode.MVCC_READ_CONFLICT, TxValidationCode.PHANTOM_READ_CONFLICT];

const parse = (bytes: Uint8Array): Answer => {
    const text = Buffer.from(bytes).toString('utf8');
    if (text === '') {
        return {};
    }
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Answer) : { value };
};

/** The first line of a refusal, from the chaincode's `E_…` code on. */
function refusalMessage(err: Error, code: string): string {
    const details = (err as { details?: { message?: string }[] }).details ?? [];
    const text = [...details.map((detail) => detail.message ?? ''), err.message].find((m) => m.includes(code)) ?? '';
    return text.slice(text.indexOf(code)).split('\n')[0];
}

/**
 * Runs one step on the contract acting as its actor: a submission waits for its block and reports
 * txId, block number and validation code; a refusal is caught where the step expects it (or where
 * it says an earlier run did this already) and is a {@link StepFailed} anywhere else. A submission
 * that others' transactions got in the way of (on a server that is also seeding, in a classroom) is
 * submitted again, up to three times in all.
 */
export async function runStep(step: Step, contract: Contract): Promise<Outcome> {
    for (let attempt = 1; ; attempt++) {
        try {
            const outcome = await attemptStep(step, contract);
            return outcome.kind === 'committed' ? { ...outcome, attempts: attempt } : outcome;
        } catch (err) {
            if (!(err instanceof LedgerMoved) || attempt === ATTEMPTS) {
                throw err;
            }
            await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
        }
    }
}

async function attemptStep(step: Step, contract: Contract): Promise<Outcome> {
    const options = {
        arguments: step.args?.() ?? [],
        ...(step.transient ? { transientData: step.transient() } : {}),
    };
    try {
        if (step.evaluate) {
            const answer = parse(await contract.evaluate(step.fn, options));
            step.keep?.(answer);
            return { kind: 'evaluated', answer };
        }
        const submitted = await contract.submitAsync(step.fn, options);
        const status = await submitted.getStatus();
        if (!status.successful) {
            const failure = RETRIED_CODES.includes(status.code) ? LedgerMoved : StepFailed;
            throw new failure(
                `${step.fn} by ${step.actor} was ordered into block ${status.blockNumber} and judged ${validationCodeName(status.code)} (${status.code})`,
            );
        }
        if (step.refused) {
            throw new StepFailed(
                `${step.fn} by ${step.actor} committed in block ${status.blockNumber}, but the contract should refuse it with ${step.refused.code}`,
            );
        }
        const answer = parse(submitted.getResult());
        step.keep?.(answer);
        return {
            kind: 'committed',
            txId: status.transactionId,
            blockNumber: status.blockNumber,
            code: status.code,
            codeName: validationCodeName(status.code),
            answer,
            attempts: 1,
        };
    } catch (err) {
        if (err instanceof StepFailed) {
            throw err;
        }
        const errorCode = chaincodeErrorCode(err);
        if (errorCode !== undefined && errorCode === step.doneIf) {
            return { kind: 'skipped', errorCode };
        }
        if (errorCode !== undefined && errorCode === step.refused?.code) {
            const txId = (err as { transactionId?: string }).transactionId;
            return {
                kind: 'refused',
                txId: txId || undefined,
                errorCode,
                message: refusalMessage(err as Error, errorCode),
            };
        }
        // Refused without a chaincode code: the endorsers disagreed, e.g. answered from different heights.
        const failure = err instanceof EndorseError && errorCode === undefined ? LedgerMoved : StepFailed;
        throw new failure(`${step.fn} by ${step.actor} failed: ${(err as Error).message}`, { cause: err });
    }
}
