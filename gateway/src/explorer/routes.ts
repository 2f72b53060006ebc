import { z } from 'zod';
import { HttpError } from '../http/http-error';
import { jsonForm } from '../http/json-form';
import { route, RouteTable } from '../http/route-table';
import { zodSchema } from '../http/schema';
import type { GatewayServices } from '../services';
import { BLOCK_SUMMARY_SCHEMA, blockSummary } from './summaries';

const blockNumber = z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const BlocksQuery = z.object({
    before: blockNumber.optional().describe('List blocks below this number (default: the height, i.e. the newest).'),
    limit: z.coerce.number().int().min(1).max(100).default(20).describe('At most this many blocks (1-100).'),
});
const BlockParams = z.object({ number: blockNumber.describe('The block number, from 0.') });
const TransactionParams = z.object({
    txId: z
        .string()
        .regex(/^[0-9a-f]{64}$/, 'expected a transaction id: 64 lowercase hex digits')
        .describe('The transaction id (hex SHA-256).'),
});
const HistoryQuery = z.object({
    chaincode: z.string().min(1).describe('The chaincode (namespace), e.g. zhelian.'),
    key: z
        .string()
        .min(1)
        .max(4096)
        .describe('The key as the chaincode wrote it; composite keys with their U+0000 separators, URL-encoded (%00).'),
});

const JSON_ANY = {
    type: 'object',
    description: 'See the API of record: @zhelian/api Explorer types, bytes as {base64, text}.',
};

/** The block explorer: chain info, blocks, a transaction's anatomy, key history, chain verification. */
export function explorerRoutes(services: GatewayServices): RouteTable {
    const { explorer } = services.backend;
    return new RouteTable().add(
        route({
            method: 'get',
            path: '/api/explorer',
            operationId: 'explorer.info',
            summary: 'The network and its chain: organizations, chaincodes, height',
            tags: ['explorer'],
            access: 'member',
            responses: { 200: { description: 'Chain info.', schema: JSON_ANY } },
            async handle() {
                return { network: services.backend.describe(), height: await explorer.getHeight() };
            },
        }),
        route<Record<string, never>, z.output<typeof BlocksQuery>>({
            method: 'get',
            path: '/api/explorer/blocks',
            operationId: 'explorer.blocks',
            summary: 'Blocks, newest first, a page at a time',
            description: 'Follow `nextBefore` for the next (older) page; it is null at block 0.',
            tags: ['explorer'],
            access: 'member',
            query: zodSchema(BlocksQuery),
            responses: {
                200: {
                    description: 'A page of blocks.',
                    schema: {
                        type: 'object',
                        properties: {
                            height: { type: 'integer' },
                            blocks: { type: 'array', items: BLOCK_SUMMARY_SCHEMA },
                            nextBefore: { type: ['integer', 'null'] },
                        },
                    },
                },
            },
            async handle({ query }) {
                const height = await explorer.getHeight();
                const before = Math.min(query.before ?? height, height);
                const first = Math.max(0, before - query.limit);
                const blocks = [];
                for (let n = before - 1; n >= first; n--) {
                    const block = await explorer.getBlock(n);
                    if (block) {
                        blocks.push(blockSummary(block));
                    }
                }
                return { height, blocks, nextBefore: first > 0 ? first : null };
            },
        }),
        route<z.output<typeof BlockParams>>({
            method: 'get',
            path: '/api/explorer/blocks/:number',
            operationId: 'explorer.block',
            summary: 'A block with its transactions: creator, endorsers, read-write sets, event, validation code',
            tags: ['explorer'],
            access: 'member',
            params: zodSchema(BlockParams),
            responses: { 200: { description: 'The block.', schema: JSON_ANY } },
            async handle({ params }) {
                const block = await explorer.getBlock(params.number);
                if (!block) {
                    throw new HttpError(
                        404,
                        'BLOCK_NOT_FOUND',
                        `block ${params.number} is not on the ledger: its height is ${await explorer.getHeight()}`,
                    );
                }
                return jsonForm(block);
            },
        }),
        route<z.output<typeof TransactionParams>>({
            method: 'get',
            path: '/api/explorer/transactions/:txId',
            operationId: 'explorer.transaction',
            summary: "A transaction's anatomy: proposal, endorsements, read-write set, private data hashes, verdict",
            tags: ['explorer'],
            access: 'member',
            params: zodSchema(TransactionParams),
            responses: { 200: { description: 'The transaction.', schema: JSON_ANY } },
            async handle({ params }) {
                const transaction = await explorer.getTransaction(params.txId);
                if (!transaction) {
                    throw new HttpError(
                        404,
                        'TRANSACTION_NOT_FOUND',
                        `transaction ${params.txId} is not on the ledger`,
                    );
                }
                return jsonForm(transaction);
            },
        }),
        route<Record<string, never>, z.output<typeof HistoryQuery>>({
            method: 'get',
            path: '/api/explorer/history',
            operationId: 'explorer.history',
            summary: "Every committed change of a chaincode's public key, newest first",
            tags: ['explorer'],
            access: 'member',
            query: zodSchema(HistoryQuery),
            responses: { 200: { description: 'The history.', schema: JSON_ANY } },
            async handle({ query }) {
                const history = await explorer.getKeyHistory(query.chaincode, query.key);
                return { chaincode: query.chaincode, key: query.key, history: jsonForm(history) };
            },
        }),
        route({
            method: 'get',
            path: '/api/explorer/verify',
            operationId: 'explorer.verify',
            summary: 'Recompute every block hash, and check the world state against the blocks where the backend can',
            description: 'Reads the whole ledger: slow on a long chain. `ok` is false when anything does not match.',
            tags: ['explorer'],
            access: 'member',
            limit: 'public',
            responses: { 200: { description: 'The verification.', schema: JSON_ANY } },
            async handle({ caller }) {
                if (!explorer.verifyChain) {
                    throw new HttpError(
                        501,
                        'NOT_SUPPORTED',
                        `the ${services.backend.kind} network does not hold its blocks here: chain verification is its peers' job`,
                    );
                }
                const verification = await explorer.verifyChain();
                services.activity.recordVerification(caller, verification);
                return jsonForm(verification);
            },
        }),
    );
}
