import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiAnswer, BALANCES_DIR, startTestServer, type TestServer } from './support/server';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const LITIGANT = 'MemberMSP:litigant';

/**
 * What the gateway does with requests it must not pass on, and with refusals: each answer has its
 * status and stable code, nothing reaches the ledger, and no stack trace reaches the caller.
 */
describe('requests the gateway refuses, and refusals it reports', () => {
    let server: TestServer;
    let deposit: (id: string, overrides?: Record<string, unknown>) => Promise<ApiAnswer>;
    const height = async (): Promise<number> => (await server.call('GET', '/api/explorer')).body.height;

    beforeAll(async () => {
        server = await startTestServer(
            { bodyLimit: 16 * 1024, uploadLimit: 1024, conflictRetries: 6 },
            { chaincodes: [{ name: 'balances', packageDir: BALANCES_DIR }] },
        );
        deposit = (id, overrides = {}) =>
            server.call('POST', '/api/evidence/depositEvidence', {
                as: LITIGANT,
                body: {
                    args: {
                        evidenceId: id,
                        hash: sha256(id),
                        title: '网购订单截图',
                        type: 'image/png',
                        sizeBytes: 1024,
                        ...overrides,
                    },
                },
            });
    });

    afterAll(async () => {
        await server?.close();
    });

    it('submits a valid request and answers with txId, block, validation code, result and event', async () => {
        const answer = await deposit('EV-REQ-0001');
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({
            validationCode: 0,
            validationCodeName: 'VALID',
            attempts: 1,
            result: { id: 'EV-REQ-0001', hash: sha256('EV-REQ-0001') },
            event: { name: 'evidence.Deposited', payload: { evidenceId: 'EV-REQ-0001' } },
        });
        expect(typeof answer.body.blockNumber).toBe('number');
    });

    describe('bad input: 400 with the field at fault, nothing submitted', () => {
        it.each([
            ['a wrong type', { sizeBytes: 'big' }, 'args.sizeBytes', /integer/],
            ['a negative number', { sizeBytes: -1 }, 'args.sizeBytes', />= 0/],
            ['a field the transaction does not have', { colour: 'red' }, 'args.colour', /not a field/],
            ['a missing field', { hash: undefined }, 'args.hash', /required/],
        ])('%s', async (_what, overrides, field, message) => {
            const before = await height();
            const answer = await deposit('EV-REQ-BAD', overrides);
            expect(answer.status).toBe(400);
            expect(answer.body.error).toMatchObject({ code: 'BAD_REQUEST', field });
            expect(answer.body.error.message).toMatch(message);
            expect(await height()).toBe(before);
        });

        it('a body without args', async () => {
            const answer = await server.call('POST', '/api/evidence/depositEvidence', { as: LITIGANT, body: {} });
            expect(answer.status).toBe(400);
            expect(answer.body.error).toMatchObject({ code: 'BAD_REQUEST', field: 'args' });
        });

        it('malformed JSON', async () => {
            const answer = await server.call('POST', '/api/evidence/depositEvidence', {
                as: LITIGANT,
                raw: { contentType: 'application/json', data: '{"args": {"evidenceId": ' },
            });
            expect(answer.status).toBe(400);
            expect(answer.body.error.code).toBe('MALFORMED_JSON');
            expect(JSON.stringify(answer.body)).not.toMatch(/SyntaxError|\n\s+at /);
        });

        it('a body that is not JSON', async () => {
            const answer = await server.call('POST', '/api/evidence/depositEvidence', {
                as: LITIGANT,
                raw: { contentType: 'application/x-www-form-urlencoded', data: 'args=1' },
            });
            expect(answer.status).toBe(415);
            expect(answer.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
        });

        it('an oversized body (413), refused before it is parsed', async () => {
            const before = await height();
            const answer = await deposit('EV-REQ-BIG', { title: 'x'.repeat(20 * 1024) });
            expect(answer.status).toBe(413);
            expect(answer.body.error.code).toBe('BODY_TOO_LARGE');
            expect(await height()).toBe(before);
        });

        it('an oversized upload (413)', async () => {
            const form = new FormData();
            form.set('file', new Blob([new Uint8Array(4096)]), 'big.bin');
            const answer = await server.call('POST', '/api/public/evidence/EV-REQ-0001/file', {
                raw: { contentType: 'multipart/form-data', data: form },
            });
            expect(answer.status).toBe(413);
            expect(answer.body.error).toMatchObject({ code: 'FILE_TOO_LARGE', field: 'file' });
        });

        it('a query parameter of the wrong type on an evaluated transaction', async () => {
            const answer = await server.call('GET', '/api/tea/getHarvest?gardenName=勐海&year=last', {
                as: 'MemberMSP:farmer',
            });
            expect(answer.status).toBe(400);
            expect(answer.body.error).toMatchObject({ code: 'BAD_REQUEST', field: 'year' });
        });

        it('the chaincode’s own checks: E_BAD_INPUT is 400 with its code', async () => {
            const answer = await deposit('EV-REQ-0002', { hash: 'not-a-hash' });
            expect(answer.status).toBe(400);
            expect(answer.body.error.code).toBe('E_BAD_INPUT');
            expect(answer.body.error.message).toMatch(/^E_BAD_INPUT: hash/);
        });
    });

    describe('path traversal in ids: refused at the edge or by the chaincode, never a file', () => {
        it.each([
            '/api/public/tea/cakes/..%2F..%2F..%2Fetc%2Fpasswd',
            '/api/public/evidence/..%2F..%2Fpackage.json?hash=' + sha256('x'),
            '/api/explorer/transactions/..%2F..%2Fledger',
            '/api/explorer/blocks/..%2F1',
            '/api/public/lottery/..%2F..%2Fetc/draw',
        ])('%s', async (route) => {
            const answer = await server.call('GET', route);
            expect(answer.status).toBe(400);
            expect(answer.body.error.code).toBe('BAD_REQUEST');
        });

        it('as an argument of an evaluated transaction', async () => {
            const answer = await server.call('GET', '/api/evidence/getEvidence?evidenceId=..%2F..%2Fetc%2Fpasswd', {
                as: LITIGANT,
            });
            expect([400, 404]).toContain(answer.status);
            expect(answer.body.error.code).toMatch(/^E_(BAD_INPUT|NOT_FOUND)$/);
        });

        it('in the docs page assets', async () => {
            for (const route of [
                '/api/docs/assets/..%2F..%2F..%2Fpackage.json',
                '/api/docs/assets/../../package.json',
            ]) {
                const answer = await server.call('GET', route);
                expect(answer.status).not.toBe(200);
                expect(JSON.stringify(answer.body)).not.toMatch(/"name":\s*"zhelian-lab"|swagger-ui-dist/);
            }
        });
    });

    describe('who acts', () => {
        it('an unknown identity is 401 UNKNOWN_IDENTITY, nothing submitted', async () => {
            const before = await height();
            const answer = await server.call('POST', '/api/evidence/depositEvidence', {
                as: 'MemberMSP:mallory',
                body: {
                    args: { evidenceId: 'EV-REQ-0003', hash: sha256('x'), title: 't', type: 'image/png', sizeBytes: 1 },
                },
            });
            expect(answer.status).toBe(401);
            expect(answer.body.error.code).toBe('UNKNOWN_IDENTITY');
            expect(await height()).toBe(before);
        });

        it('no identity is 401 IDENTITY_REQUIRED; a malformed one is 400', async () => {
            expect((await server.call('GET', '/api/identities/me')).body.error.code).toBe('IDENTITY_REQUIRED');
            const malformed = await server.call('GET', '/api/identities/me', { as: 'just-a-name' });
            expect(malformed.status).toBe(400);
            expect(malformed.body.error.code).toBe('BAD_IDENTITY');
        });

        it('the identity acting is the one the chaincode sees: a role it lacks is 403 E_FORBIDDEN', async () => {
            const answer = await server.call('POST', '/api/evidence/openCase', {
                as: LITIGANT,
                body: { args: { caseId: '(2026)浙0192民初1号', title: '网络购物合同纠纷' } },
            });
            expect(answer.status).toBe(403);
            expect(answer.body.error.code).toBe('E_FORBIDDEN');
        });
    });

    describe('refusals keep the chaincode’s code, mapped by family', () => {
        it('a second deposit under one id: 409 E_EXISTS, the first unchanged', async () => {
            const answer = await deposit('EV-REQ-0001', { hash: sha256('another file') });
            expect(answer.status).toBe(409);
            expect(answer.body.error).toMatchObject({ code: 'E_EXISTS', networkCode: 'ENDORSE_FAILED' });
            const kept = await server.call('GET', `/api/public/evidence/EV-REQ-0001?hash=${sha256('EV-REQ-0001')}`);
            expect(JSON.stringify(kept.body.result)).toMatch(/"MATCH"/);
        });

        it('an unknown record: 404 E_NOT_FOUND', async () => {
            const answer = await server.call('GET', '/api/evidence/getEvidence?evidenceId=EV-NONE', { as: LITIGANT });
            expect(answer.status).toBe(404);
            expect(answer.body.error.code).toBe('E_NOT_FOUND');
        });

        it('an unknown transaction of the generic route: 404 E_UNKNOWN_TRANSACTION', async () => {
            const answer = await server.call('POST', `/api/chaincode/${server.chaincode}/evidence:forgeEvidence`, {
                as: LITIGANT,
                body: {},
            });
            expect(answer.status).toBe(404);
            expect(answer.body.error.code).toBe('E_UNKNOWN_TRANSACTION');
        });

        it('an unknown route: 404 ROUTE_NOT_FOUND', async () => {
            const answer = await server.call('GET', '/api/einvoice/noSuchTransaction', { as: LITIGANT });
            expect(answer.status).toBe(404);
            expect(answer.body.error.code).toBe('ROUTE_NOT_FOUND');
        });
    });

    describe('any chaincode through the generic route', () => {
        it('submits, evaluates, and answers the chaincode’s own refusal', async () => {
            const set = await server.call('POST', '/api/chaincode/balances/balances:set', {
                as: 'PlatformMSP:alipay',
                body: { args: ['treasury', 100] },
            });
            expect(set.status).toBe(200);
            expect(set.body).toMatchObject({
                validationCodeName: 'VALID',
                event: { name: 'balances.Set', payload: { amount: 100 } },
            });

            const get = await server.call('POST', '/api/chaincode/balances/balances:get', {
                as: 'PlatformMSP:alipay',
                body: { args: ['treasury'], submit: false },
            });
            expect(get.body).toMatchObject({ result: { key: 'treasury', amount: 100 } });
            expect(Buffer.from(get.body.resultBase64, 'base64').toString()).toBe('{"key":"treasury","amount":100}');

            const overdraw = await server.call('POST', '/api/chaincode/balances/balances:transfer', {
                as: 'PlatformMSP:alipay',
                body: { args: ['treasury', 'shop', 1000] },
            });
            expect(overdraw.status).toBe(409);
            expect(overdraw.body.error.code).toBe('E_INSUFFICIENT_BALANCE');
        });

        it('serves the metadata of a chaincode it has no routes for', async () => {
            const metadata = await server.call('GET', '/api/chaincode/balances/metadata');
            expect(metadata.status).toBe(200);
            expect(Object.keys(metadata.body.contracts)).toContain('balances');
        });

        it('retries MVCC conflicts: concurrent transfers from one balance all commit', async () => {
            // A failed attempt means another transfer committed (MVCC), or the peers had not all applied it yet
            // (their endorsements differ): 4 transfers settle well within the retries.
            await server.call('POST', '/api/chaincode/balances/balances:set', {
                as: 'PlatformMSP:alipay',
                body: { args: ['pool', 4] },
            });
            const transfers = await Promise.all(
                Array.from({ length: 4 }, (_, i) =>
                    server.call('POST', '/api/chaincode/balances/balances:transfer', {
                        as: 'PlatformMSP:alipay',
                        body: { args: ['pool', `member${i}`, 1] },
                    }),
                ),
            );
            expect(
                transfers.map((answer) => answer.status),
                JSON.stringify(transfers.map((answer) => answer.body.error)),
            ).toEqual(Array(4).fill(200));
            expect(Math.max(...transfers.map((answer) => answer.body.attempts))).toBeGreaterThan(1);
            const pool = await server.call('POST', '/api/chaincode/balances/balances:get', {
                as: 'PlatformMSP:alipay',
                body: { args: ['pool'], submit: false },
            });
            expect(pool.body.result.amount).toBe(0);
        });

        it('an endorsement that does not satisfy the policy is committed invalid and answered 409 saying so', async () => {
            const answer = await server.call('POST', '/api/chaincode/balances/balances:set', {
                as: 'PlatformMSP:alipay',
                body: { args: ['lonely', 1], endorsingOrganizations: ['PlatformMSP'] },
            });
            expect(answer.status).toBe(409);
            expect(answer.body.error).toMatchObject({
                code: 'ENDORSEMENT_POLICY_FAILURE',
                validationCode: 10,
                networkCode: 'COMMIT_FAILED',
            });
            expect(answer.body.error.message).toMatch(/endorsement policy/);
            const lonely = await server.call('POST', '/api/chaincode/balances/balances:get', {
                as: 'PlatformMSP:alipay',
                body: { args: ['lonely'], submit: false },
            });
            expect(lonely.body.result.amount).toBe(0);
        });
    });
});

describe('MVCC conflicts past the retries', () => {
    let server: TestServer;

    beforeAll(async () => {
        server = await startTestServer(
            { conflictRetries: 0 },
            { chaincodes: [{ name: 'balances', packageDir: BALANCES_DIR }] },
        );
    });

    afterAll(async () => {
        await server?.close();
    });

    it('are answered 409 MVCC_READ_CONFLICT with the transaction and its validation code', async () => {
        await server.call('POST', '/api/chaincode/balances/balances:set', {
            as: 'PlatformMSP:alipay',
            body: { args: ['pool', 8] },
        });
        const transfers = await Promise.all(
            Array.from({ length: 8 }, (_, i) =>
                server.call('POST', '/api/chaincode/balances/balances:transfer', {
                    as: 'PlatformMSP:alipay',
                    body: { args: ['pool', `member${i}`, 1] },
                }),
            ),
        );
        const conflicts = transfers.filter((answer) => answer.status === 409);
        expect(conflicts.length).toBeGreaterThan(0);
        // Endorsed against the same state, committed in one block: MVCC. Endorsed while the peers were
        // applying another transfer's block: their results differ.
        for (const conflict of conflicts) {
            expect(['MVCC_READ_CONFLICT', 'ENDORSEMENTS_DIFFER']).toContain(conflict.body.error.code);
            expect(conflict.body.error.transactionId).toMatch(/^[0-9a-f]{64}$/);
        }
        const mvcc = conflicts
            .map((answer) => answer.body.error)
            .filter((error) => error.code === 'MVCC_READ_CONFLICT');
        expect(mvcc.length).toBeGreaterThan(0);
        expect(mvcc[0]).toMatchObject({ validationCode: 11, validationCodeName: 'MVCC_READ_CONFLICT' });
        const committed = transfers.length - conflicts.length;
        const pool = await server.call('POST', '/api/chaincode/balances/balances:get', {
            as: 'PlatformMSP:alipay',
            body: { args: ['pool'], submit: false },
        });
        expect(pool.body.result.amount).toBe(8 - committed);
    });
});
