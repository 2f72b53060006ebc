import { callGeneric, callTransaction, type TransactionOutcome } from '../api/client';
import { type ChainCheck, verifyChain } from '../api/explorer';
import { FLOWS, type FlowContext } from '../apps/flows';
import { CASES } from '../apps/catalog';
import { api, unwrap } from '../api/client';
import { isSubmit, loadMetadata } from '../apps/metadata';
import { session } from '../state/session';
import type { StepEvidence } from './progress';

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
    verification?: ChainCheck;
    /** Outcomes of a burst. */
    outcomes?: TransactionOutcome[];
    /** A transaction the check found judged invalid (the MVCC step's conflict). */
    invalid?: InvalidTransaction;
    /** The block the instructor changed a byte of, as the tamper step's check found it (null: none yet). */
    tampered?: { blockNumber: number } | null;
}

export interface LessonStep {
    /** Message keys: `<lesson keys>.<key>` (what to do) and, for Fabric, `.why`. */
    key: string;
    kind: 'tx' | 'burst' | 'verify';
    contract?: string;
    fn?: string;
    as?: string;
    submit?: boolean;
    args?: (ctx: FlowContext) => Record<string, unknown> | Promise<Record<string, unknown>>;
    /** Positional arguments for the generic route (with endorsingOrganizations). */
    positional?: (ctx: FlowContext) => unknown[];
    transient?: (ctx: FlowContext) => Record<string, unknown>;
    endorsingOrganizations?: string[];
    capture?: Record<string, string>;
    /** Whether the step was done, from its answer (and the ledger where it needs to look). */
    check: (answer: StepAnswer, ctx: LessonContext) => boolean | Promise<boolean>;
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
async function invalidSince(from: number, code: number): Promise<InvalidTransaction | undefined> {
    const page = (await unwrap(api.GET('/api/explorer/blocks', { params: { query: { limit: 100 } } }))) as {
        blocks?: {
            number: number;
            transactions: { txId: string; validationCode: number; validationCodeName: string }[];
        }[];
    };
    for (const block of [...(page.blocks ?? [])].reverse().filter((candidate) => candidate.number >= from)) {
        for (const tx of block.transactions.filter((candidate) => candidate.validationCode === code)) {
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
        ...(step.args ? { args: step.args } : {}),
        ...(step.transient ? { transient: step.transient } : {}),
        ...(step.capture ? { capture: step.capture } : {}),
        check: (answer) =>
            step.refusal
                ? answer.code === step.refusal
                : step.orExists && answer.code === 'E_EXISTS'
                  ? true
                  : answer.outcome
                    ? committedValid(answer.outcome)
                    : answer.result !== undefined,
    })),
}));

const minuteNow = (): number => Math.floor(Date.now() / 60_000);
const cstYear = (minute: number): number => new Date((minute + 8 * 60) * 60_000).getUTCFullYear();
const WORKSHOP_GARDEN = '工作坊茶园';
const MAJORITY = ['MemberMSP', 'PlatformMSP', 'CourtMSP'];

