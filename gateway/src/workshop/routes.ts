import { z } from 'zod';
import { type Caller, identityKey } from '../auth/access';
import { HttpError } from '../http/http-error';
import { badRequest } from '../http/http-error';
import { route, RouteTable } from '../http/route-table';
import { zodSchema } from '../http/schema';
import type { GatewayServices } from '../services';

/** One participant's finished steps, by lesson. */
export interface ParticipantProgress {
    participant: string;
    lessons: Record<string, number[]>;
    updatedAt: string;
}

/**
 * Workshop progress: which steps of which lesson each participant has finished, recorded when a
 * browser reports a step whose check passed. A participant with a token is its token's participant
 * and must bring evidence the gateway checks (see {@link workshopRoutes}); on a loopback server,
 * where nobody has a token and anyone acts as any identity, the name the learner typed. Kept in
 * memory: a workshop lasts as long as its server.
 */
export class WorkshopProgress {
    readonly #participants = new Map<string, ParticipantProgress>();

    record(participant: string, lesson: string, step: number): ParticipantProgress {
        const progress = this.#participants.get(participant) ?? { participant, lessons: {}, updatedAt: '' };
        const steps = new Set(progress.lessons[lesson] ?? []);
        steps.add(step);
        progress.lessons[lesson] = [...steps].sort((a, b) => a - b);
        progress.updatedAt = new Date().toISOString();
        this.#participants.set(participant, progress);
        return progress;
    }

    get(participant: string): ParticipantProgress | undefined {
        return this.#participants.get(participant);
    }

