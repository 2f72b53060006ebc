import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAll } from '../../scripts/demo';
import { appRouteContracts, type RouteLog } from './support/app-route-contract';
import { startTestServer, type TestServer } from './support/server';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The five applications over HTTP: the demo scenarios (the same code `npm start` seeds with) run
 * through the per-application routes generated from the chaincode's metadata, then what a user
 * and the public see of the result, and the ledger refusing what its rules forbid.
 */
describe('the five applications through their generated routes', () => {
    let server: TestServer;
    const routes: RouteLog = [];

    beforeAll(async () => {
        server = await startTestServer();
        await seedAll(await appRouteContracts(server.url, routes));
    }, 200_000);

    afterAll(async () => {
        await server?.close();
    });

    it('runs every demo transaction of the five contracts through POST and GET /api/<contract>/<transaction>', async () => {
        const contracts = new Set(routes.map((route) => route.split('/')[2]));
        expect([...contracts].sort()).toEqual(['einvoice', 'evidence', 'lottery', 'tea', 'timebank']);
        expect(routes.filter((route) => route.startsWith('POST')).length).toBeGreaterThan(40);

        const height = (await server.call('GET', '/api/explorer')).body.height;
        const invalid = [];
        for (let before = height; before > 0;) {
            const page = (await server.call('GET', `/api/explorer/blocks?before=${before}&limit=100`)).body;
            invalid.push(
                // This suite's chaincode only: on a network other suites share, some of theirs are invalid on purpose.
                ...page.blocks.flatMap((block: { transactions: { chaincode: string; validationCode: number }[] }) =>
                    block.transactions.filter((tx) => tx.chaincode === server.chaincode && tx.validationCode !== 0),
                ),
            );
            before = page.nextBefore ?? 0;
        }
        expect(invalid).toEqual([]);
    });

    it('einvoice: anyone with code, number and check code verifies a receipt; a wrong check code reveals nothing', async () => {
        const verified = await server.call('GET', '/api/public/einvoice/receipts/33010125/1?checkCode=7c3a91');
        expect(verified.status).toBe(200);
        expect(verified.body.result).toMatchObject({ code: '33010125', status: 'REIMBURSED', totalFen: 40_000 });

        const wrong = await server.call('GET', '/api/public/einvoice/receipts/33010125/1?checkCode=000000');
        expect(wrong.status).toBe(404);
        expect(wrong.body.error.code).toBe('E_VERIFY_FAILED');
        expect(JSON.stringify(wrong.body)).not.toMatch(/REIMBURSED|40000/);
    });

    it('einvoice: a second reimbursement is refused with E_ALREADY_REIMBURSED (409) and changes nothing', async () => {
        const before = (
            await server.call('GET', '/api/einvoice/getReceipt?code=33010125&number=1', { as: 'RegulatorMSP:medicare' })
        ).body;
        const height = (await server.call('GET', '/api/explorer')).body.height;

        const again = await server.call('POST', '/api/einvoice/reimburseReceipt', {
            as: 'RegulatorMSP:medicare',
            body: {
                args: { code: '33010125', number: '1' },
                endorsingOrganizations: ['RegulatorMSP', 'MemberMSP', 'PlatformMSP'],
            },
        });
        expect(again.status).toBe(409);
        expect(again.body.error).toMatchObject({ code: 'E_ALREADY_REIMBURSED', networkCode: 'ENDORSE_FAILED' });
        expect(again.body.error.message).toMatch(/^E_ALREADY_REIMBURSED: /);
        expect(JSON.stringify(again.body)).not.toMatch(/\n\s+at /);

        expect((await server.call('GET', '/api/explorer')).body.height).toBe(height);
        const after = (
            await server.call('GET', '/api/einvoice/getReceipt?code=33010125&number=1', { as: 'RegulatorMSP:medicare' })
        ).body;
        expect(after).toEqual(before);
    });

    it('einvoice: a hospital may not read another hospital’s receipt (403 E_FORBIDDEN)', async () => {
        const answer = await server.call('GET', '/api/einvoice/getReceipt?code=33010125&number=1', {
            as: 'MemberMSP:shaoyifu',
        });
        expect(answer.status).toBe(403);
        expect(answer.body.error.code).toBe('E_FORBIDDEN');
    });

    it("tea: a cake's QR code opens its whole life, publicly", async () => {
        const trace = await server.call('GET', '/api/public/tea/cakes/PE-2019-000001');
        expect(trace.status).toBe(200);
        expect(trace.body.result.cake.code).toBe('PE-2019-000001');
        expect(trace.body.result.gardens.length).toBeGreaterThan(0);

        const unknown = await server.call('GET', '/api/public/tea/cakes/PE-1999-999999');
        expect(unknown.status).toBe(404);
        expect(unknown.body.error.code).toBe('E_NOT_FOUND');
    });

    it('tea: a consumer scan is a transaction with its event', async () => {
        const scan = await server.call('POST', '/api/tea/scanCake', {
            as: 'MemberMSP:patient',
            body: { args: { code: 'PE-2019-000001' } },
        });
        expect(scan.status).toBe(200);
        expect(scan.body).toMatchObject({
            validationCode: 0,
            validationCodeName: 'VALID',
            event: { name: 'tea.CakeScanned' },
        });
        expect(scan.body.txId).toMatch(/^[0-9a-f]{64}$/);
    });

    it('lottery: anyone recomputes the draw from its public record, and an entrant proves it was in the list', async () => {
        const draw = await server.call('GET', '/api/public/lottery/tmall-2019-double11/draw');
        expect(draw.status).toBe(200);
        expect(draw.body).toMatchObject({
            listRootMatches: true,
            winnersMatch: true,
            resultHashMatches: true,
            verified: true,
        });

        const entry = await server.call('GET', '/api/lottery/getMyEntry?eventId=tmall-2019-double11', {
            as: 'MemberMSP:entrant1',
        });
        expect(entry.status).toBe(200);
        const { entrantId } = entry.body.result.entrant;
        const proof = await server.call('GET', `/api/public/lottery/tmall-2019-double11/entrants/${entrantId}/proof`);
        expect(proof.status).toBe(200);
        expect(proof.body).toMatchObject({ entrantId, verified: true, listRoot: draw.body.record.listRoot });

        const stranger = await server.call(
            'GET',
            `/api/public/lottery/tmall-2019-double11/entrants/${sha256('nobody')}/proof`,
        );
        expect(stranger.status).toBe(404);
        expect(stranger.body.error.code).toBe('NOT_AN_ENTRANT');
    });

    it('evidence: a file is checked against a deposit by its hash, or uploaded and hashed as it streams', async () => {
        const screenshot = '订单 20190618-7731 商品: 蓝牙耳机 实付 399.00 元';
        const byHash = await server.call('GET', `/api/public/evidence/EV-2019-000001?hash=${sha256(screenshot)}`);
        expect(byHash.status).toBe(200);
        expect(JSON.stringify(byHash.body.result)).toMatch(/MATCH/);

        const form = new FormData();
        form.set('file', new Blob([screenshot]), 'screenshot.png');
        const uploaded = await server.call('POST', '/api/public/evidence/EV-2019-000001/file', {
            raw: { contentType: 'multipart/form-data', data: form },
        });
        expect(uploaded.status).toBe(200);
        expect(uploaded.body).toMatchObject({ sha256: sha256(screenshot), sizeBytes: Buffer.byteLength(screenshot) });
        expect(uploaded.body.result).toEqual(byHash.body.result);

        const doctored = new FormData();
        doctored.set('file', new Blob([`${screenshot} (edited)`]), 'screenshot.png');
        const mismatch = await server.call('POST', '/api/public/evidence/EV-2019-000001/file', {
            raw: { contentType: 'multipart/form-data', data: doctored },
        });
        expect(mismatch.status).toBe(200);
        expect(mismatch.body.result).not.toEqual(byHash.body.result);
    });

    it('timebank: the supply report holds, total minted equals total confirmed minutes', async () => {
        const supply = await server.call('GET', '/api/timebank/getSupply', { as: 'MemberMSP:station' });
        expect(supply.status).toBe(200);
        expect(supply.body.result).toBeTypeOf('object');
    });
});
