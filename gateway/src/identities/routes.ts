import { z } from 'zod';
import { identityKey, parseIdentity } from '../auth/access';
import { enrollTeam, isTeamIdentity, PARTICIPANT_NAME, teamMembers } from '../auth/participant-team';
import { HttpError } from '../http/http-error';
import { Reply, route, RouteTable } from '../http/route-table';
import { zodSchema } from '../http/schema';
import type { GatewayServices } from '../services';

const IDENTITY_SCHEMA = {
    type: 'object',
    properties: {
        mspId: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string', description: 'NodeOU of the certificate: client or admin.' },
        attrs: {
            type: 'object',
            additionalProperties: { type: 'string' },
            description: 'Fabric CA attributes (role, unit, …).',
        },
    },
};

const EnrollBody = z
    .object({
        mspId: z.string().min(1).max(64).describe('The organization, e.g. MemberMSP.'),
        name: z.string().min(1).max(64).describe('Enrollment ID, unique within the organization, e.g. learner01.'),
        role: z.enum(['client', 'admin']).default('client').describe('NodeOU of the certificate.'),
        attrs: z
            .record(z.string().min(1).max(64), z.string().max(200))
            .default({})
            .describe('Fabric CA attributes the chaincode reads, e.g. {"role": "volunteer", "unit": "志愿者"}.'),
    })
    .strict();

const TokenBody = z
    .object({
        participant: z
            .string()
            .regex(PARTICIPANT_NAME, 'expected a name of letters, digits, "_" or "-" (at most 24), e.g. alice')
            .optional()
            .describe(
                "A participant's name: the token then acts as the participant's own identities, one per role (MemberMSP:<name>.zheyi for MemberMSP:zheyi …), enrolled now or found from an earlier token.",
            ),
        identity: z
            .string()
            .refine((text) => parseIdentity(text) !== undefined, 'expected MSP:user')
            .optional()
            .describe('Or one identity the token acts as, MSP:user.'),
        minutes: z
            .number()
            .int()
            .min(1)
            .max(7 * 24 * 60)
            .default(8 * 60)
            .describe('Lifetime in minutes (default 480, at most a week).'),
    })
    .strict()
    .refine((body) => (body.participant === undefined) !== (body.identity === undefined), {
        message: 'name either a participant or an identity',
        path: ['participant'],
    });

const MEMBER_SCHEMA = {
    type: 'object',
    properties: {
        mspId: { type: 'string' },
        name: { type: 'string' },
        actsFor: { type: 'string', description: "The network's identity whose role it has, MSP:user." },
    },
    required: ['mspId', 'name', 'actsFor'],
};

const TokenParams = z.object({ tokenId: z.string().regex(/^[0-9a-f]{12}$/, 'expected a token id: 12 hex digits') });

