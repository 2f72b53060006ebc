/** The languages the narrated demo speaks. */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A sentence in every language the demo speaks. */
export interface Text {
    'zh-CN': string;
    en: string;
}

/** `t('浙一开具票据', 'Zheyi issues a receipt')`: Chinese first, as the UI and the guide. */
export const t = (zh: string, en: string): Text => ({ 'zh-CN': zh, en });

/** The language of `--lang`, else of the environment (`LC_ALL`, `LANG`: zh… speaks Chinese), else English. */
export function chooseLanguage(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Language {
    if (flag !== undefined) {
        const language = LANGUAGES.find((candidate) => candidate.toLowerCase() === flag.toLowerCase());
        if (!language) {
            throw new Error(`--lang must be one of ${LANGUAGES.join(', ')}, not ${JSON.stringify(flag)}`);
        }
        return language;
    }
    const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
    return /^zh/i.test(locale) ? 'zh-CN' : 'en';
}

/** `CN=elder` from a certificate id `x509::/C=CN/…/CN=elder::/C=CN/…`: its subject's name. */
export const certificateName = (id: string): string => /CN=[^/:]+/.exec(id.split('::')[1] ?? '')?.[0] ?? id;
