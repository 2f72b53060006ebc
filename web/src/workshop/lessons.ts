import { callGeneric, callTransaction, type TransactionOutcome } from '../api/client';
import { type ChainCheck, verifyChain } from '../api/explorer';
import { FLOWS, type FlowContext } from '../apps/flows';
import { CASES } from '../apps/catalog';
import { api, unwrap } from '../api/client';
import { isSubmit, loadMetadata } from '../apps/metadata';
import { session } from '../state/session';
import { LESSON_STEPS } from './lesson-steps';
import type { StepEvidence } from './progress';
import type { LessonStepDefinition, StepOutcome } from './step-definition';

/**
 * Guided lessons: one per application (its flow, each step explained and checked on the ledger)
 * and one on Fabric itself. A step is something the learner does — a transaction as an identity,
 * a burst of transactions at an agreed moment, a chain verification — and a check that reads the
 * answer or the ledger to say it was done.
 */
export interface StepAnswer {
    outcome?: TransactionOutcome;
    result?: unknown;
    /** The refusal's code, when refused. */
    code?: string;
    /** The refused transaction, when the ledger judged it invalid (its validation code is `code`). */
    txId?: string;
    verification?: ChainCheck;
    /** Outcomes of a burst. */
    outcomes?: TransactionOutcome[];
    /** A transaction the check found judged invalid (the MVCC step's conflict). */
    invalid?: InvalidTransaction;
    /** The block the instructor changed a byte of, as the tamper step's check found it (null: none yet). */
    tampered?: { blockNumber: number } | null;
}

/** A lesson step: its definition (the gateway's, which checks a learner's evidence of it) with how to do it. */
export interface LessonStep extends LessonStepDefinition {
    submit?: boolean;
    args?: (ctx: FlowContext) => Record<string, unknown> | Promise<Record<string, unknown>>;
    /** Positional arguments for the generic route (with endorsingOrganizations). */
    positional?: (ctx: FlowContext) => unknown[];
    transient?: (ctx: FlowContext) => Record<string, unknown>;
    endorsingOrganizations?: string[];
    capture?: Record<string, string>;
}

export interface LessonContext extends FlowContext {
    /** The height when the step started: checks look at blocks from there. */
    startHeight: number;
}

export interface Lesson {
    id: string;
    /** `cases.<contract>.title` for application lessons; `lessons.fabric.title` for Fabric. */
    titleKey: string;
    introKey: string;
    /** Where each step's text lives: `flows.<contract>` or `lessons.fabric.steps`. */
    stepKeys: string;
    steps: LessonStep[];
}

/** Whether a submitted step's transaction is on the ledger, VALID: the check reads the explorer. */
async function committedValid(outcome: TransactionOutcome | undefined): Promise<boolean> {
    if (!outcome) {
        return false;
    }
    const tx = await unwrap(api.GET('/api/explorer/transactions/{txId}', { params: { path: { txId: outcome.txId } } }));
    return (tx as { validationCode?: number }).validationCode === 0;
}

/** A transaction the ledger judged invalid, to show where it is. */
export interface InvalidTransaction {
    txId: string;
    blockNumber: number;
    validationCodeName: string;
}

/** Whether a transaction was signed by the identity this browser acts as (its certificate's MSP and CN). */
async function signedByMe(txId: string): Promise<boolean> {
    const tx = (await unwrap(api.GET('/api/explorer/transactions/{txId}', { params: { path: { txId } } }))) as {
        creator?: { mspId: string; subject?: string };
    };
    const name = /(?:^|[,\n]\s*)CN=([^,\n]+)/.exec(tx.creator?.subject ?? '')?.[1];
    return `${tx.creator?.mspId}:${name}` === session.identity;
}

