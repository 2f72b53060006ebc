import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../src';
import { call, startTestServer, type TestServer } from './support/server';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A raw request with a Host header of our choosing (fetch sets its own). */
function withHost(url: string, host: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
        const req = request(`${url}/api/health`, { headers: { Host: host } }, (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
    });
}

describe('a server bound beyond loopback: bearer tokens', () => {
    let server: TestServer;
    let url: string;
    let instructor: string;
    let learner: string;
    let other: string;
    const expired = `zhp_${'e'.repeat(43)}`;
    const height = async (): Promise<number> =>
        (await server.call('GET', '/api/explorer', { token: instructor })).body.height;
    const depositAs = (token: string, id: string, as?: string) =>
        server.call('POST', '/api/evidence/depositEvidence', {
            token,
            ...(as ? { as } : {}),
            body: { args: { evidenceId: id, hash: sha256(id), title: '聊天记录', type: 'chat-log', sizeBytes: 10 } },
        });

    beforeAll(async () => {
        server = await startTestServer({ host: '0.0.0.0', corsOrigins: ['https://ui.zhelian.example'] });
        url = server.url.replace('0.0.0.0', '127.0.0.1');
        server.call = (method, route, options) => call(url, method, route, options);
        instructor = server.gateway.instructorToken;
        for (const name of ['learner01', 'learner02']) {
            const enrolled = await server.call('POST', '/api/identities', {
                token: instructor,
                body: { mspId: 'MemberMSP', name, attrs: { role: 'party', unit: '当事人' } },
            });
            expect(enrolled.status).toBe(201);
            expect(JSON.stringify(enrolled.body)).not.toMatch(/PRIVATE KEY/);
        }
        const issue = async (identity: string) =>
            (await server.call('POST', '/api/tokens', { token: instructor, body: { identity, minutes: 60 } })).body
                .token as string;
        learner = await issue('MemberMSP:learner01');
        other = await issue('MemberMSP:learner02');
    });

    afterAll(async () => {
        await server?.close();
    });

    it('asks for tokens by default when not bound to loopback', () => {
        expect(server.gateway.requireTokens).toBe(true);
    });

    it('serves public routes without a token', async () => {
        expect((await server.call('GET', '/api/health')).status).toBe(200);
        const check = await server.call('GET', `/api/public/evidence/EV-NONE?hash=${sha256('x')}`);
        expect(check.body.error.code).toBe('E_NOT_FOUND');
    });

    it('refuses everything else without a token (401 TOKEN_REQUIRED)', async () => {
        for (const route of ['/api/identities', '/api/explorer', '/api/events/blocks']) {
            const answer = await server.call('GET', route);
            expect(answer.status).toBe(401);
            expect(answer.body.error.code).toBe('TOKEN_REQUIRED');
        }
        const naming = await depositAs('', 'EV-ACC-0000', 'MemberMSP:learner01');
        expect(naming.status).toBe(401);
    });

    it('refuses a forged token (401 INVALID_TOKEN), also on public routes, and changes nothing', async () => {
        const before = await height();
        const forged = await depositAs(`zhp_${'A'.repeat(43)}`, 'EV-ACC-0001');
        expect(forged.status).toBe(401);
        expect(forged.body.error.code).toBe('INVALID_TOKEN');
        expect((await server.call('GET', '/api/health', { token: 'forged' })).status).toBe(401);
        const malformed = await server.call('GET', '/api/identities', {
            headers: { Authorization: 'Basic bWFsbG9yeQ==' },
        });
        expect(malformed.body.error.code).toBe('BAD_AUTHORIZATION');
        expect(await height()).toBe(before);
    });

    it('acts as the identity a participant token is tied to', async () => {
        const me = await server.call('GET', '/api/identities/me', { token: learner });
        expect(me.body).toMatchObject({ mspId: 'MemberMSP', name: 'learner01', attrs: { role: 'party' } });
        expect(me.body.certificate).toMatch(/^-----BEGIN CERTIFICATE-----/);
        expect(JSON.stringify(me.body)).not.toMatch(/PRIVATE KEY/);

        const deposited = await depositAs(learner, 'EV-ACC-0002');
        expect(deposited.status).toBe(200);
        expect(deposited.body.result.depositor.id).toMatch(/CN=learner01/);
    });

    it("refuses a participant acting as someone else, with another's token or a header (403), changing nothing", async () => {
        const before = await height();
        const asOther = await depositAs(learner, 'EV-ACC-0003', 'MemberMSP:learner02');
        expect(asOther.status).toBe(403);
        expect(asOther.body.error.code).toBe('IDENTITY_MISMATCH');
        const asCourt = await depositAs(other, 'EV-ACC-0003', 'CourtMSP:hangzhou');
        expect(asCourt.status).toBe(403);
        expect(await height()).toBe(before);
    });

    it("keeps the instructor's powers to the instructor (403 INSTRUCTOR_ONLY)", async () => {
        const issue = await server.call('POST', '/api/tokens', {
            token: learner,
            body: { identity: 'CourtMSP:hangzhou' },
        });
        expect(issue.status).toBe(403);
        expect(issue.body.error.code).toBe('INSTRUCTOR_ONLY');
        const enroll = await server.call('POST', '/api/identities', {
            token: learner,
            body: { mspId: 'CourtMSP', name: 'fakejudge', attrs: { role: 'court', unit: '杭州互联网法院' } },
        });
        expect(enroll.status).toBe(403);
        const identities = (await server.call('GET', '/api/identities', { token: learner })).body.identities;
        expect(identities.map((identity: { name: string }) => identity.name)).not.toContain('fakejudge');
    });

    it('lets the instructor act as anyone it names', async () => {
        const answer = await depositAs(instructor, 'EV-ACC-0004', 'MemberMSP:litigant');
        expect(answer.status).toBe(200);
        const unnamed = await depositAs(instructor, 'EV-ACC-0005');
        expect(unnamed.body.error.code).toBe('IDENTITY_REQUIRED');
    });

    it('refuses a revoked token (401 INVALID_TOKEN)', async () => {
        const issued = (
            await server.call('POST', '/api/tokens', { token: instructor, body: { identity: 'MemberMSP:learner02' } })
        ).body;
        const listed = (await server.call('GET', '/api/tokens', { token: instructor })).body.tokens;
        expect(listed.map((token: { tokenId: string }) => token.tokenId)).toContain(issued.tokenId);
        expect(JSON.stringify(listed)).not.toContain(issued.token);
        expect((await server.call('DELETE', `/api/tokens/${issued.tokenId}`, { token: instructor })).status).toBe(200);
        const revoked = await server.call('GET', '/api/identities/me', { token: issued.token });
        expect(revoked.status).toBe(401);
        expect(revoked.body.error.code).toBe('INVALID_TOKEN');
    });

    it('answers CORS preflights for the configured origins only', async () => {
        const preflight = (origin: string) =>
            fetch(`${url}/api/identities`, {
                method: 'OPTIONS',
                headers: {
                    Origin: origin,
                    'Access-Control-Request-Method': 'GET',
                    'Access-Control-Request-Headers': 'authorization',
                },
            });
        expect((await preflight('https://ui.zhelian.example')).headers.get('access-control-allow-origin')).toBe(
            'https://ui.zhelian.example',
        );
        expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    });

    // Last: it restarts the gateway. Participant tokens survive a restart, as hashes in the data
    // dir; one whose time has passed is refused.
    it('refuses an expired token (401 TOKEN_EXPIRED), after a restart keeps the others', async () => {
        await server.gateway.close();
        const file = path.join(server.dataDir, 'gateway-tokens.json');
        const kept = JSON.parse(await readFile(file, 'utf8'));
        await writeFile(
            file,
            JSON.stringify([
                ...kept,
                {
                    tokenId: sha256(expired).slice(0, 12),
                    hash: sha256(expired),
                    identity: { mspId: 'MemberMSP', name: 'litigant' },
                    issuedAt: '2019-06-01T00:00:00.000Z',
                    expiresAt: '2019-06-01T08:00:00.000Z',
                },
            ]),
        );
        const restarted = await startGateway(server.backend, {
            port: 0,
            requireTokens: true,
            stateDir: server.dataDir,
            logger: pino({ level: 'silent' }),
        });
        try {
            const answer = await call(restarted.url, 'GET', '/api/identities/me', { token: expired });
            expect(answer.status).toBe(401);
            expect(answer.body.error.code).toBe('TOKEN_EXPIRED');
            const still = await call(restarted.url, 'GET', '/api/identities/me', { token: learner });
            expect(still.body.name).toBe('learner01');
            const newInstructor = await call(restarted.url, 'GET', '/api/tokens', { token: instructor });
            expect(newInstructor.body.error.code).toBe('INVALID_TOKEN');
        } finally {
            await restarted.close();
        }
    });
});

