import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Team play with tokens: a participant's token grants the participant identities of its own, one
 * per role the lessons act as, enrolled when the token is issued. The token says which of them
 * its holder may act as; what each may do is its certificate's. A participant's progress is
 * recorded only with evidence the gateway checks: its own transaction on the ledger, a call the
 * gateway answered it, its own chain verification.
 */
describe("a participant's token: the participant's own identities, and progress with evidence", () => {
    let server: TestServer;
    let instructor: string;
    let alice: string;
    let bob: string;
    let aliceIdentities: { mspId: string; name: string; actsFor: string }[];
    const deposit = (token: string, as: string | undefined, id: string) =>
        server.call('POST', '/api/evidence/depositEvidence', {
            token,
            ...(as ? { as } : {}),
            body: { args: { evidenceId: id, hash: sha256(id), title: '聊天记录', type: 'chat-log', sizeBytes: 10 } },
        });
    const height = async (): Promise<number> =>
        (await server.call('GET', '/api/explorer', { token: instructor })).body.height;
    const record = (token: string, step: number, evidence?: unknown) =>
        server.call('POST', '/api/workshop/progress', {
            token,
            body: { lesson: 'evidence', step, ...(evidence ? { evidence } : {}) },
        });

    beforeAll(async () => {
        server = await startTestServer({ requireTokens: true, webRoot: false });
        instructor = server.gateway.instructorToken;
        const issue = (participant: string) =>
            server.call('POST', '/api/tokens', { token: instructor, body: { participant, minutes: 60 } });
        const first = await issue('alice');
        expect(first.status).toBe(201);
        alice = first.body.token;
        aliceIdentities = first.body.identities;
        bob = (await issue('bob')).body.token;
    }, 120_000);
    afterAll(() => server?.close());

    it('enrolls one identity per role for the participant, with that role’s attributes, and reuses them for a second token', async () => {
        expect(aliceIdentities).toContainEqual({ mspId: 'MemberMSP', name: 'alice.zheyi', actsFor: 'MemberMSP:zheyi' });
        expect(aliceIdentities).toContainEqual({
            mspId: 'RegulatorMSP',
            name: 'alice.notary',
            actsFor: 'RegulatorMSP:notary',
        });
        expect(aliceIdentities.every((identity) => identity.name.startsWith('alice.'))).toBe(true);
        expect(aliceIdentities.map((identity) => identity.actsFor)).not.toContain('MemberMSP:admin');
        const me = await server.call('GET', '/api/identities/me', { token: alice, as: 'MemberMSP:alice.zheyi' });
        const zheyi = (await server.call('GET', '/api/identities', { token: instructor })).body.identities.find(
            (identity: { name: string }) => identity.name === 'zheyi',
        );
        expect(me.body.attrs).toMatchObject({
            role: zheyi.attrs.role,
            unit: zheyi.attrs.unit,
            participant: 'alice',
            // Fabric CA's own attribute, where the network's CA writes it (the embedded ledger's does).
            ...('hf.EnrollmentID' in zheyi.attrs ? { 'hf.EnrollmentID': 'alice.zheyi' } : {}),
        });

        const again = await server.call('POST', '/api/tokens', {
            token: instructor,
            body: { participant: 'alice', minutes: 60 },
        });
        expect(again.status).toBe(201);
        expect(again.body.identities).toEqual(aliceIdentities);
        expect(again.body.token).not.toBe(alice);
    });

    it('lists only the participant’s own identities to it, and hides the teams from everyone else', async () => {
        const mine = (await server.call('GET', '/api/identities', { token: alice })).body.identities;
        expect(mine.map((identity: { name: string }) => identity.name).sort()).toEqual(
            aliceIdentities.map((identity) => identity.name).sort(),
        );
        expect(mine.find((identity: { name: string }) => identity.name === 'alice.patient')).toMatchObject({
            actsFor: 'MemberMSP:patient',
            attrs: { role: 'patient', participant: 'alice' },
        });
        const theirs = (await server.call('GET', '/api/identities', { token: instructor })).body.identities;
        expect(theirs.some((identity: { name: string }) => identity.name.includes('.'))).toBe(false);
    });

    it('acts as one of the participant’s identities, signing with its certificate', async () => {
        const done = await deposit(alice, 'MemberMSP:alice.litigant', 'EV-TEAM-0001');
        expect(done.status).toBe(200);
        expect(done.body.result.depositor.id).toMatch(/CN=alice\.litigant/);
    });

    it("refuses a participant acting as another participant's identity or the network's (403), or naming none (401), changing nothing", async () => {
        const before = await height();
        for (const as of ['MemberMSP:bob.litigant', 'MemberMSP:litigant']) {
            const refused = await deposit(alice, as, 'EV-TEAM-0002');
            expect(refused.status).toBe(403);
            expect(refused.body.error).toMatchObject({
                code: 'IDENTITY_MISMATCH',
                message: expect.stringContaining(`not ${as}`),
            });
        }
        const unnamed = await deposit(alice, undefined, 'EV-TEAM-0002');
        expect(unnamed.status).toBe(401);
        expect(unnamed.body.error.code).toBe('IDENTITY_REQUIRED');
        const issue = await server.call('POST', '/api/tokens', { token: alice, body: { participant: 'mallory' } });
        expect(issue.status).toBe(403);
        expect(issue.body.error.code).toBe('INSTRUCTOR_ONLY');
        expect(await height()).toBe(before);
    });

    it('refuses a bad participant name, or both a participant and an identity, with nothing enrolled', async () => {
        const count = async () => (await server.backend.identities()).length;
        const before = await count();
        for (const body of [
            { participant: 'a b' },
            { participant: 'x'.repeat(25) },
            { participant: 'carol', identity: 'MemberMSP:zheyi' },
            {},
        ]) {
            const refused = await server.call('POST', '/api/tokens', { token: instructor, body });
            expect(refused.status, JSON.stringify(body)).toBe(400);
        }
        expect(await count()).toBe(before);
    });

    it('records a step only with evidence the gateway checks: its own transaction, its own call, its own verification', async () => {
        const own = await deposit(alice, 'MemberMSP:alice.litigant', 'EV-TEAM-0003');
        const bobs = await deposit(bob, 'MemberMSP:bob.litigant', 'EV-TEAM-0004');
        expect((await record(alice, 0)).body.error.code).toBe('EVIDENCE_REQUIRED');
        const recorded = await record(alice, 0, { txId: own.body.txId });
        expect(recorded.status).toBe(200);
        expect(recorded.body).toMatchObject({ participant: 'alice', lessons: { evidence: [0] } });
        const notHers = await record(alice, 1, { txId: bobs.body.txId });
        expect(notHers.status).toBe(403);
        expect(notHers.body.error.code).toBe('EVIDENCE_NOT_YOURS');
        expect((await record(alice, 1, { txId: 'f'.repeat(64) })).body.error.code).toBe('EVIDENCE_NOT_FOUND');

        // A refusal leaves nothing on the ledger: the gateway remembers what it answered whom.
        const again = await deposit(alice, 'MemberMSP:alice.litigant', 'EV-TEAM-0003');
        expect(again.body.error.code).toBe('E_EXISTS');
        const refusal = { contract: 'evidence', fn: 'depositEvidence', code: 'E_EXISTS' };
        expect((await record(alice, 2, refusal)).status).toBe(200);
        expect((await record(bob, 2, refusal)).body.error.code).toBe('EVIDENCE_NOT_FOUND');

        expect((await record(bob, 3, { verification: 'intact' })).body.error.code).toBe('EVIDENCE_NOT_FOUND');
        await server.call('GET', '/api/explorer/verify', { token: bob });
        expect((await record(bob, 3, { verification: 'intact' })).status).toBe(200);
        expect((await record(bob, 4, { verification: 'tampered' })).body.error.message).toMatch(
            /the instructor has not changed a block/,
        );

        const listed = (await server.call('GET', '/api/workshop/progress', { token: instructor })).body.participants;
        expect(listed).toEqual([
            expect.objectContaining({ participant: 'alice', lessons: { evidence: [0, 2] } }),
            expect.objectContaining({ participant: 'bob', lessons: { evidence: [3] } }),
        ]);
    });
});