/** The first transaction with validation code `code`, signed as this browser acts, in the blocks from `from` on. */
async function invalidSince(from: number, code: string): Promise<InvalidTransaction | undefined> {
    const page = (await unwrap(api.GET('/api/explorer/blocks', { params: { query: { limit: 100 } } }))) as {
        blocks?: {
            number: number;
            transactions: { txId: string; validationCode: number; validationCodeName: string }[];
        }[];
    };
    for (const block of [...(page.blocks ?? [])].reverse().filter((candidate) => candidate.number >= from)) {
        for (const tx of block.transactions.filter((candidate) => candidate.validationCodeName === code)) {
            if (await signedByMe(tx.txId)) {
                return { txId: tx.txId, blockNumber: block.number, validationCodeName: tx.validationCodeName };
            }
        }
    }
    return undefined;
}

/** The block the instructor changed a byte of, or null when nothing is changed. */
async function tamperedBlock(): Promise<{ blockNumber: number } | null> {
    return (await unwrap(api.GET('/api/workshop/tamper'))).tampered;
}

const appLessons: Lesson[] = CASES.map((appCase) => ({
    id: appCase.contract,
    titleKey: `cases.${appCase.contract}.title`,
    introKey: `lessons.${appCase.contract}`,
    stepKeys: `flows.${appCase.contract}`,
    steps: (FLOWS[appCase.contract] ?? []).map((step): LessonStep => ({
        key: step.key,
        kind: 'tx',
        contract: appCase.contract,
        fn: step.fn,
        as: step.as,
        done: step.done,
        ...(step.args ? { args: step.args } : {}),
        ...(step.transient ? { transient: step.transient } : {}),
        ...(step.capture ? { capture: step.capture } : {}),
    })),
}));

const minuteNow = (): number => Math.floor(Date.now() / 60_000);
const cstYear = (minute: number): number => new Date((minute + 8 * 60) * 60_000).getUTCFullYear();
const WORKSHOP_GARDEN = '工作坊茶园';
const MAJORITY = ['MemberMSP', 'PlatformMSP', 'CourtMSP'];

/** How to do each step of the Fabric lesson, by step key; the steps themselves are `LESSON_STEPS.fabric`. */
const FABRIC_HOW: Record<string, Omit<LessonStep, keyof LessonStepDefinition>> = {
    oneOrg: {
        submit: true,
        endorsingOrganizations: ['MemberMSP'],
        positional: (ctx) => [`EV-${ctx.run}-P1`, '0'.repeat(63) + '1', '背书策略实验', 'text/plain', 1],
    },
    majority: {
        submit: true,
        endorsingOrganizations: MAJORITY,
        positional: (ctx) => [`EV-${ctx.run}-P2`, '0'.repeat(63) + '2', '背书策略实验', 'text/plain', 1],
    },
    garden: {
        args: () => ({ gardenName: WORKSHOP_GARDEN, growerMspId: 'MemberMSP', growerUnit: '勐海茶园' }),
    },
    harvest: {
        args: () => ({ gardenName: WORKSHOP_GARDEN, year: cstYear(minuteNow() - 60), certifiedGrams: 5_000_000 }),
    },
    together: {
        args: (ctx) => ({
            lotId: `WS-${ctx.run}-${Math.floor(Math.random() * 1e6)}`,
            gardenName: WORKSHOP_GARDEN,
            pickedAtMinute: minuteNow() - 60,
            weightGrams: 100,
        }),
    },
    elderId: { capture: { elderId: 'id' } },
    elderDetails: {
        args: (ctx) => ({ elderAccountId: String(ctx.elderId ?? '') }),
        transient: () => ({ elder: { name: '王阿婆', address: '杭州市滨江区长河街道', phone: '0571-8666 0101' } }),
    },
    memberPeer: {
        submit: false,
        endorsingOrganizations: ['MemberMSP'],
        positional: (ctx) => [String(ctx.elderId ?? '')],
    },
    otherPeer: {
        submit: false,
        endorsingOrganizations: ['CourtMSP'],
        positional: (ctx) => [String(ctx.elderId ?? '')],
    },
};

