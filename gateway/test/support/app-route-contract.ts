import type { Contract, ProposalOptions, SubmittedTransaction } from '@zhelian/api';
import { call, type ApiAnswer } from './server';

interface Metadata {
    contracts: Record<
        string,
        { transactions: { name: string; tag?: string[]; parameters?: { name: string; schema: { type?: string } }[] }[] }
    >;
}

/** Acts as a demo user (`MSP:user`) on one contract, as the demo seeds expect. */
export type ActAs = (who: string) => (contractName: string) => Contract;

/** Every call the contracts made, as `METHOD /api/<contract>/<transaction>`. */
export type RouteLog = string[];

const text = (value: string | Uint8Array): string =>
    typeof value === 'string' ? value : Buffer.from(value).toString('utf8');

function failure(route: string, answer: ApiAnswer): Error {
    const error = answer.body?.error ?? {};
    return Object.assign(new Error(`${route} answered ${answer.status}: ${error.code}: ${error.message}`), {
        status: answer.status,
        code: error.code,
    });
}

/**
 * Contracts whose every call goes through the gateway's per-application routes (`POST` or `GET
 * /api/<contract>/<transaction>`), named arguments taken from the chaincode's metadata as a UI
 * would: code written for `Contract` (the demo seeds) runs unchanged against the generated routes.
 */
export async function appRouteContracts(url: string, log: RouteLog = []): Promise<ActAs> {
    const metadata = (await call(url, 'GET', '/api/chaincode/zhelian/metadata')).body as Metadata;
    const transactionOf = (contract: string, name: string) => {
        const transaction = metadata.contracts[contract]?.transactions.find((candidate) => candidate.name === name);
        if (!transaction) {
            throw new Error(`the metadata has no ${contract}:${name}`);
        }
        return {
            submit: !(transaction.tag ?? []).includes('EVALUATE'),
            parameters: transaction.parameters ?? [],
        };
    };
    const named = (parameters: { name: string; schema: { type?: string } }[], args: (string | Uint8Array)[]) =>
        Object.fromEntries(
            parameters.map((parameter, index) => {
                const value = text(args[index] ?? '');
                return [parameter.name, parameter.schema.type === 'number' ? Number(value) : value];
            }),
        );

    return (who) => (contract) => {
        const evaluate = async (name: string, options: ProposalOptions = {}): Promise<Uint8Array> => {
            const { parameters } = transactionOf(contract, name);
            const query = new URLSearchParams(
                Object.entries(named(parameters, options.arguments ?? [])).map(([key, value]): [string, string] => [
                    key,
                    String(value),
                ]),
            );
            const route = `/api/${contract}/${name}`;
            log.push(`GET ${route}`);
            const answer = await call(url, 'GET', `${route}?${query}`, { as: who });
            if (answer.status !== 200) {
                throw failure(route, answer);
            }
            return Buffer.from(JSON.stringify(answer.body.result));
        };
        const submitAsync = async (name: string, options: ProposalOptions = {}): Promise<SubmittedTransaction> => {
            const { parameters } = transactionOf(contract, name);
            const route = `/api/${contract}/${name}`;
            log.push(`POST ${route}`);
            const answer = await call(url, 'POST', route, {
                as: who,
                body: {
                    ...(parameters.length > 0 ? { args: named(parameters, options.arguments ?? []) } : {}),
                    ...(options.transientData
                        ? {
                              transient: Object.fromEntries(
                                  Object.entries(options.transientData).map(([key, value]) => [key, text(value)]),
                              ),
                          }
                        : {}),
                    ...(options.endorsingOrganizations
                        ? { endorsingOrganizations: options.endorsingOrganizations }
                        : {}),
                },
            });
            if (answer.status !== 200) {
                throw failure(route, answer);
            }
            const outcome = answer.body;
            const status = {
                transactionId: outcome.txId,
                blockNumber: BigInt(outcome.blockNumber),
                code: outcome.validationCode,
                successful: true,
            };
            const result = Buffer.from(JSON.stringify(outcome.result));
            return { getTransactionId: () => outcome.txId, getResult: () => result, getStatus: async () => status };
        };
        const submit = async (name: string, options?: ProposalOptions): Promise<Uint8Array> =>
            (await submitAsync(name, options)).getResult();
        const dispatch = (name: string, options?: ProposalOptions) =>
            transactionOf(contract, name).submit ? submit(name, options) : evaluate(name, options);
        return {
            getChaincodeName: () => 'zhelian',
            getContractName: () => contract,
            evaluateTransaction: (name, ...args) => evaluate(name, { arguments: args }),
            evaluate,
            submitTransaction: (name, ...args) => dispatch(name, { arguments: args }),
            submit: (name, options) => dispatch(name, options),
            submitAsync,
            newProposal: () => {
                throw new Error('the per-application routes do one whole transaction per request');
            },
        };
    };
}
