import type { IdentityRef } from '@zhelian/api';
import { type Caller, identityKey } from '../auth/access';
import { httpErrorOf } from '../http/ledger-errors';

/** A chaincode call the gateway answered for a participant: `code` when it was refused. */
export interface ParticipantCall {
    /** The identity it acted as, `MSP:user`. */
    identity: string;
    chaincode: string;
    /** The contract named, `''` for the chaincode's default one. */
    contract: string;
    fn: string;
    code?: string;
    at: string;
}

/** Which call is made, as whom. */
export interface TrackedCall {
    identity: IdentityRef;
    chaincode: string;
    contract: string | undefined;
    fn: string;
}

/** A chain verification a participant ran, and the blocks it named. */
export interface ParticipantVerification {
    ok: boolean;
    blocks: number[];
    at: string;
}

const KEEP = 500;

/**
 * What the gateway itself answered each participant with a token: chaincode calls (answered or
 * refused, with the code) and chain verifications. A lesson step that left nothing on the ledger
 * — an evaluation, a refusal, a verification — is recorded only when its evidence is here, so that
 * a participant's progress is what the server saw, not what a browser says. Kept in memory, the
 * last 500 of each per participant: a workshop lasts as long as its server.
 */
export class ParticipantActivity {
    readonly #calls = new Map<string, ParticipantCall[]>();
    readonly #verifications = new Map<string, ParticipantVerification[]>();

    /** Runs a chaincode call for `caller`, and keeps its outcome when the caller is a participant. */
    async track<T>(caller: Caller, tracked: TrackedCall, call: () => Promise<T>): Promise<T> {
        const keep = (code?: string) => {
            if (caller.kind === 'participant') {
                remember(this.#calls, caller.participant, {
                    identity: identityKey(tracked.identity),
                    chaincode: tracked.chaincode,
                    contract: tracked.contract ?? '',
                    fn: tracked.fn,
                    ...(code ? { code } : {}),
                    at: new Date().toISOString(),
                });
            }
        };
        try {
            const answer = await call();
            keep();
            return answer;
        } catch (err) {
            // The code the caller is answered with: the chaincode's E_…, a validation code's name, …
            keep(httpErrorOf(err).code);
            throw err;
        }
    }

    recordVerification(caller: Caller, verification: { ok: boolean; problems: { blockNumber: number }[] }): void {
        if (caller.kind === 'participant') {
            remember(this.#verifications, caller.participant, {
                ok: verification.ok,
                blocks: verification.problems.map((problem) => problem.blockNumber),
                at: new Date().toISOString(),
            });
        }
    }

    calls(participant: string): readonly ParticipantCall[] {
        return this.#calls.get(participant) ?? [];
    }

    verifications(participant: string): readonly ParticipantVerification[] {
        return this.#verifications.get(participant) ?? [];
    }
}

function remember<T>(map: Map<string, T[]>, participant: string, entry: T): void {
    const entries = map.get(participant) ?? [];
    entries.push(entry);
    if (entries.length > KEEP) {
        entries.splice(0, entries.length - KEEP);
    }
    map.set(participant, entries);
}