    list(): ParticipantProgress[] {
        return [...this.#participants.values()].sort((a, b) => a.participant.localeCompare(b.participant));
    }
}

const lessonId = z.string().regex(/^[a-z0-9-]{1,40}$/, 'expected a lesson id: lowercase letters, digits, "-"');
const participantName = z.string().trim().min(1).max(64);

const Evidence = z.union([
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
type Evidence = z.output<typeof Evidence>;

const ProgressBody = z
    .object({
        lesson: lessonId.describe('The lesson, e.g. fabric.'),
        step: z.number().int().min(0).max(99).describe('The step finished, from 0.'),
        participant: participantName.optional().describe('The learner (loopback only; a token names its own).'),
        evidence: Evidence.optional().describe('What shows the step was done (required with a participant token).'),
    })
    .strict();
const ProgressQuery = z.object({ participant: participantName.optional().describe('The learner (loopback only).') });

const PROGRESS_SCHEMA = {
    type: 'object',
    properties: {
        participant: { type: 'string' },
        lessons: { type: 'object', additionalProperties: { type: 'array', items: { type: 'integer' } } },
        updatedAt: { type: 'string' },
    },
};

/** Progress of the web UI's workshop lessons, for the participants and their instructor. */
export function workshopRoutes(progress: WorkshopProgress, services: GatewayServices): RouteTable {
    const participantOf = (caller: Caller, named?: string): string => {
        if (caller.kind === 'participant') {
            return caller.participant;
        }
        if (!named) {
            throw badRequest(
                'PARTICIPANT_REQUIRED',
                'name the participant: a learner without a token goes by a name',
                'participant',
            );
        }
        return named;
    };
    return new RouteTable().add(
        route<Record<string, never>, Record<string, never>, z.output<typeof ProgressBody>>({
            method: 'post',
            path: '/api/workshop/progress',
            operationId: 'workshop.record',
            summary:
                "Records a finished lesson step of the caller (a participant token's participant, or the name given)",
            description:
                "With a participant token the step needs evidence, checked by the gateway: a transaction on the ledger signed by one of the participant's identities, a call the gateway answered (or refused with the code) for the participant, or the participant's last chain verification.",
            tags: ['workshop'],
            access: 'member',
            body: zodSchema(ProgressBody),
            responses: { 200: { description: "The participant's progress.", schema: PROGRESS_SCHEMA } },
            async handle({ caller, body }) {
                if (caller.kind === 'participant') {
                    await checkEvidence(services, caller, body.evidence);
                }
                return progress.record(participantOf(caller, body.participant), body.lesson, body.step);
            },
        }),
        route<Record<string, never>, z.output<typeof ProgressQuery>>({
            method: 'get',
            path: '/api/workshop/progress/me',
            operationId: 'workshop.mine',
            summary: "The caller's finished lesson steps",
            tags: ['workshop'],
            access: 'member',
            query: zodSchema(ProgressQuery),
            responses: { 200: { description: "The participant's progress.", schema: PROGRESS_SCHEMA } },
            async handle({ caller, query }) {
                const participant = participantOf(caller, query.participant);
                return progress.get(participant) ?? { participant, lessons: {}, updatedAt: '' };
            },
        }),
        route({
            method: 'get',
            path: '/api/workshop/tamper',
            operationId: 'workshop.tamper',
            summary:
                'Which block the instructor changed a byte of, for the tamper step of the Fabric lesson; null when none',
            description:
                'Only the block and when: which byte is for the instructor (GET /api/admin/tamper). The step checks that a verification named this block.',
            tags: ['workshop'],
            access: 'member',
            responses: {
                200: {
                    description: 'The tampered block, or null.',
                    schema: {
                        type: 'object',
                        properties: {
                            tampered: {
                                oneOf: [
                                    {
                                        type: 'object',
                                        properties: {
                                            blockNumber: { type: 'integer' },
                                            tamperedAt: { type: 'string' },
                                        },
                                        required: ['blockNumber', 'tamperedAt'],
                                    },
                                    { type: 'null' },
                                ],
                            },
                        },
                        required: ['tampered'],
                    },
                },
            },
            async handle() {
                const pending = await services.backend.maintenance?.pendingTamper();
                return {
                    tampered: pending ? { blockNumber: pending.blockNumber, tamperedAt: pending.tamperedAt } : null,
                };
            },
        }),
        route({
            method: 'get',
            path: '/api/workshop/progress',
            operationId: 'workshop.list',
            summary: "Every participant's finished lesson steps (the instructor, where tokens are in use)",
            tags: ['workshop'],
            access: 'manage',
            responses: {
                200: {
                    description: 'Progress by participant.',
                    schema: { type: 'object', properties: { participants: { type: 'array', items: PROGRESS_SCHEMA } } },
                },
            },
            async handle() {
                return { participants: progress.list() };
            },
        }),
    );
}

type ParticipantCaller = Extract<Caller, { kind: 'participant' }>;

/** The certificate's common name in a subject as the explorer gives it (`…, CN=alice.zheyi`). */
const commonName = (subject: string): string | undefined => /(?:^|[,\n]\s*)CN=([^,\n]+)/.exec(subject)?.[1];

/**
 * Checks that a participant's step was done, where the gateway can see it: on the ledger (the
 * transaction's creator certificate is one of the participant's), or in what the gateway itself
 * answered the participant. Which evidence a step asks for is the UI's lesson definition.
 */
async function checkEvidence(services: GatewayServices, caller: ParticipantCaller, evidence?: Evidence): Promise<void> {
    const refuse = (code: string, message: string, status = 400): never => {
        throw new HttpError(status, code, message, { field: 'evidence' });
    };
    if (!evidence) {
        return refuse(
            'EVIDENCE_REQUIRED',
            'a participant records a step with its evidence: a txId, a call or a verification',
        );
    }
    if ('txId' in evidence) {
        const tx = await services.backend.explorer.getTransaction(evidence.txId);
        if (!tx) {
            return refuse('EVIDENCE_NOT_FOUND', `transaction ${evidence.txId} is not on the ledger`);
        }
        const creator = `${tx.creator.mspId}:${commonName(tx.creator.subject) ?? ''}`;
        if (!caller.identities.map(identityKey).includes(creator)) {
            return refuse(
                'EVIDENCE_NOT_YOURS',
                `transaction ${evidence.txId} was signed by ${creator}, not by one of ${caller.participant}'s identities`,
                403,
            );
        }
        return;
    }
    if ('fn' in evidence) {
        const found = services.activity
            .calls(caller.participant)
            .some(
                (call) => call.contract === evidence.contract && call.fn === evidence.fn && call.code === evidence.code,
            );
        if (!found) {
            refuse(
                'EVIDENCE_NOT_FOUND',
                `this server answered ${caller.participant} no ${evidence.contract}:${evidence.fn} ${evidence.code ? `refused with ${evidence.code}` : 'without refusal'}`,
            );
        }
        return;
    }
    const last = services.activity.verifications(caller.participant).at(-1);
    if (!last) {
        return refuse('EVIDENCE_NOT_FOUND', `${caller.participant} has not verified the chain on this server`);
    }
    if (evidence.verification === 'intact') {
        if (!last.ok) {
            refuse('EVIDENCE_NOT_FOUND', `${caller.participant}'s last verification found problems`);
        }
        return;
    }
    const tampered = await services.backend.maintenance?.pendingTamper();
    if (!tampered || last.at < tampered.tamperedAt || !last.blocks.includes(tampered.blockNumber)) {
        refuse(
            'EVIDENCE_NOT_FOUND',
            tampered
                ? `${caller.participant}'s last verification did not name block ${tampered.blockNumber}, which the instructor changed`
                : 'the instructor has not changed a block',
        );
    }
}
