import { z } from 'zod';
import type { TransactionInfo } from '@zhelian/api';
import { type Caller, identityKey } from '../auth/access';
import { teamMembers } from '../auth/participant-team';
import { HttpError } from '../http/http-error';
import type { GatewayServices } from '../services';
import type { LessonStepDefinition, StepOutcome } from './lesson-steps';

/** What a participant shows for a step: its transaction, a call the gateway answered it, or its last verification. */
export const Evidence = z.union([
    z
        .object({ txId: z.string().regex(/^[0-9a-f]{64}$/, 'expected a transaction id: 64 hex digits') })
        .strict()
        .describe("A transaction on the ledger, signed by one of the participant's identities."),
    z
        .object({
            contract: z.string().min(1).max(64),
            fn: z.string().min(1).max(128),
            code: z.string().min(1).max(64).optional(),
        })
        .strict()
        .describe('A call the gateway answered the participant: without code, answered; with code, refused with it.'),
    z
        .object({ verification: z.enum(['intact', 'tampered']) })
        .strict()
        .describe(
            "The participant's last chain verification: it passed, or it named the block the instructor changed.",
        ),
]);
export type Evidence = z.output<typeof Evidence>;

type ParticipantCaller = Extract<Caller, { kind: 'participant' }>;

/** A step as the participant recorded it: which lesson, which step, and its definition. */
export interface RecordedStep {
    lesson: string;
    index: number;
    step: LessonStepDefinition;
}

/** The certificate's common name in a subject as the explorer gives it (`…, CN=alice.zheyi`). */
const commonName = (subject: string): string | undefined => /(?:^|[,\n]\s*)CN=([^,\n]+)/.exec(subject)?.[1];

const refuse = (status: number, code: string, message: string): never => {
    throw new HttpError(status, code, message, { field: 'evidence' });
};

/**
 * Checks that a participant did the step it records, where the gateway can see it, and that what
 * it shows is what the step asks (`LESSON_STEPS`): its transaction on the ledger (creator one of
 * the participant's certificates; chaincode, function and validation code the step's), a call
 * the gateway answered or refused it (the step's function, answered or refused with the step's
 * code), or its last chain verification. Where the participant has an identity for the step's
 * role, the transaction or call must be that identity's. A participant who cheats — ticks a step
 * with a transaction or call of another kind — is answered 422 `EVIDENCE_WRONG_KIND`.
 */
export async function checkEvidence(
    services: GatewayServices,
    caller: ParticipantCaller,
    recorded: RecordedStep,
    evidence: Evidence | undefined,
): Promise<void> {
    if (!evidence) {
        return refuse(
            400,
            'EVIDENCE_REQUIRED',
            'a participant records a step with its evidence: a txId, a call or a verification',
        );
    }
    if ('txId' in evidence) {
        return checkTransaction(services, caller, recorded, evidence.txId);
    }
    if ('fn' in evidence) {
        return checkCall(services, caller, recorded, evidence);
    }
    return checkVerification(services, caller, recorded, evidence.verification);
}

async function checkTransaction(
    services: GatewayServices,
    caller: ParticipantCaller,
    recorded: RecordedStep,
    txId: string,
): Promise<void> {
    const tx = await services.backend.explorer.getTransaction(txId);
    if (!tx) {
        return refuse(400, 'EVIDENCE_NOT_FOUND', `transaction ${txId} is not on the ledger`);
    }
    const creator = `${tx.creator.mspId}:${commonName(tx.creator.subject) ?? ''}`;
    if (!caller.identities.map(identityKey).includes(creator)) {
        return refuse(
            403,
            'EVIDENCE_NOT_YOURS',
            `transaction ${txId} was signed by ${creator}, not by one of ${caller.participant}'s identities`,
        );
    }
    const { step } = recorded;
    const fits =
        tx.chaincodeName === services.chaincode &&
        tx.args[0] === `${step.contract}:${step.fn}` &&
        step.done.some((outcome) => 'ledger' in outcome && outcome.ledger === tx.validationCodeName);
    if (!fits) {
        return wrongKind(services, recorded, `transaction ${txId} is ${anatomy(tx)}`);
    }
    await checkRole(services, caller, recorded, creator, `transaction ${txId} was signed by ${creator}`);
}

