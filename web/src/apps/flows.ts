import { computeDraw, type DrawInput, resultHash } from '../lib/draw';

/**
 * The main flow of each application as steps a person clicks through: who acts, which
 * transaction, with which arguments. Arguments may use what earlier steps captured (`ctx`), so a
 * flow runs on a fresh ledger and again on one that already holds the demo (ids carry `ctx.run`).
 */
export interface FlowContext {
    /** Six digits chosen when the page opened: ids of this run (receipt codes are 33 + these). */
    run: string;
    /** Values earlier steps captured, by name. */
    [name: string]: unknown;
}

export interface FlowStep {
    /** Message key under `flows.<contract>.` describing the step. */
    key: string;
    fn: string;
    as: string;
    args?: (ctx: FlowContext) => Record<string, unknown> | Promise<Record<string, unknown>>;
    transient?: (ctx: FlowContext) => Record<string, unknown>;
    /** Names to keep from the result: `{patientId: 'patientId'}` keeps `result.patientId`. */
    capture?: Record<string, string>;
    /** The step shows a refusal on purpose: the chaincode's code it expects. */
    refusal?: string;
    /** A setup step whose `E_EXISTS` means it was done before (by an earlier run or another learner). */
    orExists?: boolean;
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

export const FLOWS: Record<string, FlowStep[]> = {
    einvoice: [
        { key: 'register', fn: 'registerHospital', as: 'MemberMSP:zheyi', orExists: true },
        {
            key: 'allocate',
            fn: 'allocateRange',
            as: 'RegulatorMSP:finance',
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
        { key: 'patientId', fn: 'getPatientId', as: 'MemberMSP:patient', capture: { patientId: 'patientId' } },
        {
            key: 'details',
            fn: 'recordPatientDetails',
            as: 'MemberMSP:zheyi',
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
        {
            key: 'issue',
            fn: 'issueReceipt',
            as: 'MemberMSP:zheyi',
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
        {
            key: 'consent',
            fn: 'consentToClaim',
            as: 'MemberMSP:patient',
            args: (ctx) => ({
                code: receiptCode(ctx),
                number: '1',
                reimburserMspId: 'RegulatorMSP',
                reimburserUnit: '医保局',
            }),
        },
        {
            key: 'lock',
            fn: 'lockReceipt',
            as: 'RegulatorMSP:medicare',
            args: (ctx) => ({ code: receiptCode(ctx), number: '1', claimFen: 31250 }),
        },
        {
            key: 'reimburse',
            fn: 'reimburseReceipt',
            as: 'RegulatorMSP:medicare',
            args: (ctx) => ({ code: receiptCode(ctx), number: '1' }),
        },
        {
            key: 'again',
            fn: 'reimburseReceipt',
            as: 'RegulatorMSP:medicare',
            args: (ctx) => ({ code: receiptCode(ctx), number: '1' }),
            refusal: 'E_ALREADY_REIMBURSED',
        },
        {
            key: 'view',
            fn: 'verifyReceipt',
            as: 'PlatformMSP:alipay',
            args: (ctx) => ({ code: receiptCode(ctx), number: '1', checkCode: '7c3a91' }),
        },
    ],
    lottery: [
        {
            key: 'create',
            fn: 'createEvent',
            as: 'MemberMSP:tmall',
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
        {
            key: 'notaryCommit',
            fn: 'commitSeed',
            as: 'RegulatorMSP:notary',
            args: (ctx) => ({ eventId: eventId(ctx), commitment: NOTARY_COMMITMENT }),
        },
        {
            key: 'sponsorCommit',
            fn: 'commitSeed',
            as: 'MemberMSP:tmall',
            args: (ctx) => ({ eventId: eventId(ctx), commitment: SPONSOR_COMMITMENT }),
        },
        {
            key: 'contact',
            fn: 'submitContact',
            as: 'MemberMSP:entrant1',
            args: (ctx) => ({ eventId: eventId(ctx) }),
            transient: () => ({ contact: { name: '赵一', phone: '138-0571-0001' } }),
        },
        { key: 'register', fn: 'register', as: 'MemberMSP:entrant1', args: (ctx) => ({ eventId: eventId(ctx) }) },
        {
            key: 'again',
            fn: 'register',
            as: 'MemberMSP:entrant1',
            args: (ctx) => ({ eventId: eventId(ctx) }),
            refusal: 'E_ALREADY_REGISTERED',
        },
        {
            key: 'contact2',
            fn: 'submitContact',
            as: 'MemberMSP:entrant2',
            args: (ctx) => ({ eventId: eventId(ctx) }),
            transient: () => ({ contact: { name: '钱二', phone: '138-0571-0002' } }),
        },
        { key: 'register2', fn: 'register', as: 'MemberMSP:entrant2', args: (ctx) => ({ eventId: eventId(ctx) }) },
        { key: 'close', fn: 'closeEntries', as: 'RegulatorMSP:notary', args: (ctx) => ({ eventId: eventId(ctx) }) },
        {
            key: 'sponsorReveal',
            fn: 'revealSeed',
            as: 'MemberMSP:tmall',
            args: (ctx) => ({ eventId: eventId(ctx), seed: SPONSOR_SEED }),
        },
        {
            key: 'notaryReveal',
            fn: 'revealSeed',
            as: 'RegulatorMSP:notary',
            args: (ctx) => ({ eventId: eventId(ctx), seed: NOTARY_SEED }),
        },
        { key: 'draw', fn: 'draw', as: 'RegulatorMSP:notary', args: (ctx) => ({ eventId: eventId(ctx) }) },
        {
            key: 'record',
            fn: 'getDrawRecord',
            as: 'RegulatorMSP:notary',
            args: (ctx) => ({ eventId: eventId(ctx) }),
            capture: { drawRecord: '' },
        },
        {
            key: 'notarize',
            fn: 'notarizeResult',
            as: 'RegulatorMSP:notary',
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
        {
            key: 'announce',
            fn: 'announceResult',
            as: 'RegulatorMSP:notary',
            args: (ctx) => ({ eventId: eventId(ctx) }),
        },
    ],
    tea: [
        {
            key: 'garden',
            fn: 'registerGarden',
            as: 'RegulatorMSP:market',
            args: (ctx) => ({ gardenName: garden(ctx), growerMspId: 'MemberMSP', growerUnit: '勐海茶园' }),
        },
        {
            key: 'harvest',
            fn: 'certifyHarvest',
            as: 'RegulatorMSP:inspector',
            args: (ctx) => ({ gardenName: garden(ctx), year: cstYear(minuteNow() - 60), certifiedGrams: 50000 }),
        },
        {
            key: 'lot',
            fn: 'registerLot',
            as: 'MemberMSP:farmer',
            args: (ctx) => ({
                lotId: lotId(ctx),
                gardenName: garden(ctx),
                pickedAtMinute: minuteNow() - 60,
                weightGrams: 10000,
            }),
        },
        {
            key: 'offerLot',
            fn: 'transferLot',
            as: 'MemberMSP:farmer',
            args: (ctx) => ({ lotId: lotId(ctx), toMspId: 'MemberMSP', toUnit: '普洱茶厂' }),
        },
        { key: 'acceptLot', fn: 'acceptLot', as: 'MemberMSP:factory', args: (ctx) => ({ lotId: lotId(ctx) }) },
        {
            key: 'press',
            fn: 'processCakes',
            as: 'MemberMSP:factory',
            args: (ctx) => ({
                batchId: `B-${ctx.run}`,
                lotIdsJson: [lotId(ctx)],
                cakesJson: [{ code: cake(ctx), weightGrams: 357 }],
            }),
        },
        {
            key: 'acceptEarly',
            fn: 'acceptCake',
            as: 'PlatformMSP:yunpinhui',
            args: (ctx) => ({ code: cake(ctx) }),
            refusal: 'E_NO_OFFER',
        },
        {
            key: 'inspect',
            fn: 'inspectCake',
            as: 'RegulatorMSP:inspector',
            args: (ctx) => ({
                code: cake(ctx),
                result: 'PASS',
                reportHash: '5382a605a1bae40c0473fa6a2da7e82ac6b5b15fd6785c61cc3b31a8fcf6cb9f',
            }),
        },
        {
            key: 'offerCake',
            fn: 'transferCake',
            as: 'MemberMSP:factory',
            args: (ctx) => ({ code: cake(ctx), toMspId: 'PlatformMSP', toUnit: '云品荟' }),
        },
        { key: 'acceptCake', fn: 'acceptCake', as: 'PlatformMSP:yunpinhui', args: (ctx) => ({ code: cake(ctx) }) },
        { key: 'scan', fn: 'scanCake', as: 'MemberMSP:patient', args: (ctx) => ({ code: cake(ctx) }) },
        { key: 'trace', fn: 'traceCake', as: 'MemberMSP:patient', args: (ctx) => ({ code: cake(ctx) }) },
    ],
    timebank: [
        { key: 'openStation', fn: 'registerAccount', as: 'MemberMSP:station', orExists: true },
        { key: 'openElder', fn: 'registerAccount', as: 'MemberMSP:elder', orExists: true },
        { key: 'openVolunteer', fn: 'registerAccount', as: 'MemberMSP:volunteer1', orExists: true },
        { key: 'elderId', fn: 'whoami', as: 'MemberMSP:elder', capture: { elderId: 'id' } },
        {
            key: 'elderDetails',
            fn: 'recordElderDetails',
            as: 'MemberMSP:station',
            args: (ctx) => ({ elderAccountId: String(ctx.elderId ?? '') }),
            transient: () => ({
                elder: {
                    name: '王阿婆',
                    address: '杭州市滨江区长河街道江南人家 3 幢 2 单元 101',
                    phone: '0571-8666 0101',
                },
            }),
            orExists: true,
        },
        { key: 'volunteerId', fn: 'whoami', as: 'MemberMSP:volunteer1', capture: { volunteerId: 'id' } },
        {
            key: 'order',
            fn: 'postOrder',
            as: 'MemberMSP:station',
            args: (ctx) => ({
                orderId: orderId(ctx),
                recipientAccountId: String(ctx.elderId ?? ''),
                serviceType: '助餐',
                plannedMinutes: 60,
            }),
        },
        {
            key: 'serve',
            fn: 'recordService',
            as: 'MemberMSP:volunteer1',
            args: (ctx) => ({ orderId: orderId(ctx), actualMinutes: 55 }),
        },
        {
            key: 'selfConfirm',
            fn: 'confirmService',
            as: 'MemberMSP:volunteer1',
            args: (ctx) => ({ orderId: orderId(ctx) }),
            refusal: 'E_SELF_CONFIRM',
        },
        {
            key: 'confirm',
            fn: 'confirmService',
            as: 'MemberMSP:elder',
            args: (ctx) => ({ orderId: orderId(ctx) }),
        },
        {
            key: 'balance',
            fn: 'getAccount',
            as: 'MemberMSP:volunteer1',
            args: (ctx) => ({ accountId: String(ctx.volunteerId ?? '') }),
        },
        { key: 'supply', fn: 'getSupply', as: 'RegulatorMSP:civil' },
    ],
    evidence: [
        {
            key: 'deposit',
            fn: 'depositEvidence',
            as: 'MemberMSP:litigant',
            args: (ctx) => ({
                evidenceId: evidenceId(ctx),
                hash: '07d509775a8845d1665abb1c6060edfdbfbe3d607bdc058cdeb446e60e6bfeee',
                title: '网购订单截图',
                type: 'image/png',
                sizeBytes: 12,
            }),
        },
        {
            key: 'open',
            fn: 'openCase',
            as: 'CourtMSP:hangzhou',
            args: (ctx) => ({ caseId: caseId(ctx), title: '网络购物合同纠纷' }),
        },
        { key: 'whoami', fn: 'whoami', as: 'MemberMSP:litigant', capture: { partyId: 'id' } },
        {
            key: 'party',
            fn: 'addCaseParty',
            as: 'CourtMSP:hangzhou',
            args: (ctx) => ({ caseId: caseId(ctx), partyId: String(ctx.partyId ?? '') }),
        },
        {
            key: 'partyAdvance',
            fn: 'advanceCase',
            as: 'MemberMSP:litigant',
            args: (ctx) => ({ caseId: caseId(ctx), stage: 'ACCEPTED' }),
            refusal: 'E_FORBIDDEN',
        },
        {
            key: 'advance',
            fn: 'advanceCase',
            as: 'CourtMSP:hangzhou',
            args: (ctx) => ({ caseId: caseId(ctx), stage: 'ACCEPTED' }),
        },
        {
            key: 'link',
            fn: 'linkEvidence',
            as: 'MemberMSP:litigant',
            args: (ctx) => ({ caseId: caseId(ctx), evidenceId: evidenceId(ctx) }),
        },
        {
            key: 'case',
            fn: 'getCase',
            as: 'CourtMSP:hangzhou',
            args: (ctx) => ({ caseId: caseId(ctx) }),
        },
    ],
};
