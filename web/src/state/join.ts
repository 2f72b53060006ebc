import { ApiFailure, authHeaders } from '../api/client';
import { session } from './session';

/**
 * Tries a token: the instructor's acts as any identity and may list tokens; a participant's acts
 * as the participant's own identities (`/api/identities` lists them, with the participant's name).
 */
export async function joinWithToken(token: string): Promise<void> {
    session.token = token;
    session.tokenKind = 'none';
    const tokens = await fetch('/api/tokens', { headers: authHeaders(false) });
    if (tokens.ok) {
        session.tokenKind = 'instructor';
        return;
    }
    const mine = await fetch('/api/identities', { headers: authHeaders(false) });
    if (tokens.status === 403 && mine.ok) {
        const listed = (await mine.json()) as { participant?: string; identities: { mspId: string; name: string }[] };
        session.tokenKind = 'participant';
        session.participant = listed.participant ?? '';
        const [first] = listed.identities;
        session.identity = first ? `${first.mspId}:${first.name}` : '';
        return;
    }
    const body = (await tokens.json().catch(() => ({}))) as { error?: { code: string; message: string } };
    throw new ApiFailure(tokens.status, body.error ?? { code: `HTTP_${tokens.status}`, message: 'token refused' });
}
