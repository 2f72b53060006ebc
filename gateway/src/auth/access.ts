import type { Request } from 'express';
import type { IdentityRef } from '@zhelian/api';
import { HttpError } from '../http/http-error';
import type { IdentityDirectory } from './identity-directory';
import type { TokenStore } from './tokens';

/**
 * Who may call a route:
 * - `public`: anyone, no identity (verification pages a QR code opens);
 * - `member`: anyone on a loopback server; with tokens, any valid token (explorer, events, lists);
 * - `manage`: anyone on a loopback server; with tokens, the instructor (enrolling participants);
 * - `identity`: acts as one identity, which signs the transaction: `X-Zhelian-Identity`, among
 *   the identities a participant token grants (its only one needs no header);
 * - `admin`: the instructor token, also on loopback (token issuing, chaincode lifecycle, rebuild:
 *   they act on the server's own files).
 */
export type Access = 'public' | 'member' | 'manage' | 'identity' | 'admin';

/** Who is calling, as the gateway established it. */
export type Caller =
    | { kind: 'guest' }
    | { kind: 'instructor' }
    | { kind: 'participant'; tokenId: string; participant: string; identities: IdentityRef[] };

export interface Authorized {
    caller: Caller;
    /** The identity the request acts as; present for `identity` routes. */
    identity?: IdentityRef;
}

export const IDENTITY_HEADER = 'x-zhelian-identity';

/** `MSP:user` as an identity reference. */
export function parseIdentity(text: string): IdentityRef | undefined {
    const match = /^([^:\s]+):([^:\s]+)$/.exec(text.trim());
    return match ? { mspId: match[1], name: match[2] } : undefined;
}

export const identityKey = (identity: IdentityRef): string => `${identity.mspId}:${identity.name}`;

/**
 * Decides who a request is and whether it may call a route. Bound to loopback (the default), a
 * caller names the identity it acts as; `requireTokens` (any other address) asks every
 * non-public request for a bearer token. A token that is presented is always checked: a forged
 * or expired one is refused even where none is needed.
 */
export class AccessControl {
    readonly #tokens: TokenStore;
    readonly #identities: IdentityDirectory;
    readonly requireTokens: boolean;

    constructor(tokens: TokenStore, identities: IdentityDirectory, requireTokens: boolean) {
        this.#tokens = tokens;
        this.#identities = identities;
        this.requireTokens = requireTokens;
    }

    async authorize(req: Request, access: Access, options: { tokenInQuery?: boolean } = {}): Promise<Authorized> {
        const caller = this.#caller(req, options.tokenInQuery ?? false);
        switch (access) {
            case 'public':
                return { caller };
            case 'member':
                this.#requireToken(caller);
                return { caller };
            case 'manage':
                if (this.requireTokens) {
                    this.#requireInstructor(caller);
                }
                return { caller };
            case 'admin':
                this.#requireInstructor(caller);
                return { caller };
            case 'identity':
                this.#requireToken(caller);
                return { caller, identity: await this.#actingIdentity(req, caller) };
        }
    }

    #caller(req: Request, tokenInQuery: boolean): Caller {
        const header = req.get('authorization');
        let token: string | undefined;
        if (header !== undefined) {
            const match = /^Bearer\s+(\S+)$/i.exec(header);
            if (!match) {
                throw new HttpError(401, 'BAD_AUTHORIZATION', 'Authorization must be "Bearer <token>"');
            }
            token = match[1];
        } else if (tokenInQuery && typeof req.query.access_token === 'string') {
            token = req.query.access_token;
        }
        if (token === undefined) {
            return { kind: 'guest' };
        }
        const check = this.#tokens.check(token);
        switch (check.kind) {
            case 'instructor':
                return { kind: 'instructor' };
            case 'participant':
                return {
                    kind: 'participant',
                    tokenId: check.token.tokenId,
                    participant: check.token.participant,
                    identities: check.token.identities,
                };
            case 'expired':
                throw new HttpError(
                    401,
                    'TOKEN_EXPIRED',
                    `this token expired at ${check.token.expiresAt}; ask the instructor for a new one`,
                );
            case 'unknown':
                throw new HttpError(401, 'INVALID_TOKEN', 'this token was not issued by this server, or was revoked');
        }
    }

    #requireToken(caller: Caller): void {
        if (this.requireTokens && caller.kind === 'guest') {
            throw new HttpError(
                401,
                'TOKEN_REQUIRED',
                'this server is open to the network: send "Authorization: Bearer <token>" (the instructor issues tokens)',
            );
        }
    }

    #requireInstructor(caller: Caller): void {
        if (caller.kind === 'guest') {
            throw new HttpError(
                401,
                'TOKEN_REQUIRED',
                "this needs the instructor's token (printed at start, and in the data dir's gateway.json)",
            );
        }
        if (caller.kind !== 'instructor') {
            throw new HttpError(403, 'INSTRUCTOR_ONLY', 'only the instructor may do this');
        }
    }

    async #actingIdentity(req: Request, caller: Caller): Promise<IdentityRef> {
        const header = req.get(IDENTITY_HEADER);
        const named = header === undefined ? undefined : parseIdentity(header);
        if (header !== undefined && !named) {
            throw new HttpError(
                400,
                'BAD_IDENTITY',
                `X-Zhelian-Identity must be MSP:user, not ${JSON.stringify(header)}`,
            );
        }
        if (caller.kind === 'participant') {
            const own = caller.identities.map(identityKey);
            if (!named && own.length === 1) {
                return caller.identities[0];
            }
            if (!named) {
                throw new HttpError(
                    401,
                    'IDENTITY_REQUIRED',
                    `name the identity to act as: X-Zhelian-Identity, one of ${own.join(', ')} (GET /api/identities lists them)`,
                );
            }
            if (!own.includes(identityKey(named))) {
                throw new HttpError(
                    403,
                    'IDENTITY_MISMATCH',
                    `this token acts as ${caller.participant}'s identities only (${own.join(', ')}), not ${identityKey(named)}`,
                );
            }
            return named;
        }
        if (!named) {
            throw new HttpError(
                401,
                'IDENTITY_REQUIRED',
                'name the identity to act as: X-Zhelian-Identity: MSP:user (GET /api/identities lists them)',
            );
        }
        if (!(await this.#identities.has(named))) {
            throw new HttpError(
                401,
                'UNKNOWN_IDENTITY',
                `the network has no identity ${identityKey(named)} (GET /api/identities lists them)`,
            );
        }
        return named;
    }
}
