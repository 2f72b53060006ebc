import { route, type AnyRoute } from '../http/route-table';
import { ajvSchema, type JsonSchema } from '../http/schema';
import { decodeResult } from '../http/json-form';
import { transactionOutcomeSchema } from '../openapi/document';
import type { TransactionInput } from '../ledger/transactions';
import type { GatewayServices } from '../services';
import {
    type ChaincodeMetadata,
    type ContractMetadata,
    documentSchema,
    isSubmit,
    type ParameterMetadata,
    SYSTEM_CONTRACT,
    type TransactionMetadata,
} from './metadata';

/**
 * Path segments under `/api/` that the gateway's own routes use: a contract of the same name gets no
 * per-application routes (the generic `/api/chaincode/...` route still reaches it).
 */
export const RESERVED_SEGMENTS = new Set([
    'admin',
    'chaincode',
    'docs',
    'events',
    'explorer',
    'health',
    'identities',
    'network',
    'openapi.json',
    'public',
    'tokens',
    'workshop',
]);

/**
 * The zhelian dialect passes structured input as JSON text in a parameter whose name ends in
 * `Json` (`receiptJson`, `lotIdsJson`): over HTTP it may be sent as the JSON value itself.
 */
const isJsonParameter = (parameter: ParameterMetadata): boolean => /Json$/.test(parameter.name);

/** Private input (Fabric's transient map): each field text, or a JSON value sent as its text. */
export const TRANSIENT_SCHEMA: JsonSchema = {
    type: 'object',
    description:
        "Private input the chaincode reads from Fabric's transient map (e.g. patient: {...} for recordPatientDetails): it reaches the endorsing peers, never the block. A field that is not text is sent as its JSON text.",
    additionalProperties: { type: ['string', 'object', 'array', 'number', 'boolean'] },
};

export const ENDORSING_ORGANIZATIONS_SCHEMA: JsonSchema = {
    type: 'array',
    description:
        "Endorse on these organizations' peers (MSP IDs) instead of the ones the gateway plans, e.g. a private data collection's members.",
    items: { type: 'string', minLength: 1 },
    minItems: 1,
    uniqueItems: true,
};

/** The schema a parameter's value has over HTTP, from its metadata schema and `@Param` description. */
function argumentSchema(parameter: ParameterMetadata): JsonSchema {
    const description = parameter.description ? { description: parameter.description } : {};
    switch (parameter.schema.type) {
        case 'number':
        case 'integer':
            // Zhelian's contracts take whole numbers in decimal digits (lib/input.ts parseWholeNumber).
            return { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, ...description };
        case 'string':
            return isJsonParameter(parameter)
                ? {
                      type: ['object', 'array', 'string'],
                      ...description,
                      $comment: 'Structured input: the JSON value itself, or its text.',
                  }
                : { type: 'string', ...description };
        case 'boolean':
            return { type: 'boolean', ...description };
        default:
            return { ...description, $comment: 'Any JSON value; sent to the chaincode as its JSON text.' };
    }
}

