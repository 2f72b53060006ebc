import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.join(__dirname, '..', '..');
const SOURCES = ['chaincode/src', 'network', 'gateway/src', 'scripts', 'web/src', 'tests'];

function typescriptFiles(dir: string): string[] {
    let names: string[];
    try {
        names = readdirSync(dir);
    } catch {
        return [];
    }
    return names.flatMap((name) => {
        const file = path.join(dir, name);
        if (['node_modules', 'dist', '.fabric'].includes(name)) {
            return [];
        }
        return statSync(file).isDirectory() ? typescriptFiles(file) : /\.tsx?$/.test(name) ? [file] : [];
    });
}

/** Zhelian's and Fabric's own variables the code reads: `env.ZHELIAN_…`, `env.FABRIC_…`, commander's `.env('…')`. */
function variablesInCode(): Set<string> {
    const found = new Set<string>();
    for (const file of SOURCES.flatMap((dir) => typescriptFiles(path.join(ROOT, dir)))) {
        const text = readFileSync(file, 'utf8');
        for (const match of text.matchAll(
            /\benv\.((?:ZHELIAN|FABRIC)_[A-Z0-9_]+)|\.env\('((?:ZHELIAN|FABRIC)_[A-Z0-9_]+)'\)/g,
        )) {
            found.add(match[1] ?? match[2]);
        }
    }
    return found;
}

/** README's one configuration table stays whole: every variable the code reads is in it. */
describe("README's configuration table", () => {
    it('names every ZHELIAN_ and FABRIC_ environment variable the code reads', () => {
        const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
        const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Troubleshooting'));
        const variables = [...variablesInCode()].sort();
        expect(variables).toEqual(expect.arrayContaining(['ZHELIAN_DATA', 'ZHELIAN_NETWORK']));
        expect(variables.filter((name) => !section.includes(`\`${name}`))).toEqual([]);
    });

    it("names every flag of npm start's usage", () => {
        const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
        const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Troubleshooting'));
        const usage = readFileSync(path.join(ROOT, 'scripts', 'serve', 'options.ts'), 'utf8');
        const flags = [...new Set([...usage.matchAll(/^\s+(--[a-z-]+)/gm)].map((match) => match[1]))];
        expect(flags).toEqual(expect.arrayContaining(['--port', '--host']));
        expect(flags.filter((flag) => !section.includes(flag))).toEqual([]);
    });
});
