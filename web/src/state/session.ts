import { reactive, watch } from 'vue';

/** How this browser acts: the language, the identity it names, a token where the server wants one. */
export interface Session {
    locale: 'zh-CN' | 'en';
    /** `MSP:user`, sent as X-Zhelian-Identity (loopback, or with the instructor token). */
    identity: string;
    token: string;
    /** What the token is: a participant's acts as the participant's own identities; the instructor's as any. */
    tokenKind: 'none' | 'participant' | 'instructor';
    /** The name a learner goes by in a workshop (with a participant token, the name the token was issued to). */
    participant: string;
}

const STORAGE_KEY = 'zhelian.session';

function load(): Session {
    const defaults: Session = {
        locale: 'zh-CN',
        identity: '',
        token: '',
        tokenKind: 'none',
        participant: '',
    };
    try {
        return { ...defaults, ...(JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Partial<Session>) };
    } catch {
        return defaults;
    }
}

export const session = reactive<Session>(load());

watch(session, (value) => localStorage.setItem(STORAGE_KEY, JSON.stringify(value)), { deep: true });
