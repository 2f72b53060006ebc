import type { TxValidationCodeName } from '@zhelian/api';

/**
 * One way a lesson step counts as done, as the gateway checks a participant's evidence of it:
 * - `ledger`: the step's transaction is on the ledger with this validation code — `VALID`, or the
 *   refusal the step is about (`MVCC_READ_CONFLICT`, `ENDORSEMENT_POLICY_FAILURE`);
 * - `answered`: the gateway answered the step's evaluation;
 * - `refused`: the gateway refused the step's call with this code (the chaincode's `E_…`, the peer's);
 * - `verification`: the participant's last chain verification passed, or named the changed block.
 */
export type StepOutcome =
    | { ledger: TxValidationCodeName }
    | { answered: true }
    | { refused: string }
    | { verification: 'intact' | 'tampered' };

/**
 * What a lesson step asks the learner to do, and what counts as done. The web UI's lessons and
 * application flows are built on these (its copy, `web/src/workshop/lesson-steps.ts`, is generated
 * from them and checked by tests/browser/lesson-steps.test.ts); how to do a step (its arguments)
 * is the UI's.
 *
 * @example
 * stepOf('einvoice', 8); // { key: 'again', fn: 'reimburseReceipt', done: [{ refused: 'E_ALREADY_REIMBURSED' }], … }
 */
export interface LessonStepDefinition {
    /** The step's name in the lesson (its text in the UI's messages). */
    key: string;
    /** A transaction, the same transaction with classmates at an agreed moment (`burst`), or a chain verification. */
    kind: 'tx' | 'burst' | 'verify';
    /** The chaincode's contract and transaction the step calls (`tx`, `burst`). */
    contract?: string;
    fn?: string;
    /** The network identity whose role the step acts in; a participant acts as its own identity for that role. */
    as?: string;
    /** Any one of these shows the step done. */
    done: StepOutcome[];
}

const VALID: StepOutcome = { ledger: 'VALID' };
const ANSWERED: StepOutcome = { answered: true };
const refused = (code: string): StepOutcome => ({ refused: code });

/** The steps of an application's lesson: its flow, every step a transaction of the one contract. */
function flow(contract: string, steps: [key: string, fn: string, as: string, ...done: StepOutcome[]][]) {
    return steps.map(([key, fn, as, ...done]): LessonStepDefinition => ({ key, kind: 'tx', contract, fn, as, done }));
}