describe('a loopback server: a single-user lab', () => {
    let server: TestServer;

    beforeAll(async () => {
        server = await startTestServer({ publicRateLimit: 4 });
    });

    afterAll(async () => {
        await server?.close();
    });

    it('lets a caller name the identity it acts as, without a token', async () => {
        const me = await server.call('GET', '/api/identities/me', { as: 'CourtMSP:hangzhou' });
        expect(me.body).toMatchObject({ mspId: 'CourtMSP', name: 'hangzhou', attrs: { unit: '杭州互联网法院' } });
    });

    it("keeps the lifecycle and tokens to the instructor's token, on loopback too", async () => {
        for (const [method, route] of [
            ['GET', '/api/admin/lifecycle/committed'],
            ['POST', '/api/admin/rebuild'],
            ['GET', '/api/tokens'],
        ]) {
            const answer = await server.call(method, route, { as: 'RegulatorMSP:admin' });
            expect(answer.status).toBe(401);
            expect(answer.body.error.code).toBe('TOKEN_REQUIRED');
        }
        const committed = await server.call('GET', '/api/admin/lifecycle/committed', {
            token: server.gateway.instructorToken,
        });
        expect(committed.body.committed.map((chaincode: { name: string }) => chaincode.name)).toContain('zhelian');
    });

    it('answers only to loopback host names (DNS rebinding)', async () => {
        expect((await withHost(server.url, `localhost:${new URL(server.url).port}`)).status).toBe(200);
        const rebound = await withHost(server.url, 'attacker.example');
        expect(rebound.status).toBe(403);
        expect(JSON.parse(rebound.body).error.code).toBe('HOST_NOT_ALLOWED');
    });

    it('sends security headers and no CORS permission', async () => {
        const response = await fetch(`${server.url}/api/health`, { headers: { Origin: 'https://evil.example' } });
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
        expect(response.headers.get('access-control-allow-origin')).toBeNull();
        expect(response.headers.get('x-powered-by')).toBeNull();
    });

    it('rate-limits public routes (429 RATE_LIMITED)', async () => {
        const statuses = [];
        for (let i = 0; i < 6; i++) {
            statuses.push((await server.call('GET', '/api/public/tea/cakes/PE-2019-000001')).status);
        }
        expect(statuses.slice(0, 4)).not.toContain(429);
        expect(statuses.at(-1)).toBe(429);
        const limited = await server.call('GET', '/api/public/tea/cakes/PE-2019-000001');
        expect(limited.body.error.code).toBe('RATE_LIMITED');
        expect((await server.call('GET', '/api/identities')).status).toBe(200);
    });
});