/** Identities one can act as, enrolment of workshop participants, and their tokens. */
export function identityRoutes(services: GatewayServices): RouteTable {
    return new RouteTable().add(
        route({
            method: 'get',
            path: '/api/identities',
            operationId: 'identities.list',
            summary:
                "The organizations and the identities one can act as, with their attributes (never a key): a participant's own, or the network's",
            tags: ['identities'],
            access: 'member',
            responses: {
                200: {
                    description: 'Organizations and identities.',
                    schema: {
                        type: 'object',
                        properties: {
                            participant: {
                                type: 'string',
                                description: "With a participant's token: the participant it was issued to.",
                            },
                            organizations: { type: 'array' },
                            identities: {
                                type: 'array',
                                items: {
                                    ...IDENTITY_SCHEMA,
                                    properties: {
                                        ...IDENTITY_SCHEMA.properties,
                                        actsFor: {
                                            type: 'string',
                                            description:
                                                "For a participant's identity: the network's identity whose role it has, MSP:user.",
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
            async handle({ caller }) {
                const all = await services.identities.list();
                if (caller.kind === 'participant') {
                    const byKey = new Map(all.map((identity) => [identityKey(identity), identity]));
                    return {
                        participant: caller.participant,
                        organizations: services.backend.describe().organizations,
                        identities: teamMembers(caller.identities, all).map((member) => ({
                            ...byKey.get(identityKey(member)),
                            ...member,
                        })),
                    };
                }
                // Participants' teams are theirs: the instructor finds them by token.
                return {
                    organizations: services.backend.describe().organizations,
                    identities: all.filter((identity) => !isTeamIdentity(identity)),
                };
            },
        }),
        route({
            method: 'get',
            path: '/api/identities/me',
            operationId: 'identities.me',
            summary: 'The identity this request acts as, with its certificate (public; the key stays on the server)',
            tags: ['identities'],
            access: 'identity',
            responses: {
                200: {
                    description: 'The identity.',
                    schema: {
                        ...IDENTITY_SCHEMA,
                        properties: {
                            ...IDENTITY_SCHEMA.properties,
                            certificate: { type: 'string', description: 'PEM.' },
                        },
                    },
                },
            },
            async handle({ identity }) {
                const info = await services.identities.get(identity!);
                const { credentials } = (await services.connections.gateway(identity!)).getIdentity();
                return { ...info, certificate: Buffer.from(credentials).toString('utf8') };
            },
        }),
        route<Record<string, never>, Record<string, never>, z.output<typeof EnrollBody>>({
            method: 'post',
            path: '/api/identities',
            operationId: 'identities.enroll',
            summary: "Enrolls a new identity (a workshop participant): a certificate from its organization's CA",
            description:
                'The key stays on the server. With tokens, only the instructor enrolls; then POST /api/tokens gives the participant a token.',
            tags: ['identities'],
            access: 'manage',
            body: zodSchema(EnrollBody),
            responses: { 201: { description: 'Enrolled.', schema: IDENTITY_SCHEMA } },
            async handle({ body }) {
                const enrolled = await services.identities.enroll(body.mspId, body.name, {
                    role: body.role,
                    attrs: body.attrs,
                });
                return new Reply(201, enrolled);
            },
        }),
        route<Record<string, never>, Record<string, never>, z.output<typeof TokenBody>>({
            method: 'post',
            path: '/api/tokens',
            operationId: 'tokens.issue',
            summary:
                "Issues a participant's bearer token: for a participant's own identities, one per role, or for one identity (instructor)",
            tags: ['identities'],
            access: 'admin',
            body: zodSchema(TokenBody),
            responses: {
                201: {
                    description: 'The token, shown once.',
                    schema: {
                        type: 'object',
                        properties: {
                            token: { type: 'string' },
                            tokenId: { type: 'string' },
                            participant: { type: 'string' },
                            identities: { type: 'array', items: MEMBER_SCHEMA },
                            issuedAt: { type: 'string' },
                            expiresAt: { type: 'string' },
                        },
                    },
                },
            },
            async handle({ body }) {
                if (body.participant !== undefined) {
                    const team = await enrollTeam(services.identities, body.participant);
                    const issued = await services.tokens.issue(body.participant, team, body.minutes);
                    return new Reply(201, { ...issued, identities: team });
                }
                const identity = parseIdentity(body.identity!)!;
                if (!(await services.identities.has(identity))) {
                    throw new HttpError(
                        404,
                        'UNKNOWN_IDENTITY',
                        `the network has no identity ${body.identity}: enroll it first`,
                        { field: 'identity' },
                    );
                }
                const issued = await services.tokens.issue(identityKey(identity), [identity], body.minutes);
                return new Reply(201, { ...issued, identities: [{ ...identity, actsFor: identityKey(identity) }] });
            },
        }),
        route({
            method: 'get',
            path: '/api/tokens',
            operationId: 'tokens.list',
            summary: 'Participant tokens not yet expired: id, identity, expiry (never the token) (instructor)',
            tags: ['identities'],
            access: 'admin',
            responses: {
                200: { description: 'Tokens.', schema: { type: 'object', properties: { tokens: { type: 'array' } } } },
            },
            async handle() {
                return { tokens: services.tokens.list() };
            },
        }),
        route<z.output<typeof TokenParams>>({
            method: 'delete',
            path: '/api/tokens/:tokenId',
            operationId: 'tokens.revoke',
            summary: 'Revokes a participant token (instructor)',
            tags: ['identities'],
            access: 'admin',
            params: zodSchema(TokenParams),
            responses: {
                200: {
                    description: 'Revoked.',
                    schema: { type: 'object', properties: { revoked: { type: 'string' } } },
                },
            },
            async handle({ params }) {
                if (!(await services.tokens.revoke(params.tokenId))) {
                    throw new HttpError(404, 'TOKEN_NOT_FOUND', `no token ${params.tokenId}`);
                }
                return { revoked: params.tokenId };
            },
        }),
    );
}
