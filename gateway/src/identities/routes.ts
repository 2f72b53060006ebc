import { z } from 'zod';
import { parseIdentity } from '../auth/access';
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
        identity: z
            .string()
            .refine((text) => parseIdentity(text) !== undefined, 'expected MSP:user')
            .describe('The identity the token acts as, MSP:user.'),
        minutes: z
            .number()
            .int()
            .min(1)
            .max(7 * 24 * 60)
            .default(8 * 60)
            .describe('Lifetime in minutes (default 480, at most a week).'),
    })
    .strict();

const TokenParams = z.object({ tokenId: z.string().regex(/^[0-9a-f]{12}$/, 'expected a token id: 12 hex digits') });

/** Identities one can act as, enrolment of workshop participants, and their tokens. */
export function identityRoutes(services: GatewayServices): RouteTable {
    return new RouteTable().add(
        route({
            method: 'get',
            path: '/api/identities',
            operationId: 'identities.list',
            summary: 'The organizations and the identities one can act as, with their attributes (never a key)',
            tags: ['identities'],
            access: 'member',
            responses: {
                200: {
                    description: 'Organizations and identities.',
                    schema: {
                        type: 'object',
                        properties: {
                            organizations: { type: 'array' },
                            identities: { type: 'array', items: IDENTITY_SCHEMA },
                        },
                    },
                },
            },
            async handle() {
                return {
                    organizations: services.backend.describe().organizations,
                    identities: await services.identities.list(),
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
            summary: "Issues a participant's bearer token, tied to one identity (instructor)",
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
                            identity: { type: 'object' },
                            issuedAt: { type: 'string' },
                            expiresAt: { type: 'string' },
                        },
                    },
                },
            },
            async handle({ body }) {
                const identity = parseIdentity(body.identity)!;
                if (!(await services.identities.has(identity))) {
                    throw new HttpError(
                        404,
                        'UNKNOWN_IDENTITY',
                        `the network has no identity ${body.identity}: enroll it first`,
                        { field: 'identity' },
                    );
                }
                return new Reply(201, await services.tokens.issue(identity, body.minutes));
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
