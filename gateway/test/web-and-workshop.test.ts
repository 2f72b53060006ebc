import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server';

/** The web UI's build served at `/` (its page paths answered with index.html), and workshop progress. */
describe('the web UI and workshop progress', () => {
    let server: TestServer;
    let webRoot: string;

    beforeAll(async () => {
        webRoot = await mkdtemp(path.join(tmpdir(), 'zhelian-web-'));
        await mkdir(path.join(webRoot, 'assets'));
        await writeFile(path.join(webRoot, 'index.html'), '<!doctype html><title>浙链</title>');
        await writeFile(path.join(webRoot, 'assets', 'index-abc123.js'), 'console.log(1)');
        server = await startTestServer({ webRoot });
    }, 120_000);
    afterAll(async () => {
        await server?.close();
        await rm(webRoot, { recursive: true, force: true });
    });

    it('serves index.html for the UI’s page paths, assets for a year, and leaves /api alone', async () => {
        for (const route of ['/', '/explorer', '/cake/PE-2019-000001', '/workshop/fabric']) {
            const page = await fetch(`${server.url}${route}`, { headers: { Accept: 'text/html' } });
            expect(page.status, route).toBe(200);
            expect(await page.text()).toContain('浙链');
            expect(page.headers.get('cache-control')).toBe('no-cache');
        }
        const asset = await fetch(`${server.url}/assets/index-abc123.js`);
        expect(asset.status).toBe(200);
        expect(asset.headers.get('cache-control')).toContain('immutable');
        expect((await server.call('GET', '/api/nothing-here')).status).toBe(404);
        expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404);
        // A classroom opens the UI over http:// at the server's address: nothing may be upgraded to https.
        expect((await fetch(`${server.url}/`)).headers.get('content-security-policy')).not.toContain(
            'upgrade-insecure-requests',
        );
    });

    it('keeps each participant’s finished steps: a named learner on loopback, listed for the instructor', async () => {
        const refused = await server.call('POST', '/api/workshop/progress', { body: { lesson: 'fabric', step: 0 } });
        expect(refused.status).toBe(400);
        expect(refused.body.error.code).toBe('PARTICIPANT_REQUIRED');
        for (const step of [0, 2, 2]) {
            const recorded = await server.call('POST', '/api/workshop/progress', {
                body: { lesson: 'fabric', step, participant: '学员甲' },
            });
            expect(recorded.status).toBe(200);
        }
        const mine = await server.call('GET', `/api/workshop/progress/me?participant=${encodeURIComponent('学员甲')}`);
        expect(mine.body.lessons).toEqual({ fabric: [0, 2] });
        const all = await server.call('GET', '/api/workshop/progress');
        expect(all.body.participants.map((p: { participant: string }) => p.participant)).toEqual(['学员甲']);
    });
});

describe('the workshop progress with tokens', () => {
    let server: TestServer;
    beforeAll(async () => {
        server = await startTestServer({ requireTokens: true, webRoot: false });
    }, 120_000);
    afterAll(() => server?.close());

    it("records a participant under its token's participant (here its one identity), whatever name it sends; only the instructor lists everyone", async () => {
        const instructor = server.gateway.instructorToken;
        const issued = await server.call('POST', '/api/tokens', {
            token: instructor,
            body: { identity: 'MemberMSP:elder' },
        });
        const token = issued.body.token as string;
        // Step 1 of the time bank's lesson: the elder opens an account (or finds it open: E_EXISTS).
        const opened = await server.call('POST', '/api/timebank/registerAccount', { token, body: { args: {} } });
        const evidence = opened.body.txId
            ? { txId: opened.body.txId }
            : { contract: 'timebank', fn: 'registerAccount', code: opened.body.error.code };
        const recorded = await server.call('POST', '/api/workshop/progress', {
            token,
            body: { lesson: 'timebank', step: 1, participant: 'someone else', evidence },
        });
        expect(recorded.body.participant).toBe('MemberMSP:elder');
        expect((await server.call('GET', '/api/workshop/progress', { token })).status).toBe(403);
        expect((await server.call('GET', '/api/workshop/progress')).status).toBe(401);
        const listed = await server.call('GET', '/api/workshop/progress', { token: instructor });
        expect(listed.body.participants).toEqual([expect.objectContaining({ lessons: { timebank: [1] } })]);
        // Without a build, / leads to the API docs as before.
        const root = await fetch(`${server.url}/`, { redirect: 'manual' });
        expect(root.status).toBe(302);
        expect(root.headers.get('location')).toBe('/api/docs');
    });
});