const fabricLesson: Lesson = {
    id: 'fabric',
    titleKey: 'lessons.fabric.title',
    introKey: 'lessons.fabric',
    stepKeys: 'lessons.fabric.steps',
    steps: [
        {
            key: 'oneOrg',
            kind: 'tx',
            contract: 'evidence',
            fn: 'depositEvidence',
            as: 'MemberMSP:litigant',
            submit: true,
            endorsingOrganizations: ['MemberMSP'],
            positional: (ctx) => [`EV-${ctx.run}-P1`, '0'.repeat(63) + '1', '背书策略实验', 'text/plain', 1],
            check: (answer) => answer.code === 'ENDORSEMENT_POLICY_FAILURE',
        },
        {
            key: 'majority',
            kind: 'tx',
            contract: 'evidence',
            fn: 'depositEvidence',
            as: 'MemberMSP:litigant',
            submit: true,
            endorsingOrganizations: MAJORITY,
            positional: (ctx) => [`EV-${ctx.run}-P2`, '0'.repeat(63) + '2', '背书策略实验', 'text/plain', 1],
            check: (answer) => committedValid(answer.outcome),
        },
        {
            key: 'garden',
            kind: 'tx',
            contract: 'tea',
            fn: 'registerGarden',
            as: 'RegulatorMSP:market',
            args: () => ({ gardenName: WORKSHOP_GARDEN, growerMspId: 'MemberMSP', growerUnit: '勐海茶园' }),
            // The whole class shares one garden: whoever registers it first, the others find it there.
            check: (answer) => answer.code === 'E_EXISTS' || committedValid(answer.outcome),
        },
        {
            key: 'harvest',
            kind: 'tx',
            contract: 'tea',
            fn: 'certifyHarvest',
            as: 'RegulatorMSP:inspector',
            args: () => ({ gardenName: WORKSHOP_GARDEN, year: cstYear(minuteNow() - 60), certifiedGrams: 5_000_000 }),
            check: (answer) => committedValid(answer.outcome),
        },
        {
            key: 'together',
            kind: 'burst',
            contract: 'tea',
            fn: 'registerLot',
            as: 'MemberMSP:farmer',
            args: (ctx) => ({
                lotId: `WS-${ctx.run}-${Math.floor(Math.random() * 1e6)}`,
                gardenName: WORKSHOP_GARDEN,
                pickedAtMinute: minuteNow() - 60,
                weightGrams: 100,
            }),
            // The conflict is in a block: an MVCC_READ_CONFLICT (11) since the step began, of a transaction I signed.
            check: async (answer, ctx) => {
                answer.invalid = await invalidSince(ctx.startHeight, 11);
                return answer.invalid !== undefined;
            },
        },
        {
            key: 'elderAccount',
            kind: 'tx',
            contract: 'timebank',
            fn: 'registerAccount',
            as: 'MemberMSP:elder',
            check: (answer) => answer.code === 'E_EXISTS' || committedValid(answer.outcome),
        },
        {
            key: 'elderId',
            kind: 'tx',
            contract: 'timebank',
            fn: 'whoami',
            as: 'MemberMSP:elder',
            capture: { elderId: 'id' },
            check: (answer) => answer.result !== undefined,
        },
        {
            key: 'elderDetails',
            kind: 'tx',
            contract: 'timebank',
            fn: 'recordElderDetails',
            as: 'MemberMSP:station',
            args: (ctx) => ({ elderAccountId: String(ctx.elderId ?? '') }),
            transient: () => ({ elder: { name: '王阿婆', address: '杭州市滨江区长河街道', phone: '0571-8666 0101' } }),
            check: (answer) => answer.code !== undefined || committedValid(answer.outcome),
        },
        {
            key: 'memberPeer',
            kind: 'tx',
            contract: 'timebank',
            fn: 'getElderDetails',
            as: 'MemberMSP:station',
            submit: false,
            endorsingOrganizations: ['MemberMSP'],
            positional: (ctx) => [String(ctx.elderId ?? '')],
            check: (answer) => answer.result !== undefined,
        },
        {
            key: 'otherPeer',
            kind: 'tx',
            contract: 'timebank',
            fn: 'getElderDetails',
            as: 'MemberMSP:station',
            submit: false,
            endorsingOrganizations: ['CourtMSP'],
            positional: (ctx) => [String(ctx.elderId ?? '')],
            check: (answer) => answer.code === 'PRIVATE_DATA_UNAVAILABLE',
        },
        {
            key: 'verify',
            kind: 'verify',
            check: (answer) => answer.verification?.ok === true,
        },
        {
            key: 'tamper',
            kind: 'verify',
            // Done when this verification, run while the instructor's change is in place, named that block.
            check: async (answer) => {
                answer.tampered = await tamperedBlock();
                const block = answer.tampered?.blockNumber;
                return (
                    block !== undefined &&
                    answer.verification?.ok === false &&
                    answer.verification.problems.some((problem) => problem.blockNumber === block)
                );
            },
        },
    ],
};

export const LESSONS: readonly Lesson[] = [fabricLesson, ...appLessons];

/**
 * What shows the gateway that a checked step was done: the transaction (for the MVCC step, the
 * one judged invalid), the call it answered or refused, or the verification.
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
