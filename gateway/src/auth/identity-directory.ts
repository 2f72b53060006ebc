import type { EnrollOptions, IdentityInfo, IdentityRef, LedgerBackend } from '@zhelian/api';
import { identityKey } from './access';

/**
 * The identities a caller may act as, as the backend lists them, cached: a request names one in a
 * header, and asking the backend every time would cost each request a listing. The cache is
 * refreshed when a name is missing (another program may have enrolled it) and after an enrolment.
 */
export class IdentityDirectory {
    readonly #backend: LedgerBackend;
    #byKey: Map<string, IdentityInfo> | undefined;

    constructor(backend: LedgerBackend) {
        this.#backend = backend;
    }

    async list(): Promise<IdentityInfo[]> {
        return [...(await this.#load(false)).values()];
    }

    async has(identity: IdentityRef): Promise<boolean> {
        const key = identityKey(identity);
        return (await this.#load(false)).has(key) || (await this.#load(true)).has(key);
    }

    async get(identity: IdentityRef): Promise<IdentityInfo | undefined> {
        return (await this.has(identity)) ? this.#byKey?.get(identityKey(identity)) : undefined;
    }

    async enroll(mspId: string, name: string, options: EnrollOptions): Promise<IdentityInfo> {
        const enrolled = await this.#backend.enroll(mspId, name, options);
        await this.#load(true);
        return enrolled;
    }

    async #load(refresh: boolean): Promise<Map<string, IdentityInfo>> {
        if (!this.#byKey || refresh) {
            const identities = await this.#backend.identities();
            this.#byKey = new Map(identities.map((identity) => [identityKey(identity), identity]));
        }
        return this.#byKey;
    }
}
