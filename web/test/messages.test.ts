import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRANSIENT_FIELDS } from '../src/apps/catalog';
import { FLOWS } from '../src/apps/flows';
import { en } from '../src/i18n/en';
import { zhCN } from '../src/i18n/zh-CN';

/**
 * Every string the UI shows comes from the messages, in zh-CN (the default) and English: the two
 * have the same keys, none empty, and every key the source names — in templates, scripts, the
 * flows and the chaincode's refusal codes — exists in both.
 */
const SRC = path.join(__dirname, '..', 'src');
const CHAINCODE_SRC = path.join(__dirname, '..', '..', 'chaincode', 'src');

function leaves(messages: object, prefix = ''): Map<string, string> {
    const found = new Map<string, string>();
    for (const [key, value] of Object.entries(messages)) {
        const name = prefix ? `${prefix}.${key}` : key;
        if (typeof value === 'string') {
            found.set(name, value);
        } else {
            for (const [leaf, text] of leaves(value as object, name)) {
                found.set(leaf, text);
            }
        }
    }
    return found;
}

function files(dir: string, pattern: RegExp): string[] {
    return readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((entry) => entry.isFile() && pattern.test(entry.name))
        .map((entry) => path.join(entry.parentPath, entry.name));
}

const zh = leaves(zhCN);
const english = leaves(en);

describe('the UI messages', () => {
    it('have the same keys in zh-CN and English, none empty', () => {
        expect([...english.keys()].sort()).toEqual([...zh.keys()].sort());
        for (const [key, text] of [...zh, ...english]) {
            expect(text.trim(), key).not.toBe('');
        }
    });

    it('have every key the source names with $t, t or te, in both languages', () => {
        const used = new Set<string>();
        for (const file of files(SRC, /\.(vue|ts)$/)) {
            for (const match of readFileSync(file, 'utf8').matchAll(/\b(?:\$t|t|te)\(\s*'([a-zA-Z0-9_.]+)'/g)) {
                used.add(match[1]);
            }
        }
        expect(used.size).toBeGreaterThan(100);
        const missing = [...used].filter((key) => !zh.has(key) || !english.has(key));
        expect(missing).toEqual([]);
    });

    it('name every step of every flow, and each case card, in both languages', () => {
        for (const [app, steps] of Object.entries(FLOWS)) {
            for (const key of ['title', 'who', 'real', 'guarantee']) {
                expect(zh.has(`cases.${app}.${key}`) && english.has(`cases.${app}.${key}`), `cases.${app}.${key}`).toBe(
                    true,
                );
            }
            expect(zh.has(`lessons.${app}.intro`), `lessons.${app}.intro`).toBe(true);
            // A lesson's explanations belong to steps its flow has.
            const explained = [...zh.keys()].filter((key) => key.startsWith(`lessons.${app}.why.`));
            expect(explained.filter((key) => !steps.some((step) => key.endsWith(`.why.${step.key}`)))).toEqual([]);
            for (const step of steps) {
                expect(zh.has(`flows.${app}.${step.key}`), `flows.${app}.${step.key}`).toBe(true);
                if (step.refusal) {
                    expect(zh.has(`refusals.${step.refusal}`), step.refusal).toBe(true);
                }
            }
        }
    });

    it('translate every refusal code the chaincode has (a new E_ code without words fails here)', () => {
        const codes = new Set<string>();
        for (const file of files(CHAINCODE_SRC, /\.ts$/).filter((file) => !file.endsWith('.test.ts'))) {
            for (const match of readFileSync(file, 'utf8').matchAll(/'(E_[A-Z_]+)'/g)) {
                codes.add(match[1]);
            }
        }
        expect(codes.size).toBeGreaterThan(40);
        const untranslated = [...codes].filter(
            (code) => !zh.has(`refusals.${code}`) || !english.has(`refusals.${code}`),
        );
        expect(untranslated).toEqual([]);
    });
});

describe('the transaction forms', () => {
    it('name every parameter of every contract, and every private input, in both languages', () => {
        const names = new Set<string>();
        for (const file of files(CHAINCODE_SRC, /contract\.ts$/)) {
            for (const match of readFileSync(file, 'utf8').matchAll(/@Param\(\s*'(\w+)'/g)) {
                names.add(match[1]);
            }
        }
        for (const fields of Object.values(TRANSIENT_FIELDS)) {
            fields.forEach((field) => names.add(field));
        }
        expect(names.size).toBeGreaterThan(50);
        const unnamed = [...names].filter((name) => !zh.has(`params.${name}`) || !english.has(`params.${name}`));
        expect(unnamed).toEqual([]);
    });
});
