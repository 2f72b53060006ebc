import { z } from 'zod';
import type { Caller } from '../auth/access';
import { badRequest } from '../http/http-error';
import { route, RouteTable } from '../http/route-table';
import { zodSchema } from '../http/schema';
import type { GatewayServices } from '../services';
import { checkEvidence, Evidence } from './evidence';
import { stepOf } from './lesson-steps';

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
                "With a participant token the step needs evidence, checked by the gateway: a transaction on the ledger signed by one of the participant's identities, a call the gateway answered (or refused with the code) for the participant, or the participant's last chain verification; and it must be what the step asks (its chaincode function, validation code or refusal code, its role): else 422 EVIDENCE_WRONG_KIND.",
            tags: ['workshop'],
            access: 'member',
            body: zodSchema(ProgressBody),
            responses: { 200: { description: "The participant's progress.", schema: PROGRESS_SCHEMA } },
            async handle({ caller, body }) {
                const step = stepOf(body.lesson, body.step);
                if (!step) {
                    throw badRequest('UNKNOWN_STEP', `lesson ${body.lesson} has no step ${body.step}`, 'step');
                }
                if (caller.kind === 'participant') {
                    await checkEvidence(
                        services,
                        caller,
                        { lesson: body.lesson, index: body.step, step },
                        body.evidence,
                    );
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