/** Every lesson's steps, by lesson id (`fabric`, and each application's contract). */
export const LESSON_STEPS: Readonly<Record<string, readonly LessonStepDefinition[]>> = {
    fabric: [
        {
            key: 'oneOrg',
            kind: 'tx',
            contract: 'evidence',
            fn: 'depositEvidence',
            as: 'MemberMSP:litigant',
            done: [{ ledger: 'ENDORSEMENT_POLICY_FAILURE' }],
        },
        {
            key: 'majority',
            kind: 'tx',
            contract: 'evidence',
            fn: 'depositEvidence',
            as: 'MemberMSP:litigant',
            done: [VALID],
        },
        {
            key: 'garden',
            kind: 'tx',
            contract: 'tea',
            fn: 'registerGarden',
            as: 'RegulatorMSP:market',
            // The whole class shares one garden: whoever registers it first, the others find it there.
            done: [VALID, refused('E_EXISTS')],
        },
        {
            key: 'harvest',
            kind: 'tx',
            contract: 'tea',
            fn: 'certifyHarvest',
            as: 'RegulatorMSP:inspector',
            done: [VALID],
        },
        {
            key: 'together',
            kind: 'burst',
            contract: 'tea',
            fn: 'registerLot',
            as: 'MemberMSP:farmer',
            done: [{ ledger: 'MVCC_READ_CONFLICT' }],
        },
        {
            key: 'elderAccount',
            kind: 'tx',
            contract: 'timebank',
            fn: 'registerAccount',
            as: 'MemberMSP:elder',
            done: [VALID, refused('E_EXISTS')],
        },
        { key: 'elderId', kind: 'tx', contract: 'timebank', fn: 'whoami', as: 'MemberMSP:elder', done: [ANSWERED] },
        {
            key: 'elderDetails',
            kind: 'tx',
            contract: 'timebank',
            fn: 'recordElderDetails',
            as: 'MemberMSP:station',
            done: [VALID],
        },
        {
            key: 'memberPeer',
            kind: 'tx',
            contract: 'timebank',
            fn: 'getElderDetails',
            as: 'MemberMSP:station',
            done: [ANSWERED],
        },
        {
            key: 'otherPeer',
            kind: 'tx',
            contract: 'timebank',
            fn: 'getElderDetails',
            as: 'MemberMSP:station',
            done: [refused('PRIVATE_DATA_UNAVAILABLE')],
        },
        { key: 'verify', kind: 'verify', done: [{ verification: 'intact' }] },
        { key: 'tamper', kind: 'verify', done: [{ verification: 'tampered' }] },
    ],
    einvoice: flow('einvoice', [
        ['register', 'registerHospital', 'MemberMSP:zheyi', VALID, refused('E_EXISTS')],
        ['allocate', 'allocateRange', 'RegulatorMSP:finance', VALID],
        ['patientId', 'getPatientId', 'MemberMSP:patient', ANSWERED],
        ['details', 'recordPatientDetails', 'MemberMSP:zheyi', VALID],
        ['issue', 'issueReceipt', 'MemberMSP:zheyi', VALID],
        ['consent', 'consentToClaim', 'MemberMSP:patient', VALID],
        ['lock', 'lockReceipt', 'RegulatorMSP:medicare', VALID],
        ['reimburse', 'reimburseReceipt', 'RegulatorMSP:medicare', VALID],
        ['again', 'reimburseReceipt', 'RegulatorMSP:medicare', refused('E_ALREADY_REIMBURSED')],
        ['view', 'verifyReceipt', 'PlatformMSP:alipay', ANSWERED],
    ]),
    lottery: flow('lottery', [
        ['create', 'createEvent', 'MemberMSP:tmall', VALID],
        ['notaryCommit', 'commitSeed', 'RegulatorMSP:notary', VALID],
        ['sponsorCommit', 'commitSeed', 'MemberMSP:tmall', VALID],
        ['contact', 'submitContact', 'MemberMSP:entrant1', VALID],
        ['register', 'register', 'MemberMSP:entrant1', VALID],
        ['again', 'register', 'MemberMSP:entrant1', refused('E_ALREADY_REGISTERED')],
        ['contact2', 'submitContact', 'MemberMSP:entrant2', VALID],
        ['register2', 'register', 'MemberMSP:entrant2', VALID],
        ['close', 'closeEntries', 'RegulatorMSP:notary', VALID],
        ['sponsorReveal', 'revealSeed', 'MemberMSP:tmall', VALID],
        ['notaryReveal', 'revealSeed', 'RegulatorMSP:notary', VALID],
        ['draw', 'draw', 'RegulatorMSP:notary', VALID],
        ['record', 'getDrawRecord', 'RegulatorMSP:notary', ANSWERED],
        ['notarize', 'notarizeResult', 'RegulatorMSP:notary', VALID],
        ['announce', 'announceResult', 'RegulatorMSP:notary', VALID],
    ]),
    tea: flow('tea', [
        ['garden', 'registerGarden', 'RegulatorMSP:market', VALID],
        ['harvest', 'certifyHarvest', 'RegulatorMSP:inspector', VALID],
        ['lot', 'registerLot', 'MemberMSP:farmer', VALID],
        ['offerLot', 'transferLot', 'MemberMSP:farmer', VALID],
        ['acceptLot', 'acceptLot', 'MemberMSP:factory', VALID],
        ['press', 'processCakes', 'MemberMSP:factory', VALID],
        ['acceptEarly', 'acceptCake', 'PlatformMSP:yunpinhui', refused('E_NO_OFFER')],
        ['inspect', 'inspectCake', 'RegulatorMSP:inspector', VALID],
        ['offerCake', 'transferCake', 'MemberMSP:factory', VALID],
        ['acceptCake', 'acceptCake', 'PlatformMSP:yunpinhui', VALID],
        ['scan', 'scanCake', 'MemberMSP:patient', VALID],
        ['trace', 'traceCake', 'MemberMSP:patient', ANSWERED],
    ]),
    timebank: flow('timebank', [
        ['openStation', 'registerAccount', 'MemberMSP:station', VALID, refused('E_EXISTS')],
        ['openElder', 'registerAccount', 'MemberMSP:elder', VALID, refused('E_EXISTS')],
        ['openVolunteer', 'registerAccount', 'MemberMSP:volunteer1', VALID, refused('E_EXISTS')],
        ['elderId', 'whoami', 'MemberMSP:elder', ANSWERED],
        ['elderDetails', 'recordElderDetails', 'MemberMSP:station', VALID],
        ['volunteerId', 'whoami', 'MemberMSP:volunteer1', ANSWERED],
        ['order', 'postOrder', 'MemberMSP:station', VALID],
        ['serve', 'recordService', 'MemberMSP:volunteer1', VALID],
        ['selfConfirm', 'confirmService', 'MemberMSP:volunteer1', refused('E_SELF_CONFIRM')],
        ['confirm', 'confirmService', 'MemberMSP:elder', VALID],
        ['balance', 'getAccount', 'MemberMSP:volunteer1', ANSWERED],
        ['supply', 'getSupply', 'RegulatorMSP:civil', ANSWERED],
    ]),
    evidence: flow('evidence', [
        ['deposit', 'depositEvidence', 'MemberMSP:litigant', VALID],
        ['open', 'openCase', 'CourtMSP:hangzhou', VALID],
        ['whoami', 'whoami', 'MemberMSP:litigant', ANSWERED],
        ['party', 'addCaseParty', 'CourtMSP:hangzhou', VALID],
        ['partyAdvance', 'advanceCase', 'MemberMSP:litigant', refused('E_FORBIDDEN')],
        ['advance', 'advanceCase', 'CourtMSP:hangzhou', VALID],
        ['link', 'linkEvidence', 'MemberMSP:litigant', VALID],
        ['case', 'getCase', 'CourtMSP:hangzhou', ANSWERED],
    ]),
};

/** The definition of step `index` of `lesson`; undefined when there is no such step. */
export function stepOf(lesson: string, index: number): LessonStepDefinition | undefined {
    return Object.hasOwn(LESSON_STEPS, lesson) ? LESSON_STEPS[lesson][index] : undefined;
}
