import { z } from 'zod';
import { decodeResult } from '../http/json-form';
import { route, RouteTable } from '../http/route-table';
import { ajvSchema, zodSchema } from '../http/schema';
import { transactionOutcomeSchema } from '../openapi/document';
import type { GatewayServices } from '../services';
import { argumentText, ENDORSING_ORGANIZATIONS_SCHEMA, TRANSIENT_SCHEMA, transactionInput } from './app-routes';
import { fetchMetadata } from './metadata';

const chaincodeName = z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$/, 'expected a chaincode name')
    .describe('A deployed chaincode, e.g. zhelian.');

const ChaincodeParams = z.object({ chaincode: chaincodeName });
const TransactionParams = z.object({
    chaincode: chaincodeName,
    fn: z
        .string()
        .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'expected a transaction name, optionally contract:transaction')
        .describe(
            'The transaction, as contract:transaction (einvoice:verifyReceipt) or a bare name for the default contract.',
        ),
});

interface InvokeBody {
    args: unknown[];
    transient?: Record<string, unknown>;
    endorsingOrganizations?: string[];
    submit: boolean;
}

const invokeBody = ajvSchema<InvokeBody>({
    type: 'object',
    additionalProperties: false,
    properties: {
        args: {
            type: 'array',
            description: 'Positional arguments: text as is, numbers in decimal, other JSON values as their JSON text.',
            items: { type: ['string', 'number', 'boolean', 'object', 'array'] },
            default: [],
        },
        transient: TRANSIENT_SCHEMA,
        endorsingOrganizations: ENDORSING_ORGANIZATIONS_SCHEMA,
        submit: {
            type: 'boolean',
            default: true,
            description: 'true: endorse, order and wait for the block; false: evaluate on one peer, nothing ordered.',
        },
    },
});

const RESULT_BYTES = {
    type: 'string',
    contentEncoding: 'base64',
    description: "The chaincode's answer, exactly: base64 of its bytes.",
};

/**
 * Any transaction of any deployed chaincode, for workshops and for chaincode the gateway has never
 * seen; and the chaincode's own metadata, from which a UI builds forms.
 */
export function genericChaincodeRoutes(services: GatewayServices): RouteTable {
    return new RouteTable().add(
        route({
            method: 'get',
            path: '/api/chaincode',
            operationId: 'chaincode.list',
            summary: 'The chaincodes defined on the channel: version, sequence, policy, collections',
            tags: ['chaincode'],
            access: 'member',
            responses: {
                200: {
                    description: 'Chaincodes.',
                    schema: { type: 'object', properties: { chaincodes: { type: 'array' } } },
                },
            },
            async handle() {
                return { chaincodes: services.backend.describe().chaincodes };
            },
        }),
        route<z.output<typeof ChaincodeParams>>({
            method: 'get',
            path: '/api/chaincode/:chaincode/metadata',
            operationId: 'chaincode.metadata',
            summary:
                "A chaincode's contract metadata (org.hyperledger.fabric:GetMetadata): contracts, transactions, parameters, schemas",
            tags: ['chaincode'],
            access: 'member',
            params: zodSchema(ChaincodeParams),
            responses: { 200: { description: 'The metadata, as Fabric reports it.', schema: { type: 'object' } } },
            async handle({ params }) {
                const network = await services.connections.network(await services.publicIdentity());
                return fetchMetadata(network, params.chaincode);
            },
        }),
        route<z.output<typeof TransactionParams>, Record<string, never>, InvokeBody>({
            method: 'post',
            path: '/api/chaincode/:chaincode/:fn',
            operationId: 'chaincode.invoke',
            summary: 'Submits or evaluates any transaction of any deployed chaincode',
            description:
                'With submit (the default) it answers when the block commits: txId, block number, validation code, result and event. Conflicts (MVCC, phantom reads) are retried a few times, then answered 409.',
            tags: ['chaincode'],
            access: 'identity',
            params: zodSchema(TransactionParams),
            body: invokeBody,
            responses: {
                200: {
                    description: 'Committed VALID (submit), or evaluated.',
                    schema: {
                        oneOf: [
                            {
                                ...transactionOutcomeSchema(),
                                properties: {
                                    ...(transactionOutcomeSchema().properties as object),
                                    resultBase64: RESULT_BYTES,
                                },
                            },
                            {
                                type: 'object',
                                required: ['result', 'resultBase64'],
                                properties: { result: {}, resultBase64: RESULT_BYTES },
                            },
                        ],
                    },
                },
            },
            async handle({ caller, identity, params, body }) {
                const [contractName, name] = params.fn.includes(':')
                    ? [params.fn.slice(0, params.fn.indexOf(':')), params.fn.slice(params.fn.indexOf(':') + 1)]
                    : [undefined, params.fn];
                const contract = await services.connections.contract(identity!, params.chaincode, contractName);
                const input = transactionInput(body.args.map(argumentText), body);
                if (!body.submit) {
                    const result = await services.activity.track(
                        caller,
                        { identity: identity!, chaincode: params.chaincode, contract: contractName, fn: name },
                        () => services.runner.evaluate(contract, name, input),
                    );
                    return { result: decodeResult(result), resultBase64: Buffer.from(result).toString('base64') };
                }
                const submitted = await services.activity.track(
                    caller,
                    { identity: identity!, chaincode: params.chaincode, contract: contractName, fn: name },
                    () => services.runner.submit(contract, name, input),
                );
                return { ...submitted.outcome, resultBase64: Buffer.from(submitted.result).toString('base64') };
            },
        }),
    );
}
