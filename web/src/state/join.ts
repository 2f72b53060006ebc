import { ApiFailure, authHeaders } from '../api/client';
import { session } from './session';

/**
 * Tries a token: a participant's acts as the identity it is tied to (`/api/identities/me` answers
 * it); the instructor's acts as any identity and may list tokens.
 */
export async function joinWithToken(token: string): Promise<void> {
    session.token = token;
    session.tokenKind = 'none';
    const me = await fetch('/api/identities/me', { headers: authHeaders(false) });
    if (me.ok) {
        const identity = (await me.json()) as { mspId: string; name: string };
        session.tokenKind = 'participant';
        session.identity = `${identity.mspId}:${identity.name}`;
        session.participant = session.identity;
        return;
    }
    const tokens = await fetch('/api/tokens', { headers: authHeaders(false) });
    if (tokens.ok) {
        session.tokenKind = 'instructor';
        return;
    }
    const body = (await tokens.json().catch(() => ({}))) as { error?: { code: string; message: string } };
    throw new ApiFailure(tokens.status, body.error ?? { code: `HTTP_${tokens.status}`, message: 'token refused' });
}