/** A validated argument as the text the chaincode receives. */
export function argumentText(value: unknown): string {
    return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** A transaction's input from its arguments as text and the request's optional fields. */
export function transactionInput(
    args: string[],
    options: { transient?: Record<string, unknown>; endorsingOrganizations?: string[] },
): TransactionInput {
    const { transient, endorsingOrganizations } = options;
    return {
        args,
        ...(transient
            ? {
                  transient: Object.fromEntries(
                      Object.entries(transient).map(([key, value]) => [key, argumentText(value)]),
                  ),
              }
            : {}),
        ...(endorsingOrganizations ? { endorsingOrganizations } : {}),
    };
}

function argumentsSchema(parameters: readonly ParameterMetadata[]): JsonSchema {
    return {
        type: 'object',
        additionalProperties: false,
        required: parameters.map((parameter) => parameter.name),
        properties: Object.fromEntries(parameters.map((parameter) => [parameter.name, argumentSchema(parameter)])),
    };
}

interface SubmitBody {
    args?: Record<string, unknown>;
    transient?: Record<string, unknown>;
    endorsingOrganizations?: string[];
}

function submitRoute(
    services: GatewayServices,
    chaincode: string,
    contract: ContractMetadata,
    transaction: TransactionMetadata,
): AnyRoute {
    const parameters = transaction.parameters ?? [];
    const body = ajvSchema<SubmitBody>({
        type: 'object',
        additionalProperties: false,
        required: parameters.length > 0 ? ['args'] : [],
        properties: {
            args: { ...argumentsSchema(parameters), description: 'The arguments, by parameter name.' },
            transient: TRANSIENT_SCHEMA,
            endorsingOrganizations: ENDORSING_ORGANIZATIONS_SCHEMA,
        },
    });
    return route<Record<string, never>, Record<string, never>, SubmitBody>({
        method: 'post',
        path: `/api/${contract.name}/${transaction.name}`,
        operationId: `${contract.name}.${transaction.name}`,
        summary: `${contract.name}:${transaction.name} (submit)`,
        description: `Submits ${contract.name}:${transaction.name} of chaincode ${chaincode}, signed by the identity the request acts as, and answers once its block commits.`,
        tags: [contract.name],
        access: 'identity',
        body,
        responses: {
            200: {
                description: 'Committed VALID.',
                schema: transactionOutcomeSchema(
                    transaction.returns ? documentSchema(chaincode, transaction.returns) : {},
                ),
            },
        },
        async handle({ caller, identity, body }) {
            const args = parameters.map((parameter) => argumentText(body.args?.[parameter.name]));
            const input = transactionInput(args, body);
            const handle = await services.connections.contract(identity!, chaincode, contract.name);
            return (
                await services.activity.track(
                    caller,
                    { identity: identity!, chaincode, contract: contract.name, fn: transaction.name },
                    () => services.runner.submit(handle, transaction.name, input),
                )
            ).outcome;
        },
    });
}

function evaluateRoute(
    services: GatewayServices,
    chaincode: string,
    contract: ContractMetadata,
    transaction: TransactionMetadata,
): AnyRoute {
    const parameters = transaction.parameters ?? [];
    const query = ajvSchema<Record<string, unknown>>(argumentsSchema(parameters), { coerce: true });
    return route<Record<string, never>, Record<string, unknown>>({
        method: 'get',
        path: `/api/${contract.name}/${transaction.name}`,
        operationId: `${contract.name}.${transaction.name}`,
        summary: `${contract.name}:${transaction.name} (evaluate)`,
        description: `Evaluates ${contract.name}:${transaction.name} of chaincode ${chaincode} on one peer, as the identity the request acts as; nothing is ordered.`,
        tags: [contract.name],
        access: 'identity',
        query,
        responses: {
            200: {
                description: "The chaincode's answer.",
                schema: {
                    type: 'object',
                    required: ['result'],
                    properties: { result: transaction.returns ? documentSchema(chaincode, transaction.returns) : {} },
                },
            },
        },
        async handle({ caller, identity, query }) {
            const args = parameters.map((parameter) => argumentText(query[parameter.name]));
            const handle = await services.connections.contract(identity!, chaincode, contract.name);
            const result = await services.activity.track(
                caller,
                { identity: identity!, chaincode, contract: contract.name, fn: transaction.name },
                () => services.runner.evaluate(handle, transaction.name, { args }),
            );
            return { result: decodeResult(result) };
        },
    });
}

export interface GeneratedRoutes {
    routes: AnyRoute[];
    /** Contracts whose names collide with the gateway's own routes. */
    skipped: string[];
    tags: { name: string; description: string }[];
}

/**
 * The per-application routes of a chaincode, from its metadata: for each contract, `POST
 * /api/<contract>/<transaction>` for a transaction that is submitted (body `{args, transient?,
 * endorsingOrganizations?}`, arguments by parameter name) and `GET /api/<contract>/<transaction>`
 * with the arguments in the query for one that is evaluated. Each argument's schema comes from its
 * `@Param` type and description; nothing here names a contract or a transaction.
 */
export function appRoutes(services: GatewayServices, chaincode: string, metadata: ChaincodeMetadata): GeneratedRoutes {
    const routes: AnyRoute[] = [];
    const skipped: string[] = [];
    const tags: { name: string; description: string }[] = [];
    for (const [name, contract] of Object.entries(metadata.contracts)) {
        if (name === SYSTEM_CONTRACT) {
            continue;
        }
        if (RESERVED_SEGMENTS.has(name) || !/^[A-Za-z0-9._-]+$/.test(name)) {
            skipped.push(name);
            continue;
        }
        tags.push({ name, description: contract.info?.description ?? contract.info?.title ?? name });
        for (const transaction of contract.transactions) {
            const named = { ...contract, name };
            routes.push(
                isSubmit(transaction)
                    ? submitRoute(services, chaincode, named, transaction)
                    : evaluateRoute(services, chaincode, named, transaction),
            );
        }
    }
    return { routes, skipped, tags };
}
