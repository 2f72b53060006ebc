import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { IdentityRef } from '@zhelian/api';

/** A participant token as the instructor sees it: never the token itself, which only its holder has. */
export interface ParticipantToken {
    /** Names the token for listing and revoking: the first 12 hex digits of its hash. */
    tokenId: string;
    /** Who holds it: the name the instructor gave (a team of identities), or the one identity's `MSP:user`. */
    participant: string;
    /** The identities it may act as: the participant's own, one per role, or the one it was issued for. */
    identities: IdentityRef[];
    issuedAt: string;
    expiresAt: string;
}

export interface IssuedToken extends ParticipantToken {
    /** The bearer token: shown once, to give to the participant. */
    token: string;
}

/** Who a bearer token names: the instructor, a participant acting as one identity, or nobody. */
export type TokenCheck =
    | { kind: 'instructor' }
    | { kind: 'participant'; token: ParticipantToken }
    | { kind: 'expired'; token: ParticipantToken }
    | { kind: 'unknown' };

interface StoredToken extends ParticipantToken {
    /** Hex SHA-256 of the token: the store never holds a usable token. */
    hash: string;
}

/** A token as files written before teams were kept it: one identity, no participant name. */
type EarlierToken = Omit<StoredToken, 'participant' | 'identities'> & { identity: IdentityRef };

const current = (stored: StoredToken | EarlierToken): StoredToken =>
    'identity' in stored
        ? {
              tokenId: stored.tokenId,
              hash: stored.hash,
              participant: `${stored.identity.mspId}:${stored.identity.name}`,
              identities: [stored.identity],
              issuedAt: stored.issuedAt,
              expiresAt: stored.expiresAt,
          }
        : stored;

const withoutHash = (stored: StoredToken): ParticipantToken => ({
    tokenId: stored.tokenId,
    participant: stored.participant,
    identities: stored.identities.map((identity) => ({ mspId: identity.mspId, name: identity.name })),
    issuedAt: stored.issuedAt,
    expiresAt: stored.expiresAt,
});

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const newToken = (prefix: string): string => `${prefix}_${randomBytes(32).toString('base64url')}`;

/**
 * Bearer tokens: opaque random strings, checked against hashes the server keeps. The instructor
 * token is new at every start (the server prints it and writes it, readable by its user only, to
 * the data dir); participant tokens are issued by the instructor, each tied to a participant and
 * the identities it may act as (its own team, one per role, or one identity), and kept as hashes
 * in a file (mode 0600) so that they survive a restart until they expire or are revoked. The
 * identities' certificates and keys stay on the server.
 *
 * ```ts
 * const tokens = await TokenStore.open('.zhelian/gateway-tokens.json');
 * const issued = await tokens.issue('MemberMSP:learner01', [{ mspId: 'MemberMSP', name: 'learner01' }], 240);
 * tokens.check(issued.token); // { kind: 'participant', token: { participant: …, identities: […], … } }
 * ```
 */
export class TokenStore {
    readonly instructorToken: string;
    readonly #instructorHash: Buffer;
    readonly #file: string | undefined;
    readonly #tokens: Map<string, StoredToken>;
    readonly #now: () => number;

    private constructor(file: string | undefined, tokens: StoredToken[], now: () => number) {
        this.instructorToken = newToken('zhi');
        this.#instructorHash = Buffer.from(sha256(this.instructorToken), 'hex');
        this.#file = file;
        this.#tokens = new Map(tokens.map((token) => [token.hash, token]));
        this.#now = now;
    }

    /** Opens the store kept in `file` (none: tokens live as long as the server). */
    static async open(file?: string, now: () => number = Date.now): Promise<TokenStore> {
        let stored: StoredToken[] = [];
        if (file) {
            try {
                stored = (JSON.parse(await readFile(file, 'utf8')) as (StoredToken | EarlierToken)[]).map(current);
            } catch (err) {
                if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
                    throw err;
                }
            }
        }
        return new TokenStore(file, stored, now);
    }

    check(token: string): TokenCheck {
        const hash = sha256(token);
        if (timingSafeEqual(Buffer.from(hash, 'hex'), this.#instructorHash)) {
            return { kind: 'instructor' };
        }
        const stored = this.#tokens.get(hash);
        if (!stored) {
            return { kind: 'unknown' };
        }
        const participant = withoutHash(stored);
        return Date.parse(stored.expiresAt) <= this.#now()
            ? { kind: 'expired', token: participant }
            : { kind: 'participant', token: participant };
    }

    async issue(participant: string, identities: readonly IdentityRef[], minutes: number): Promise<IssuedToken> {
        const token = newToken('zhp');
        const hash = sha256(token);
        const now = this.#now();
        const stored: StoredToken = {
            tokenId: hash.slice(0, 12),
            hash,
            participant,
            identities: identities.map((identity) => ({ mspId: identity.mspId, name: identity.name })),
            issuedAt: new Date(now).toISOString(),
            expiresAt: new Date(now + minutes * 60_000).toISOString(),
        };
        this.#tokens.set(hash, stored);
        await this.#save();
        return { ...withoutHash(stored), token };
    }

    /** Tokens not yet expired. */
    list(): ParticipantToken[] {
        return [...this.#tokens.values()].filter((token) => Date.parse(token.expiresAt) > this.#now()).map(withoutHash);
    }

    /** Revokes a token by its id; false when there is none. */
    async revoke(tokenId: string): Promise<boolean> {
        const entry = [...this.#tokens.values()].find((token) => token.tokenId === tokenId);
        if (!entry) {
            return false;
        }
        this.#tokens.delete(entry.hash);
        await this.#save();
        return true;
    }

    /** Writes the live tokens (expired ones are dropped) to a temporary file, then renames it. */
    async #save(): Promise<void> {
        if (!this.#file) {
            return;
        }
        const live = [...this.#tokens.values()].filter((token) => Date.parse(token.expiresAt) > this.#now());
        await mkdir(path.dirname(this.#file), { recursive: true });
        const temporary = `${this.#file}.${process.pid}.tmp`;
        await writeFile(temporary, JSON.stringify(live, null, 2), { mode: 0o600 });
        await rename(temporary, this.#file);
    }
}
