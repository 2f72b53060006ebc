import { createI18n } from 'vue-i18n';
import { session } from '../state/session';
import { en } from './en';
import { zhCN } from './zh-CN';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** zh-CN is the default and the reference: en must have exactly its keys (the types and a test say so). */
export const i18n = createI18n({
    legacy: false,
    locale: session.locale,
    fallbackLocale: 'zh-CN',
    missingWarn: false,
    fallbackWarn: false,
    messages: { 'zh-CN': zhCN, en },
});

export function setLocale(locale: Locale): void {
    session.locale = locale;
    i18n.global.locale.value = locale;
    document.documentElement.lang = locale;
}
