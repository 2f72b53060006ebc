import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerBackend } from '@zhelian/api';
import { startGateway } from '../src';
import { call, startTestServer, type TestServer } from './support/server';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
/** Changing a stored block is the embedded ledger's maintenance; another backend answers 501 (the last test). */
const EMBEDDED = (process.env.ZHELIAN_NETWORK || 'embedded') === 'embedded';

/**
 * The instructor's tampering tool over HTTP, for the lesson on tamper detection: only the
 * instructor's token reaches it; verification names the block it changed; undo brings the ledger
 * back.
 */
describe('tampering with a block through the gateway (instructor only)', () => {
    let server: TestServer;
    let instructor: string;
    let learner: string;
    const deposit = (id: string) =>
        server.call('POST', '/api/evidence/depositEvidence', {
            token: learner,
            body: { args: { evidenceId: id, hash: sha256(id), title: '聊天记录', type: 'chat-log', sizeBytes: 10 } },
        });

    beforeAll(async () => {
        server = await startTestServer({ requireTokens: true, webRoot: false });
        instructor = server.gateway.instructorToken;
        const issued = await server.call('POST', '/api/tokens', {
            token: instructor,
            body: { identity: 'MemberMSP:litigant', minutes: 60 },
        });
        learner = issued.body.token;
    }, 120_000);
    afterAll(() => server?.close());

    it.skipIf(!EMBEDDED)(
        'refuses participants (403 INSTRUCTOR_ONLY) and callers without a token (401 TOKEN_REQUIRED), changing nothing',
        async () => {
            const height = (await server.call('GET', '/api/explorer', { token: instructor })).body.height;
            for (const [method, route, body] of [
                ['POST', '/api/admin/tamper', { blockNumber: height - 1 }],
                ['POST', '/api/admin/tamper/undo', undefined],
                ['GET', '/api/admin/tamper', undefined],
            ] as const) {
                const asLearner = await server.call(method, route, { token: learner, body });
                expect(asLearner.status).toBe(403);
                expect(asLearner.body.error.code).toBe('INSTRUCTOR_ONLY');
                const anonymous = await server.call(method, route, { body });
                expect(anonymous.status).toBe(401);
                expect(anonymous.body.error.code).toBe('TOKEN_REQUIRED');
            }
            expect((await server.call('GET', '/api/admin/tamper', { token: instructor })).body).toEqual({
                pending: null,
            });
            expect((await server.call('GET', '/api/explorer/verify', { token: learner })).body.ok).toBe(true);
            expect((await server.call('GET', '/api/workshop/tamper', { token: learner })).body).toEqual({
                tampered: null,
            });
        },
    );

    it.skipIf(!EMBEDDED)(
        'lets the instructor change a byte: verification names the block, the ledger refuses until undone',
        async () => {
            const done = await deposit('EV-TAMPER-0001');
            expect(done.status).toBe(200);
            const block = done.body.blockNumber as number;

            const tampered = await server.call('POST', '/api/admin/tamper', {
                token: instructor,
                body: { blockNumber: block },
            });
            expect(tampered.status).toBe(200);
            expect(tampered.body).toMatchObject({
                blockNumber: block,
                txId: done.body.txId,
                namespace: server.chaincode,
            });
            expect(tampered.body.oldByte).not.toBe(tampered.body.newByte);
            expect((await server.call('GET', '/api/admin/tamper', { token: instructor })).body.pending).toEqual(
                tampered.body,
            );
            // Learners are told which block (for the lesson's check), never which byte.
            expect((await server.call('GET', '/api/workshop/tamper', { token: learner })).body).toEqual({
                tampered: { blockNumber: block, tamperedAt: tampered.body.tamperedAt },
            });

            const verified = await server.call('GET', '/api/explorer/verify', { token: learner });
            expect(verified.body.ok).toBe(false);
            expect(verified.body.problems.map((p: { blockNumber: number }) => p.blockNumber)).toEqual([block]);
            const refused = await deposit('EV-TAMPER-0002');
            expect(refused.status).toBe(503);
            expect(refused.body.error.code).toBe('LEDGER_DAMAGED');

            const again = await server.call('POST', '/api/admin/tamper', {
                token: instructor,
                body: { blockNumber: 0 },
            });
            expect(again.status).toBe(409);
            expect(again.body.error.code).toBe('TAMPER_PENDING');

            const undone = await server.call('POST', '/api/admin/tamper/undo', { token: instructor });
            expect(undone.status).toBe(200);
            expect(undone.body).toMatchObject({ restored: { blockNumber: block }, verification: { ok: true } });
            expect((await deposit('EV-TAMPER-0003')).status).toBe(200);
            const nothing = await server.call('POST', '/api/admin/tamper/undo', { token: instructor });
            expect(nothing.status).toBe(409);
            expect(nothing.body.error.code).toBe('NO_TAMPER');
        },
    );

    it.skipIf(!EMBEDDED)('refuses a bad block number with a clear code and changes nothing', async () => {
        const height = (await server.call('GET', '/api/explorer', { token: instructor })).body.height;
        const beyond = await server.call('POST', '/api/admin/tamper', {
            token: instructor,
            body: { blockNumber: height + 5 },
        });
        expect(beyond.status).toBe(404);
        expect(beyond.body.error).toMatchObject({
            code: 'BLOCK_NOT_FOUND',
            message: expect.stringContaining(`${height + 5}`),
        });
        const malformed = await server.call('POST', '/api/admin/tamper', {
            token: instructor,
            body: { blockNumber: 'last' },
        });
        expect(malformed.status).toBe(400);
        expect((await server.call('GET', '/api/admin/tamper', { token: instructor })).body).toEqual({ pending: null });
    });

    it("says which capability a backend without the embedded ledger's maintenance lacks (501 NOT_SUPPORTED)", async () => {
        // The same network seen through a backend that keeps no files of its own, as Fabric's does.
        const remote = new Proxy(server.backend, {
            get: (target, property) =>
                property === 'maintenance'
                    ? undefined
                    : typeof target[property as keyof LedgerBackend] === 'function'
                      ? (target[property as keyof LedgerBackend] as (...args: unknown[]) => unknown).bind(target)
                      : target[property as keyof LedgerBackend],
        });
        const gateway = await startGateway(remote, { port: 0, logger: pino({ level: 'silent' }) });
        try {
            const answer = await call(gateway.url, 'POST', '/api/admin/tamper', {
                token: gateway.instructorToken,
                body: { blockNumber: 1 },
            });
            expect(answer.status).toBe(501);
            expect(answer.body.error).toMatchObject({
                code: 'NOT_SUPPORTED',
                message: expect.stringMatching(
                    /does not support tampering \(the embedded ledger's maintenance capability\)/,
                ),
            });
        } finally {
            // Its first reading of the chaincode's metadata runs chaincode (which logs into the data dir): let it end.
            await gateway.chaincodeReady.catch(() => undefined);
            await gateway.close();
        }
    });
});
