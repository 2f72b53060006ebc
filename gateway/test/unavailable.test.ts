import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, GatewayError, GrpcStatus, type LedgerBackend } from '@zhelian/api';
import { type RunningGateway, startGateway } from '../src';
import { call } from './support/server';

/** A network whose peers do not answer, as fabric-gateway reports it. */
function unreachable(): never {
    throw new GatewayError(ErrorCode.GATEWAY_FAILED, GrpcStatus.UNAVAILABLE, 'connect ECONNREFUSED peer0.member:7051');
}

const backend: LedgerBackend = {
    kind: 'fabric',
    describe: () => ({
        kind: 'fabric',
        location: 'connection.json',
        channel: 'zhelian',
        organizations: [],
        orderers: [],
        chaincodes: [],
    }),
    identities: async () => [{ mspId: 'MemberMSP', name: 'zheyi', role: 'client', attrs: {} }],
    enroll: async () => unreachable(),
    connect: async () => ({
        getIdentity: () => ({ mspId: 'MemberMSP', credentials: new Uint8Array() }),
        close: () => undefined,
        getNetwork: (name) => ({
            getName: () => name,
            getChaincodeEvents: async () => unreachable(),
            getContract: () => {
                throw new GatewayError(ErrorCode.GATEWAY_FAILED, GrpcStatus.UNAVAILABLE, 'no peer answers');
            },
        }),
    }),
    explorer: {
        getHeight: async () => unreachable(),
        getBlock: async () => unreachable(),
        getTransaction: async () => unreachable(),
        getKeyHistory: async () => unreachable(),
        getBlocks: async () => unreachable(),
    },
    close: async () => undefined,
};

describe('a network that does not answer', () => {
    let gateway: RunningGateway;

    beforeAll(async () => {
        gateway = await startGateway(backend, { port: 0, logger: pino({ level: 'silent' }) });
    });

    afterAll(async () => {
        await gateway?.close();
    });

    it('is 503 with the network’s code, and /api/health says unavailable', async () => {
        const health = await call(gateway.url, 'GET', '/api/health');
        expect(health.status).toBe(503);
        expect(health.body).toMatchObject({ status: 'unavailable', height: null });

        const explorer = await call(gateway.url, 'GET', '/api/explorer/blocks/0');
        expect(explorer.status).toBe(503);
        expect(explorer.body.error).toMatchObject({ code: 'GATEWAY_FAILED', grpcStatus: GrpcStatus.UNAVAILABLE });

        const invoke = await call(gateway.url, 'POST', '/api/chaincode/zhelian/einvoice:registerHospital', {
            as: 'MemberMSP:zheyi',
            body: {},
        });
        expect(invoke.status).toBe(503);
        expect(JSON.stringify(invoke.body)).not.toMatch(/\n\s+at /);
    });

    it('leaves the per-application routes absent (404), the chaincode not being defined', async () => {
        const answer = await call(gateway.url, 'GET', '/api/einvoice/listRanges?code=33010125', {
            as: 'MemberMSP:zheyi',
        });
        expect(answer.status).toBe(404);
    });
});
