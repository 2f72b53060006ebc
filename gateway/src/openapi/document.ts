import type { Access } from '../auth/access';
import type { AnyRoute } from '../http/route-table';
import type { JsonSchema } from '../http/schema';

/** Schemas every part of the document refers to, as `#/components/schemas/<name>`. */
const SHARED_SCHEMAS: Record<string, JsonSchema> = {
    Error: {
        type: 'object',
        required: ['error'],
        properties: {
            error: {
                type: 'object',
                required: ['code', 'message'],
                properties: {
                    code: {
                        type: 'string',
                        description:
                            "Stable: the chaincode's E_… code when it refused, a Fabric validation code name (MVCC_READ_CONFLICT, ENDORSEMENT_POLICY_FAILURE) when the transaction was judged invalid, else the gateway's or the network's code.",
                    },
                    message: { type: 'string', description: 'What happened, for people.' },
                    field: { type: 'string', description: 'The request field at fault, e.g. args.claimFen.' },
                    transactionId: { type: 'string' },
                    validationCode: { type: 'integer', description: "Fabric's TxValidationCode." },
                    validationCodeName: { type: 'string' },
                    networkCode: {
                        type: 'string',
                        description: "@zhelian/api's code of a network error, e.g. ENDORSE_FAILED.",
                    },
                    details: {
                        type: 'array',
                        description: 'What each peer said.',
                        items: {
                            type: 'object',
                            properties: {
                                address: { type: 'string' },
                                mspId: { type: 'string' },
                                message: { type: 'string' },
                            },
                        },
                    },
                },
            },
        },
    },
    Bytes: {
        type: 'object',
        description: 'Bytes: base64, and the UTF-8 text when they are text.',
        required: ['base64'],
        properties: { base64: { type: 'string', contentEncoding: 'base64' }, text: { type: 'string' } },
    },
    ChaincodeEvent: {
        type: ['object', 'null'],
        description: 'The chaincode event the transaction emitted: <contract>.<PastTenseEvent> and its JSON payload.',
        properties: { name: { type: 'string' }, payload: {} },
    },
};

/** The body of a committed transaction, with `result` described by `resultSchema`. */
export function transactionOutcomeSchema(resultSchema: JsonSchema = {}): JsonSchema {
    return {
        type: 'object',
        required: ['txId', 'blockNumber', 'validationCode', 'validationCodeName', 'result', 'event', 'attempts'],
        properties: {
            txId: { type: 'string' },
            blockNumber: { type: 'integer' },
            validationCode: { type: 'integer', description: '0 (VALID): only committed transactions answer 200.' },
            validationCodeName: { type: 'string' },
            result: resultSchema,
            event: { $ref: '#/components/schemas/ChaincodeEvent' },
            attempts: {
                type: 'integer',
                description:
                    'Submissions it took: more than 1 after MVCC or phantom-read conflicts, which are retried.',
            },
        },
    };
}

const SECURITY_SCHEMES = {
    identity: {
        type: 'apiKey',
        in: 'header',
        name: 'X-Zhelian-Identity',
        description:
            'MSP:user, the identity to act as (GET /api/identities). Enough on a loopback server; with tokens, the instructor names one too.',
    },
    bearer: {
        type: 'http',
        scheme: 'bearer',
        description:
            "Required when the server listens beyond loopback: the instructor's token, or a participant's token tied to one identity.",
    },
    accessToken: {
        type: 'apiKey',
        in: 'query',
        name: 'access_token',
        description: 'The bearer token, for event streams (a browser EventSource cannot send headers).',
    },
};

function security(access: Access, tokenInQuery: boolean): Record<string, string[]>[] {
    const bearer: Record<string, string[]>[] = tokenInQuery ? [{ bearer: [] }, { accessToken: [] }] : [{ bearer: [] }];
    switch (access) {
        case 'public':
            return [{}];
        case 'member':
        case 'manage':
            return [{}, ...bearer];
        case 'identity':
            return [{ identity: [] }, { bearer: [] }, { bearer: [], identity: [] }];
        case 'admin':
            return bearer;
    }
}

function parameters(schema: JsonSchema | undefined, location: 'path' | 'query'): object[] {
    if (!schema) {
        return [];
    }
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((schema.required ?? []) as string[]);
    return Object.entries(properties).map(([name, { description, ...property }]) => ({
        name,
        in: location,
        required: location === 'path' || required.has(name),
        ...(description === undefined ? {} : { description }),
        schema: property,
    }));
}

function operation(definition: AnyRoute): object {
    const responses = Object.fromEntries(
        Object.entries(definition.responses).map(([status, response]) => [
            status,
            {
                description: response.description,
                ...(response.schema
                    ? { content: { [response.contentType ?? 'application/json']: { schema: response.schema } } }
                    : {}),
            },
        ]),
    );
    const body = definition.body
        ? {
              required: true,
              content: { 'application/json': { schema: definition.body.jsonSchema } },
          }
        : definition.rawBody
          ? {
                required: true,
                description: definition.rawBody.description,
                content: { [definition.rawBody.contentType]: { schema: definition.rawBody.schema } },
            }
          : undefined;
    return {
        operationId: definition.operationId,
        summary: definition.summary,
        ...(definition.description ? { description: definition.description } : {}),
        tags: definition.tags,
        parameters: [
            ...parameters(definition.params?.jsonSchema, 'path'),
            ...parameters(definition.query?.jsonSchema, 'query'),
        ],
        ...(body ? { requestBody: body } : {}),
        responses: {
            ...responses,
            default: {
                description:
                    'An error: bad input (400), authentication (401/403), not found (404), conflict (409), network unavailable (503).',
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
        },
        security: security(definition.access, definition.tokenInQuery ?? false),
    };
}

/** Express `/a/:b` as OpenAPI `/a/{b}`. */
function openApiPath(path: string): string {
    return path.replace(/:(\w+)/g, '{$1}');
}

export interface DocumentInfo {
    title: string;
    version: string;
    description: string;
    tags: { name: string; description: string }[];
}

/** The OpenAPI 3.1 document of these routes, with these component schemas besides the shared ones. */
export function openApiDocument(routes: readonly AnyRoute[], schemas: Record<string, JsonSchema>, info: DocumentInfo) {
    const paths: Record<string, Record<string, object>> = {};
    for (const definition of routes) {
        const path = openApiPath(definition.path);
        paths[path] = { ...paths[path], [definition.method]: operation(definition) };
    }
    return {
        openapi: '3.1.0',
        info: { title: info.title, version: info.version, description: info.description },
        tags: info.tags,
        paths,
        components: {
            schemas: { ...SHARED_SCHEMAS, ...schemas },
            securitySchemes: SECURITY_SCHEMES,
        },
    };
}
