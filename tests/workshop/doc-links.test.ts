import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.join(__dirname, '..', '..');
const markdown = new MarkdownIt({ html: true });
type Token = ReturnType<MarkdownIt['parse']>[number];

/** github-slugger (ESM only), loaded before the tests: the slugs GitHub gives headings. */
let slugger: () => { slug(text: string): string };

/** README.md and every Markdown file under docs/. */
function documents(): string[] {
    const walk = (dir: string): string[] =>
        readdirSync(dir).flatMap((name) => {
            const file = path.join(dir, name);
            return statSync(file).isDirectory() ? walk(file) : name.endsWith('.md') ? [file] : [];
        });
    return [path.join(ROOT, 'README.md'), ...walk(path.join(ROOT, 'docs'))];
}

const flatten = (tokens: Token[]): Token[] => tokens.flatMap((token) => [token, ...flatten(token.children ?? [])]);

/** The anchors GitHub gives a document's headings (github-slugger, as the code host renders them). */
function anchors(file: string): Set<string> {
    const headings = slugger();
    const tokens = markdown.parse(readFileSync(file, 'utf8'), {});
    const found = new Set<string>();
    tokens.forEach((token, index) => {
        if (token.type === 'heading_open') {
            const text = (tokens[index + 1].children ?? [])
                .filter((child) => child.type === 'text' || child.type === 'code_inline')
                .map((child) => child.content)
                .join('');
            found.add(headings.slug(text));
        }
    });
    for (const match of readFileSync(file, 'utf8').matchAll(/<a (?:name|id)="([^"]+)"/g)) {
        found.add(match[1]);
    }
    return found;
}

/** Every link and image target in a document: Markdown links, images, and src/href in inline HTML. */
function targets(file: string): string[] {
    const tokens = flatten(markdown.parse(readFileSync(file, 'utf8'), {}));
    return tokens.flatMap((token) => {
        if (token.type === 'link_open') {
            return [token.attrGet('href') ?? ''];
        }
        if (token.type === 'image') {
            return [token.attrGet('src') ?? ''];
        }
        if (token.type === 'html_inline' || token.type === 'html_block') {
            return [...token.content.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
        }
        return [];
    });
}

/** What is wrong with one relative target, or undefined. */
function problem(file: string, target: string): string | undefined {
    const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
    const resolved = pathPart === '' ? file : path.resolve(path.dirname(file), decodeURIComponent(pathPart));
    if (!resolved.startsWith(ROOT) || !existsSync(resolved)) {
        return `${target}: no such file`;
    }
    if (anchor !== undefined && resolved.endsWith('.md') && !anchors(resolved).has(decodeURIComponent(anchor))) {
        return `${target}: no heading with anchor #${anchor}`;
    }
    return undefined;
}

/** The README and docs as a stranger follows them: every relative link and anchor leads somewhere. */
describe('links in README.md and docs/', () => {
    const files = documents();

    beforeAll(async () => {
        const { default: GithubSlugger } = await import('github-slugger');
        slugger = () => new GithubSlugger();
    });

    it('finds the documents', () => {
        expect(files.map((file) => path.relative(ROOT, file))).toEqual(
            expect.arrayContaining(['README.md', 'docs/architecture.md', 'docs/apps/einvoice.md']),
        );
    });

    it.each(files.map((file) => [path.relative(ROOT, file), file]))('%s: every relative link resolves', (_, file) => {
        const broken = targets(file)
            .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
            .map((target) => problem(file, target))
            .filter((found) => found !== undefined);
        expect(broken).toEqual([]);
    });
});