const fabricLesson: Lesson = {
    id: 'fabric',
    titleKey: 'lessons.fabric.title',
    introKey: 'lessons.fabric',
    stepKeys: 'lessons.fabric.steps',
    steps: LESSON_STEPS.fabric.map((step) => ({ ...step, ...FABRIC_HOW[step.key] })),
};

export const LESSONS: readonly Lesson[] = [fabricLesson, ...appLessons];

/**
 * Whether a step was done, from its answer and, where the step asks for a transaction on the
 * ledger, from the explorer: any one of the outcomes its definition accepts (the same the gateway
 * checks the learner's evidence against). It adds what it found to the answer: the MVCC step's
 * conflict, the tamper step's block.
 */
export async function checkStep(step: LessonStep, answer: StepAnswer, ctx: LessonContext): Promise<boolean> {
    for (const outcome of step.done) {
        if (await shows(step, outcome, answer, ctx)) {
            return true;
        }
    }
    return false;
}

async function shows(step: LessonStep, outcome: StepOutcome, answer: StepAnswer, ctx: LessonContext): Promise<boolean> {
    if ('ledger' in outcome) {
        if (outcome.ledger === 'VALID') {
            return committedValid(answer.outcome);
        }
        if (step.kind === 'burst') {
            // The conflict is in a block since the step began, of a transaction I signed.
            answer.invalid = await invalidSince(ctx.startHeight, outcome.ledger);
            return answer.invalid !== undefined;
        }
        return answer.code === outcome.ledger && answer.txId !== undefined;
    }
    if ('answered' in outcome) {
        return answer.outcome === undefined && answer.code === undefined && answer.result !== undefined;
    }
    if ('refused' in outcome) {
        return answer.code === outcome.refused;
    }
    if (outcome.verification === 'intact') {
        return answer.verification?.ok === true;
    }
    // Done when this verification, run while the instructor's change is in place, named that block.
    answer.tampered = await tamperedBlock();
    const block = answer.tampered?.blockNumber;
    return (
        block !== undefined &&
        answer.verification?.ok === false &&
        answer.verification.problems.some((problem) => problem.blockNumber === block)
    );
}

/**
 * What shows the gateway that a checked step was done: the transaction (for the MVCC step, the
 * one judged invalid; for a step about a refusal the ledger records, the refused one), the call
 * it answered or refused, or the verification.
 */
export function evidenceOf(step: LessonStep, answer: StepAnswer): StepEvidence | undefined {
    if (step.kind === 'verify') {
        return { verification: answer.verification?.ok ? 'intact' : 'tampered' };
    }
    if (step.kind === 'burst') {
        return answer.invalid ? { txId: answer.invalid.txId } : undefined;
    }
    if (answer.outcome) {
        return { txId: answer.outcome.txId };
    }
    if (answer.txId && step.done.some((outcome) => 'ledger' in outcome && outcome.ledger === answer.code)) {
        return { txId: answer.txId };
    }
    return { contract: step.contract!, fn: step.fn!, ...(answer.code ? { code: answer.code } : {}) };
}

export const lessonOf = (id: string): Lesson | undefined => LESSONS.find((lesson) => lesson.id === id);

/** Runs one transaction step: the per-application route, or the generic one when endorsers are named. */
export async function runTransaction(
    step: LessonStep,
    ctx: LessonContext,
): Promise<TransactionOutcome | { result: unknown }> {
    const metadata = await loadMetadata();
    const transaction = metadata.contracts[step.contract!]?.transactions.find((tx) => tx.name === step.fn);
    const submit = step.submit ?? (transaction ? isSubmit(transaction) : true);
    const transient = step.transient?.(ctx);
    if (step.positional) {
        return callGeneric('zhelian', `${step.contract}:${step.fn}`, step.positional(ctx), {
            submit,
            ...(transient ? { transient } : {}),
            ...(step.endorsingOrganizations ? { endorsingOrganizations: step.endorsingOrganizations } : {}),
        });
    }
    return callTransaction(step.contract!, step.fn!, submit, step.args ? await step.args(ctx) : {}, transient);
}

export { verifyChain };
