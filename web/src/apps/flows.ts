import { computeDraw, type DrawInput, resultHash } from '../lib/draw';
import { LESSON_STEPS } from '../workshop/lesson-steps';
import type { LessonStepDefinition, StepOutcome } from '../workshop/step-definition';

/** What a flow's steps build their arguments from: the run's number and what earlier steps captured. */
export interface FlowContext {
    /** Six digits chosen when the page opened: ids of this run (receipt codes are 33 + these). */
    run: string;
    /** Values earlier steps captured, by name. */
    [name: string]: unknown;
}

/** How to do a step: its arguments and what it keeps for later steps. What the step is, is its definition's. */
export interface StepHow {
    args?: (ctx: FlowContext) => Record<string, unknown> | Promise<Record<string, unknown>>;
    transient?: (ctx: FlowContext) => Record<string, unknown>;
    /** Names to keep from the result: `{patientId: 'patientId'}` keeps `result.patientId`. */
    capture?: Record<string, string>;
}

export interface FlowStep extends StepHow {
    /** Message key under `flows.<contract>.` describing the step. */
    key: string;
    fn: string;
    as: string;
    /** The step shows a refusal on purpose: the chaincode's code it expects. */
    refusal?: string;
    /** A setup step whose `E_EXISTS` means it was done before (by an earlier run or another learner). */
    orExists?: boolean;
    /** What counts as done, as the gateway checks it. */
    done: readonly StepOutcome[];
}

const NOTARY_SEED = 'eb7433331a78e28192db118a25a9f2d6c11d45cd6b52fe4a1fb72780299030c1';
const SPONSOR_SEED = 'de73224612480834e5c6a8de7583e982a42b7492dc0cbe6bfd83b181db1eea31';
const NOTARY_COMMITMENT = '1a5e40412050c9961bb868535bfb574d805a12be0282a2945a7e8d67fcfa1ff1';
const SPONSOR_COMMITMENT = '001fe6a45536f1a350cf1dbcc53d32c09c762c800f9376f8f11d747617c630f0';
const ZHEYI = '浙江大学医学院附属第一医院';

const minuteNow = (): number => Math.floor(Date.now() / 60_000);
/** The calendar year in China Standard Time of a minute (the harvest year the chaincode uses). */
const cstYear = (minute: number): number => new Date((minute + 8 * 60) * 60_000).getUTCFullYear();

const receiptCode = (ctx: FlowContext) => `33${ctx.run}`;
const eventId = (ctx: FlowContext) => `draw-${ctx.run}`;
const garden = (ctx: FlowContext) => `勐海茶园${ctx.run}号地`;
const lotId = (ctx: FlowContext) => `LOT-${ctx.run}-1`;
const cake = (ctx: FlowContext) => `PE-${ctx.run}-0001`;
const orderId = (ctx: FlowContext) => `BJ-${ctx.run}-01`;
const caseId = (ctx: FlowContext) => `(2026)浙0192民初${ctx.run}号`;
const evidenceId = (ctx: FlowContext) => `EV-${ctx.run}-01`;

