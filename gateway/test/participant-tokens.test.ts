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
    const record = (token: string, step: number, evidence?: unknown, lesson = 'evidence') =>
        server.call('POST', '/api/workshop/progress', {
            token,
            body: { lesson, step, ...(evidence ? { evidence } : {}) },
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
        const notHers = await record(alice, 0, { txId: bobs.body.txId });
        expect(notHers.status).toBe(403);
        expect(notHers.body.error.code).toBe('EVIDENCE_NOT_YOURS');
        expect((await record(alice, 0, { txId: 'f'.repeat(64) })).body.error.code).toBe('EVIDENCE_NOT_FOUND');

        // A refusal leaves nothing on the ledger: the gateway remembers what it answered whom.
        // Step 4 (partyAdvance): a litigant tries to advance a case, which only a court may do.
        const forbidden = await server.call('POST', '/api/evidence/advanceCase', {
            token: alice,
            as: 'MemberMSP:alice.litigant',
            body: { args: { caseId: '(2026)浙0192民初1号', stage: 'ACCEPTED' } },
        });
        expect(forbidden.body.error.code).toBe('E_FORBIDDEN');
        const refusal = { contract: 'evidence', fn: 'advanceCase', code: 'E_FORBIDDEN' };
        expect((await record(alice, 4, refusal)).status).toBe(200);
        expect((await record(bob, 4, refusal)).body.error.code).toBe('EVIDENCE_NOT_FOUND');

        expect((await record(bob, 10, { verification: 'intact' }, 'fabric')).body.error.code).toBe(
            'EVIDENCE_NOT_FOUND',
        );
        await server.call('GET', '/api/explorer/verify', { token: bob });
        expect((await record(bob, 10, { verification: 'intact' }, 'fabric')).status).toBe(200);
        expect((await record(bob, 11, { verification: 'tampered' }, 'fabric')).body.error.message).toMatch(
            /the instructor has not changed a block/,
        );

        const listed = (await server.call('GET', '/api/workshop/progress', { token: instructor })).body.participants;
        expect(listed).toEqual([
            expect.objectContaining({ participant: 'alice', lessons: { evidence: [0, 4] } }),
            expect.objectContaining({ participant: 'bob', lessons: { fabric: [10] } }),
        ]);
    });

    it('refuses evidence that is not what the step asks (another function, outcome, refusal or role), 422 EVIDENCE_WRONG_KIND, recording nothing', async () => {
        const before = (await server.call('GET', '/api/workshop/progress/me', { token: alice })).body.lessons;
        const wrongKind = async (lesson: string, step: number, evidence: unknown, says: RegExp) => {
            const refused = await record(alice, step, evidence, lesson);
            expect(refused.status, `${lesson} ${step} ${JSON.stringify(evidence)}`).toBe(422);
            expect(refused.body.error).toMatchObject({ code: 'EVIDENCE_WRONG_KIND', field: 'evidence' });
            expect(refused.body.error.message).toMatch(says);
        };
        // Her own valid evidence:depositEvidence, shown for step 1 (openCase): another function.
        const own = await deposit(alice, 'MemberMSP:alice.litigant', 'EV-TEAM-0005');
        await wrongKind(
            'evidence',
            1,
            { txId: own.body.txId },
            new RegExp(
                `^transaction ${own.body.txId} is ${server.chaincode} evidence:depositEvidence with validation code VALID: step 1 \\(open\\) of lesson evidence asks for a transaction of ${server.chaincode} evidence:openCase on the ledger with validation code VALID$`,
            ),
        );
        // The endorsement-policy step asks for an invalid transaction: a valid one of the same function is not it…
        await wrongKind(
            'fabric',
            0,
            { txId: own.body.txId },
            /asks for .* validation code ENDORSEMENT_POLICY_FAILURE$/,
        );
        // …and the invalid one is not a valid one.
        const oneOrg = await server.call('POST', `/api/chaincode/${server.chaincode}/evidence:depositEvidence`, {
            token: alice,
            as: 'MemberMSP:alice.litigant',
            body: {
                args: ['EV-TEAM-0006', sha256('EV-TEAM-0006'), '背书策略实验', 'text/plain', 1],
                endorsingOrganizations: ['MemberMSP'],
            },
        });
        expect(oneOrg.body.error).toMatchObject({ code: 'ENDORSEMENT_POLICY_FAILURE' });
        const invalid = { txId: oneOrg.body.error.transactionId };
        await wrongKind('fabric', 1, invalid, /with validation code ENDORSEMENT_POLICY_FAILURE: step 1 \(majority\)/);
        expect((await record(alice, 0, invalid, 'fabric')).status).toBe(200);

        // An evaluation of a transaction that a step must commit: simulated, never on the ledger.
        const simulated = await server.call('POST', `/api/chaincode/${server.chaincode}/evidence:depositEvidence`, {
            token: alice,
            as: 'MemberMSP:alice.litigant',
            body: { args: ['EV-TEAM-0007', sha256('EV-TEAM-0007'), '模拟', 'text/plain', 1], submit: false },
        });
        expect(simulated.status).toBe(200);
        await wrongKind(
            'evidence',
            0,
            { contract: 'evidence', fn: 'depositEvidence' },
            /^the call shown is evidence:depositEvidence answered: step 0 \(deposit\) of lesson evidence asks for a transaction/,
        );
        // A refusal of another kind than the step's (E_EXISTS for the litigant's attempt to advance a case).
        expect((await deposit(alice, 'MemberMSP:alice.litigant', 'EV-TEAM-0005')).body.error.code).toBe('E_EXISTS');
        await wrongKind(
            'evidence',
            4,
            { contract: 'evidence', fn: 'depositEvidence', code: 'E_EXISTS' },
            /asks for evidence:advanceCase refused with E_FORBIDDEN$/,
        );
        // A verification for a transaction step.
        await wrongKind('evidence', 3, { verification: 'intact' }, /^the evidence shown is a verification/);
        // The right function as another role: the elder's account for the station's step.
        const elder = await server.call('POST', '/api/timebank/registerAccount', {
            token: alice,
            as: 'MemberMSP:alice.elder',
            body: { args: {} },
        });
        expect(elder.status).toBe(200);
        await wrongKind(
            'timebank',
            0,
            { txId: elder.body.txId },
            /signed by MemberMSP:alice\.elder: step 0 \(openStation\) of lesson timebank acts as MemberMSP:station, which is MemberMSP:alice\.station for alice$/,
        );
        expect((await record(alice, 1, { txId: elder.body.txId }, 'timebank')).status).toBe(200);
        // The same for an evaluation: the elder's whoami is not the volunteer's.
        expect(
            (await server.call('GET', '/api/timebank/whoami', { token: alice, as: 'MemberMSP:alice.elder' })).status,
        ).toBe(200);
        await wrongKind(
            'timebank',
            5,
            { contract: 'timebank', fn: 'whoami' },
            /not made as MemberMSP:alice\.volunteer1: step 5 \(volunteerId\) of lesson timebank acts as MemberMSP:volunteer1$/,
        );
        expect((await record(alice, 3, { contract: 'timebank', fn: 'whoami' }, 'timebank')).status).toBe(200);

        const after = (await server.call('GET', '/api/workshop/progress/me', { token: alice })).body.lessons;
        expect(after).toEqual({ ...before, fabric: [0], timebank: [1, 3] });
    });

    it('refuses a step that no lesson has, with nothing recorded', async () => {
        const own = await deposit(alice, 'MemberMSP:alice.litigant', 'EV-TEAM-0008');
        for (const [lesson, step] of [
            ['evidence', 8],
            ['chemistry', 0],
        ] as const) {
            const refused = await record(alice, step, { txId: own.body.txId }, lesson);
            expect(refused.status).toBe(400);
            expect(refused.body.error).toMatchObject({ code: 'UNKNOWN_STEP', field: 'step' });
        }
    });
});
