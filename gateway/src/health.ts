import { Reply, route, RouteTable } from './http/route-table';
import type { GatewayServices } from './services';

/** `/api/health`: whether the server answers, the ledger's height, the chaincode's routes, background jobs. */
export function healthRoutes(services: GatewayServices): RouteTable {
    return new RouteTable().add(
        route({
            method: 'get',
            path: '/api/health',
            operationId: 'health',
            summary: 'Whether the server and its network answer, with the progress of background jobs (demo seeding)',
            description: '200 while the server answers; 503 while it stops or when the network does not answer.',
            tags: ['health'],
            access: 'public',
            responses: {
                200: {
                    description: 'Healthy.',
                    schema: {
                        type: 'object',
                        properties: {
                            status: { type: 'string', enum: ['ok', 'stopping', 'unavailable'] },
                            network: { type: 'object' },
                            height: { type: ['integer', 'null'] },
                            chaincode: { type: 'object' },
                            tasks: {
                                type: 'object',
                                description: 'Background jobs by name, e.g. demo: {state, detail, done}.',
                            },
                            startedAt: { type: 'string' },
                        },
                    },
                },
                503: { description: 'Stopping, or the network does not answer.' },
            },
            async handle() {
                const { status, backend } = services;
                const network = backend.describe();
                let height: number | null = null;
                let problem: string | undefined;
                try {
                    height = await backend.explorer.getHeight();
                } catch (err) {
                    problem = (err as Error).message;
                }
                const state = status.state === 'stopping' ? 'stopping' : problem ? 'unavailable' : 'ok';
                const body = {
                    status: state,
                    network: {
                        kind: network.kind,
                        channel: network.channel,
                        ...(network.stateDatabase ? { stateDatabase: network.stateDatabase } : {}),
                    },
                    height,
                    ...(problem ? { problem } : {}),
                    chaincode: status.chaincode,
                    tasks: status.tasks(),
                    startedAt: status.startedAt,
                };
                return state === 'ok' ? body : new Reply(503, body);
            },
        }),
    );
}