/** How to do each step of each application's flow, by step key; the steps themselves are `LESSON_STEPS`'. */
const HOW: Record<string, Record<string, StepHow>> = {
    einvoice: {
        allocate: {
            args: (ctx) => ({
                rangeJson: {
                    code: receiptCode(ctx),
                    start: '1',
                    end: '100',
                    hospitalMspId: 'MemberMSP',
                    hospitalUnit: ZHEYI,
                },
            }),
        },
        patientId: { capture: { patientId: 'patientId' } },
        details: {
            args: (ctx) => ({ code: receiptCode(ctx), number: '1' }),
            transient: () => ({
                patient: {
                    name: '王晓明',
                    idNumber: '330106198503120017',
                    department: '心血管内科',
                    visitDate: '2019-06-03',
                },
            }),
        },
        issue: {
            args: (ctx) => ({
                code: receiptCode(ctx),
                number: '1',
                receiptJson: {
                    checkCode: '7c3a91',
                    pooledFundFen: 31250,
                    coPayFen: 6840,
                    selfPaidFen: 1910,
                    totalFen: 40000,
                    contentHash: '7ff23de36ec057ec1b94b450a440971700ba3a4c3959a5a1b6ad30712d7c50e3',
                    patientId: String(ctx.patientId ?? ''),
                },
            }),
        },
        consent: {
            args: (ctx) => ({
                code: receiptCode(ctx),
                number: '1',
                reimburserMspId: 'RegulatorMSP',
                reimburserUnit: '医保局',
            }),
        },
        lock: {
            args: (ctx) => ({ code: receiptCode(ctx), number: '1', claimFen: 31250 }),
        },
        reimburse: {
            args: (ctx) => ({ code: receiptCode(ctx), number: '1' }),
        },
        again: {
            args: (ctx) => ({ code: receiptCode(ctx), number: '1' }),
        },
        view: {
            args: (ctx) => ({ code: receiptCode(ctx), number: '1', checkCode: '7c3a91' }),
        },
    },
    lottery: {
        create: {
            args: (ctx) => ({
                eventJson: {
                    eventId: eventId(ctx),
                    title: `天猫公证抽奖 ${ctx.run}`,
                    rulesHash: '5cc2f0ab9604d0856dc7ba79975e42f92ca328cb2a2db1da72945dfaf7aec831',
                    prizes: [{ name: '一等奖 天猫精灵', count: 1 }],
                    revealMinutes: 60,
                    notary: { mspId: 'RegulatorMSP', unit: '杭州互联网公证处' },
                    // The next whole minute, or the one after when fewer than 20 s remain to register.
                    cutoffMinute: Math.floor((Date.now() + 20_000) / 60_000) + 1,
                },
            }),
            capture: { cutoffMinute: 'cutoffMinute' },
        },
        notaryCommit: {
            args: (ctx) => ({ eventId: eventId(ctx), commitment: NOTARY_COMMITMENT }),
        },
        sponsorCommit: {
            args: (ctx) => ({ eventId: eventId(ctx), commitment: SPONSOR_COMMITMENT }),
        },
        contact: {
            args: (ctx) => ({ eventId: eventId(ctx) }),
            transient: () => ({ contact: { name: '赵一', phone: '138-0571-0001' } }),
        },
        register: { args: (ctx) => ({ eventId: eventId(ctx) }) },
        again: {
            args: (ctx) => ({ eventId: eventId(ctx) }),
        },
        contact2: {
            args: (ctx) => ({ eventId: eventId(ctx) }),
            transient: () => ({ contact: { name: '钱二', phone: '138-0571-0002' } }),
        },
        register2: { args: (ctx) => ({ eventId: eventId(ctx) }) },
        close: { args: (ctx) => ({ eventId: eventId(ctx) }) },
        sponsorReveal: {
            args: (ctx) => ({ eventId: eventId(ctx), seed: SPONSOR_SEED }),
        },
        notaryReveal: {
            args: (ctx) => ({ eventId: eventId(ctx), seed: NOTARY_SEED }),
        },
        draw: { args: (ctx) => ({ eventId: eventId(ctx) }) },
        record: {
            args: (ctx) => ({ eventId: eventId(ctx) }),
            capture: { drawRecord: '' },
        },
        notarize: {
            async args(ctx) {
                const record = ctx.drawRecord as DrawInput | undefined;
                const winners = record ? await computeDraw(record) : [];
                return {
                    eventId: eventId(ctx),
                    attestedResultHash: record
                        ? await resultHash({ eventId: record.eventId, listRoot: record.listRoot, winners })
                        : '',
                };
            },
        },
        announce: {
            args: (ctx) => ({ eventId: eventId(ctx) }),
        },
    },
    tea: {
        garden: {
            args: (ctx) => ({ gardenName: garden(ctx), growerMspId: 'MemberMSP', growerUnit: '勐海茶园' }),
        },
        harvest: {
            args: (ctx) => ({ gardenName: garden(ctx), year: cstYear(minuteNow() - 60), certifiedGrams: 50000 }),
        },
        lot: {
            args: (ctx) => ({
                lotId: lotId(ctx),
                gardenName: garden(ctx),
                pickedAtMinute: minuteNow() - 60,
                weightGrams: 10000,
            }),
        },
        offerLot: {
            args: (ctx) => ({ lotId: lotId(ctx), toMspId: 'MemberMSP', toUnit: '普洱茶厂' }),
        },
        acceptLot: { args: (ctx) => ({ lotId: lotId(ctx) }) },
        press: {
            args: (ctx) => ({
                batchId: `B-${ctx.run}`,
                lotIdsJson: [lotId(ctx)],
                cakesJson: [{ code: cake(ctx), weightGrams: 357 }],
            }),
        },
        acceptEarly: {
            args: (ctx) => ({ code: cake(ctx) }),
        },
        inspect: {
            args: (ctx) => ({
                code: cake(ctx),
                result: 'PASS',
                reportHash: '5382a605a1bae40c0473fa6a2da7e82ac6b5b15fd6785c61cc3b31a8fcf6cb9f',
            }),
        },
        offerCake: {
            args: (ctx) => ({ code: cake(ctx), toMspId: 'PlatformMSP', toUnit: '云品荟' }),
        },
        acceptCake: { args: (ctx) => ({ code: cake(ctx) }) },
        scan: { args: (ctx) => ({ code: cake(ctx) }) },
        trace: { args: (ctx) => ({ code: cake(ctx) }) },
    },
    timebank: {
        elderId: { capture: { elderId: 'id' } },
        elderDetails: {
            args: (ctx) => ({ elderAccountId: String(ctx.elderId ?? '') }),
            transient: () => ({
                elder: {
                    name: '王阿婆',
                    address: '杭州市滨江区长河街道江南人家 3 幢 2 单元 101',
                    phone: '0571-8666 0101',
                },
            }),
        },
        volunteerId: { capture: { volunteerId: 'id' } },
        order: {
            args: (ctx) => ({
                orderId: orderId(ctx),
                recipientAccountId: String(ctx.elderId ?? ''),
                serviceType: '助餐',
                plannedMinutes: 60,
            }),
        },
        serve: {
            args: (ctx) => ({ orderId: orderId(ctx), actualMinutes: 55 }),
        },
        selfConfirm: {
            args: (ctx) => ({ orderId: orderId(ctx) }),
        },
        confirm: {
            args: (ctx) => ({ orderId: orderId(ctx) }),
        },
        balance: {
            args: (ctx) => ({ accountId: String(ctx.volunteerId ?? '') }),
        },
    },
    evidence: {
        deposit: {
            args: (ctx) => ({
                evidenceId: evidenceId(ctx),
                hash: '07d509775a8845d1665abb1c6060edfdbfbe3d607bdc058cdeb446e60e6bfeee',
                title: '网购订单截图',
                type: 'image/png',
                sizeBytes: 12,
            }),
        },
        open: {
            args: (ctx) => ({ caseId: caseId(ctx), title: '网络购物合同纠纷' }),
        },
        whoami: { capture: { partyId: 'id' } },
        party: {
            args: (ctx) => ({ caseId: caseId(ctx), partyId: String(ctx.partyId ?? '') }),
        },
        partyAdvance: {
            args: (ctx) => ({ caseId: caseId(ctx), stage: 'ACCEPTED' }),
        },
        advance: {
            args: (ctx) => ({ caseId: caseId(ctx), stage: 'ACCEPTED' }),
        },
        link: {
            args: (ctx) => ({ caseId: caseId(ctx), evidenceId: evidenceId(ctx) }),
        },
        case: {
            args: (ctx) => ({ caseId: caseId(ctx) }),
        },
    },
};

/** A flow's step: its definition (the gateway's, which checks a learner's evidence of it) with how to do it. */
function flowStep(contract: string, step: LessonStepDefinition): FlowStep {
    const refusals = step.done.flatMap((outcome) => ('refused' in outcome ? [outcome.refused] : []));
    return {
        key: step.key,
        fn: step.fn!,
        as: step.as!,
        done: step.done,
        ...(refusals.length === step.done.length ? { refusal: refusals[0] } : {}),
        ...(refusals.includes('E_EXISTS') && refusals.length < step.done.length ? { orExists: true } : {}),
        ...HOW[contract]?.[step.key],
    };
}

/**
 * The main flow of each application as steps a person clicks through — who acts, which
 * transaction, with which arguments — and its lesson in the workshop. Arguments may use what
 * earlier steps captured (`ctx`), so a flow runs on a fresh ledger and again on one that already
 * holds the demo (ids carry `ctx.run`).
 */
export const FLOWS: Record<string, FlowStep[]> = Object.fromEntries(
    Object.keys(HOW).map((contract) => [contract, LESSON_STEPS[contract].map((step) => flowStep(contract, step))]),
);
