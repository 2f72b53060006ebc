import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenStore } from './tokens';

describe('bearer tokens', () => {
    let dir: string;
    let now: number;
    const clock = () => now;

    beforeEach(async () => {
        dir = await mkdtemp(path.join(tmpdir(), 'zhelian-tokens-'));
        now = Date.parse('2026-05-01T08:00:00Z');
    });

    afterEach(async () => {
        await rm(dir, { recursive: true, force: true });
    });

    it('ties a participant token to its participant and identities until it expires', async () => {
        const store = await TokenStore.open(path.join(dir, 'tokens.json'), clock);
        const team = [
            { mspId: 'MemberMSP', name: 'alice.zheyi' },
            { mspId: 'RegulatorMSP', name: 'alice.finance' },
        ];
        const issued = await store.issue('alice', team, 60);
        expect(store.check(issued.token)).toMatchObject({
            kind: 'participant',
            token: { participant: 'alice', identities: team },
        });
        now += 60 * 60_000;
        expect(store.check(issued.token).kind).toBe('expired');
        expect(store.list()).toEqual([]);
    });

    it('knows the instructor token and nothing it did not issue', async () => {
        const store = await TokenStore.open(undefined, clock);
        expect(store.check(store.instructorToken).kind).toBe('instructor');
        expect(store.check(`${store.instructorToken}x`).kind).toBe('unknown');
        expect(store.check('').kind).toBe('unknown');
    });

    it('keeps hashes only, readable by its user only, across a restart; a new start has a new instructor token', async () => {
        const file = path.join(dir, 'tokens.json');
        const first = await TokenStore.open(file, clock);
        const issued = await first.issue('MemberMSP:learner01', [{ mspId: 'MemberMSP', name: 'learner01' }], 60);
        const content = await readFile(file, 'utf8');
        expect(content).not.toContain(issued.token);
        expect((await stat(file)).mode & 0o777).toBe(0o600);

        const second = await TokenStore.open(file, clock);
        expect(second.check(issued.token).kind).toBe('participant');
        expect(second.check(first.instructorToken).kind).toBe('unknown');
        expect(await second.revoke(issued.tokenId)).toBe(true);
        expect((await TokenStore.open(file, clock)).check(issued.token).kind).toBe('unknown');
    });

    it('reads a token file written before teams: one identity, which names its participant', async () => {
        const file = path.join(dir, 'tokens.json');
        const token = 'zhp_earlier';
        const hash = createHash('sha256').update(token).digest('hex');
        await writeFile(
            file,
            JSON.stringify([
                {
                    tokenId: hash.slice(0, 12),
                    hash,
                    identity: { mspId: 'MemberMSP', name: 'elder' },
                    issuedAt: '2026-05-01T07:00:00.000Z',
                    expiresAt: '2026-05-01T09:00:00.000Z',
                },
            ]),
        );
        expect((await TokenStore.open(file, clock)).check(token)).toMatchObject({
            kind: 'participant',
            token: { participant: 'MemberMSP:elder', identities: [{ mspId: 'MemberMSP', name: 'elder' }] },
        });
    });
});
