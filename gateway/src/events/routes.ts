import type { Request } from 'express';
import { z } from 'zod';
import type { BlockInfo, ChaincodeEvent } from '@zhelian/api';
import { badRequest } from '../http/http-error';
import { decodeResult, jsonForm } from '../http/json-form';
import { route, RouteTable } from '../http/route-table';
import { zodSchema } from '../http/schema';
import { blockSummary } from '../explorer/summaries';
import type { GatewayServices } from '../services';

const blockNumber = z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const BlocksQuery = z.object({
    from: blockNumber
        .optional()
        .describe('First block to replay; without it (and without Last-Event-ID), only new blocks.'),
    detail: z
        .enum(['summary', 'full'])
        .default('summary')
        .describe('summary: transactions with function and verdict; full: every transaction with its read-write set.'),
});

const ChaincodeParams = z.object({ chaincode: z.string().min(1).describe('The chaincode, e.g. zhelian.') });
const ChaincodeEventsQuery = z.object({
    from: blockNumber
        .optional()
        .describe('First block to replay; without it (and without Last-Event-ID), only new events.'),
    contract: z
        .string()
        .regex(/^[A-Za-z0-9._-]+$/)
        .optional()
        .describe("Only this contract's events (names <contract>.<Event>), e.g. einvoice."),
    event: z.string().min(1).optional().describe('Only events of this full name, e.g. einvoice.ReceiptIssued.'),
});

/**
 * Where a stream resumes: `Last-Event-ID` (sent by a reconnecting EventSource) wins over `from`.
 * Block ids are block numbers; chaincode event ids are `<block>:<txId>`, so a resumed stream
 * skips exactly what the client already had.
 */
function resumePoint(req: Request): { block: number; afterTx?: string } | undefined {
    const lastId = req.get('last-event-id');
    if (lastId === undefined || lastId === '') {
        return undefined;
    }
    const match = /^(\d+)(?::([0-9a-f]+))?$/.exec(lastId.trim());
    if (!match || !Number.isSafeInteger(Number(match[1]))) {
        throw badRequest(
            'BAD_LAST_EVENT_ID',
            `Last-Event-ID must be a block number or <block>:<txId>, not ${JSON.stringify(lastId)}`,
            'Last-Event-ID',
        );
    }
    const block = Number(match[1]);
    return match[2] ? { block, afterTx: match[2] } : { block: block + 1 };
}

const STREAM_RESPONSE = {
    200: {
        description:
            'A stream of Server-Sent Events; reconnecting with Last-Event-ID resumes after the last one received.',
        contentType: 'text/event-stream',
        schema: { type: 'string' },
    },
};

/** Server-Sent Events: new blocks, and chaincode events, replayable from a block and resumable. */
export function eventRoutes(services: GatewayServices): RouteTable {
    return new RouteTable().add(
        route<Record<string, never>, z.output<typeof BlocksQuery>>({
            method: 'get',
            path: '/api/events/blocks',
            operationId: 'events.blocks',
            summary: 'Blocks as they commit (event "block", id = block number)',
            description:
                'Every committed block, valid and invalid transactions alike. Replays from `from` (or after Last-Event-ID), then live.',
            tags: ['events'],
            access: 'member',
            tokenInQuery: true,
            query: zodSchema(BlocksQuery),
            responses: STREAM_RESPONSE,
            async handle({ req, res, query }) {
                const resume = resumePoint(req);
                const startBlock = resume?.block ?? query.from;
                const blocks = await services.backend.explorer.getBlocks(
                    startBlock === undefined ? {} : { startBlock },
                );
                await services.streams.stream(req, res, blocks, (block: BlockInfo) => [
                    {
                        event: 'block',
                        id: String(block.number),
                        data: query.detail === 'full' ? jsonForm(block) : blockSummary(block),
                    },
                ]);
                return undefined;
            },
        }),
        route<z.output<typeof ChaincodeParams>, z.output<typeof ChaincodeEventsQuery>>({
            method: 'get',
            path: '/api/events/chaincode/:chaincode',
            operationId: 'events.chaincode',
            summary: 'Chaincode events of valid transactions (event "chaincode", id = <block>:<txId>)',
            description:
                "A chaincode's events, delivered only for transactions that committed VALID, in block order; replays from `from` (or after Last-Event-ID), then live.",
            tags: ['events'],
            access: 'member',
            tokenInQuery: true,
            params: zodSchema(ChaincodeParams),
            query: zodSchema(ChaincodeEventsQuery),
            responses: STREAM_RESPONSE,
            async handle({ req, res, params, query }) {
                const resume = resumePoint(req);
                const startBlock = resume?.block ?? query.from;
                const network = await services.connections.network(await services.publicIdentity());
                const events = await network.getChaincodeEvents(
                    params.chaincode,
                    startBlock === undefined ? {} : { startBlock: BigInt(startBlock) },
                );
                let skipping = resume?.afterTx;
                await services.streams.stream(req, res, events, (event: ChaincodeEvent) => {
                    if (skipping !== undefined) {
                        if (Number(event.blockNumber) === resume?.block) {
                            if (event.transactionId === skipping) {
                                skipping = undefined;
                            }
                            return [];
                        }
                        skipping = undefined;
                    }
                    if (query.contract !== undefined && !event.eventName.startsWith(`${query.contract}.`)) {
                        return [];
                    }
                    if (query.event !== undefined && event.eventName !== query.event) {
                        return [];
                    }
                    return [
                        {
                            event: 'chaincode',
                            id: `${event.blockNumber}:${event.transactionId}`,
                            data: {
                                blockNumber: Number(event.blockNumber),
                                transactionId: event.transactionId,
                                chaincodeName: event.chaincodeName,
                                eventName: event.eventName,
                                payload: decodeResult(event.payload),
                                payloadBase64: Buffer.from(event.payload).toString('base64'),
                            },
                        },
                    ];
                });
                return undefined;
            },
        }),
    );
}