async function checkCall(
    services: GatewayServices,
    caller: ParticipantCaller,
    recorded: RecordedStep,
    evidence: { contract: string; fn: string; code?: string },
): Promise<void> {
    const { step } = recorded;
    const asked = (outcome: StepOutcome): boolean =>
        evidence.code === undefined ? 'answered' in outcome : 'refused' in outcome && outcome.refused === evidence.code;
    if (evidence.contract !== step.contract || evidence.fn !== step.fn || !step.done.some(asked)) {
        const shown = `${evidence.contract}:${evidence.fn} ${evidence.code ? `refused with ${evidence.code}` : 'answered'}`;
        return wrongKind(services, recorded, `the call shown is ${shown}`);
    }
    const calls = services.activity
        .calls(caller.participant)
        .filter(
            (call) =>
                call.chaincode === services.chaincode &&
                call.contract === evidence.contract &&
                call.fn === evidence.fn &&
                call.code === evidence.code,
        );
    if (calls.length === 0) {
        return refuse(
            400,
            'EVIDENCE_NOT_FOUND',
            `this server answered ${caller.participant} no ${evidence.contract}:${evidence.fn} ${evidence.code ? `refused with ${evidence.code}` : 'without refusal'}`,
        );
    }
    const member = await memberFor(services, caller, step);
    if (member && !calls.some((call) => call.identity === member)) {
        return refuse(
            422,
            'EVIDENCE_WRONG_KIND',
            `${caller.participant}'s ${evidence.contract}:${evidence.fn} calls were not made as ${member}: step ${recorded.index} (${step.key}) of lesson ${recorded.lesson} acts as ${step.as}`,
        );
    }
}

async function checkVerification(
    services: GatewayServices,
    caller: ParticipantCaller,
    recorded: RecordedStep,
    verification: 'intact' | 'tampered',
): Promise<void> {
    if (!recorded.step.done.some((outcome) => 'verification' in outcome && outcome.verification === verification)) {
        return wrongKind(services, recorded, `the evidence shown is a verification (${verification})`);
    }
    const last = services.activity.verifications(caller.participant).at(-1);
    if (!last) {
        return refuse(400, 'EVIDENCE_NOT_FOUND', `${caller.participant} has not verified the chain on this server`);
    }
    if (verification === 'intact') {
        if (!last.ok) {
            refuse(400, 'EVIDENCE_NOT_FOUND', `${caller.participant}'s last verification found problems`);
        }
        return;
    }
    const tampered = await services.backend.maintenance?.pendingTamper();
    if (!tampered || last.at < tampered.tamperedAt || !last.blocks.includes(tampered.blockNumber)) {
        refuse(
            400,
            'EVIDENCE_NOT_FOUND',
            tampered
                ? `${caller.participant}'s last verification did not name block ${tampered.blockNumber}, which the instructor changed`
                : 'the instructor has not changed a block',
        );
    }
}

/** The participant's own identity for the step's role (`MemberMSP:alice.elder`), if it has one. */
async function memberFor(
    services: GatewayServices,
    caller: ParticipantCaller,
    step: LessonStepDefinition,
): Promise<string | undefined> {
    if (!step.as) {
        return undefined;
    }
    const member = teamMembers(caller.identities, await services.identities.list()).find(
        (candidate) => candidate.actsFor === step.as,
    );
    return member ? identityKey(member) : undefined;
}

async function checkRole(
    services: GatewayServices,
    caller: ParticipantCaller,
    recorded: RecordedStep,
    signer: string,
    shown: string,
): Promise<void> {
    const member = await memberFor(services, caller, recorded.step);
    if (member && member !== signer) {
        refuse(
            422,
            'EVIDENCE_WRONG_KIND',
            `${shown}: step ${recorded.index} (${recorded.step.key}) of lesson ${recorded.lesson} acts as ${recorded.step.as}, which is ${member} for ${caller.participant}`,
        );
    }
}

/** How a transaction reads as a step's evidence: chaincode, function, validation code. */
const anatomy = (tx: TransactionInfo): string =>
    `${tx.chaincodeName} ${tx.args[0] ?? '(no function)'} with validation code ${tx.validationCodeName}`;

function wrongKind(services: GatewayServices, recorded: RecordedStep, shown: string): never {
    const { step } = recorded;
    return refuse(
        422,
        'EVIDENCE_WRONG_KIND',
        `${shown}: step ${recorded.index} (${step.key}) of lesson ${recorded.lesson} asks for ${step.done
            .map((outcome) => describeOutcome(services.chaincode, step, outcome))
            .join(', or ')}`,
    );
}

function describeOutcome(chaincode: string, step: LessonStepDefinition, outcome: StepOutcome): string {
    const call = `${step.contract}:${step.fn}`;
    if ('ledger' in outcome) {
        return `a transaction of ${chaincode} ${call} on the ledger with validation code ${outcome.ledger}`;
    }
    if ('answered' in outcome) {
        return `an evaluation of ${call} the gateway answered`;
    }
    if ('refused' in outcome) {
        return `${call} refused with ${outcome.refused}`;
    }
    return outcome.verification === 'intact'
        ? 'a chain verification that passed'
        : 'a chain verification that named the block the instructor changed';
}
