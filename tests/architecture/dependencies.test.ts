import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every workspace package lists in its package.json what its code imports: a package that
 * resolved only through the workspace's shared node_modules would fail once installed on its own
 * (`npm install @zhelian/cli`), or deployed (the chaincode). Sources need a `dependencies` entry;
 * tests may use `devDependencies` too. Imports are read by TypeScript's own scanner (static,
 * dynamic and `require`), type-only ones included: the published declarations refer to them.
 */
const ROOT = path.join(__dirname, '..', '..');
const WORKSPACES: string[] = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).workspaces;

interface Manifest {
    name: string;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
}

const manifestOf = (workspace: string): Manifest =>
    JSON.parse(readFileSync(path.join(ROOT, workspace, 'package.json'), 'utf8'));
const ROOT_TOOLS = Object.keys(manifestOf('.').devDependencies ?? {});

/** The code files under a folder of a workspace (none when the folder does not exist). */
function codeFiles(dir: string): string[] {
    let entries;
    try {
        entries = readdirSync(dir, { withFileTypes: true });
    } catch {
        return [];
    }
    return entries.flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            return entry.name === 'node_modules' || entry.name === 'dist' ? [] : codeFiles(full);
        }
        return /\.(ts|js|vue)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
    });
}

/** A package a file imports, and whether only its types are (they never load at run time). */
interface Imported {
    name: string;
    typeOnly: boolean;
}

/** The packages a file imports — static, dynamic, `require` — read from TypeScript's syntax tree; a Vue component's from its script blocks. */
function importedPackages(file: string): Imported[] {
    let source = readFileSync(file, 'utf8');
    if (file.endsWith('.vue')) {
        source = [...source.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1]).join('\n');
    }
    const found: { specifier: string; typeOnly: boolean }[] = [];
    const visit = (node: ts.Node): void => {
        if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
            const typeOnly = ts.isImportDeclaration(node) ? (node.importClause?.isTypeOnly ?? false) : node.isTypeOnly;
            found.push({ specifier: (node.moduleSpecifier as ts.StringLiteral).text, typeOnly });
        } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
            found.push({ specifier: (node.argument.literal as ts.StringLiteral).text, typeOnly: true });
        } else if (
            ts.isCallExpression(node) &&
            (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
                (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
            node.arguments.length === 1 &&
            ts.isStringLiteral(node.arguments[0])
        ) {
            found.push({ specifier: node.arguments[0].text, typeOnly: false });
        }
        ts.forEachChild(node, visit);
    };
    visit(ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true));
    return found
        .filter(({ specifier }) => !specifier.startsWith('.') && !isBuiltin(specifier))
        .map(({ specifier, typeOnly }) => ({
            name: specifier
                .split('/')
                .slice(0, specifier.startsWith('@') ? 2 : 1)
                .join('/'),
            typeOnly,
        }));
}

const isTest = (file: string): boolean => /\.test\.ts$/.test(file) || file.includes(`${path.sep}test${path.sep}`);

/** Whether a file belongs to a package of its own inside the workspace (a test fixture's chaincode). */
function inNestedPackage(workspaceDir: string, file: string): boolean {
    for (let dir = path.dirname(file); dir !== workspaceDir && dir.startsWith(workspaceDir); dir = path.dirname(dir)) {
        if (existsSync(path.join(dir, 'package.json'))) {
            return true;
        }
    }
    return false;
}

/**
 * What each workspace's code imports and does not list, by file. Sources load their runtime
 * imports from `dependencies` (type-only ones may be `devDependencies`: they leave nothing to
 * load); tests may use `devDependencies` and the root's tools, and their type-only imports are
 * left to the type-check. Packages of their own inside a workspace (fixtures) are not its code.
 */
function unlisted(workspace: string): string[] {
    const manifest = manifestOf(workspace);
    const dependencies = new Set(Object.keys(manifest.dependencies ?? {}));
    const development = new Set([...dependencies, ...Object.keys(manifest.devDependencies ?? {})]);
    const forTests = new Set([...development, ...ROOT_TOOLS]);
    const dir = path.join(ROOT, workspace);
    const files = ['src', 'bin', 'test']
        .flatMap((folder) => codeFiles(path.join(dir, folder)))
        .filter((file) => !inNestedPackage(dir, file));
    return files.flatMap((file) =>
        importedPackages(file)
            .filter(({ name, typeOnly }) => {
                if (name === manifest.name) {
                    return false;
                }
                if (isTest(file)) {
                    return !typeOnly && !forTests.has(name);
                }
                return !(typeOnly ? development : dependencies).has(name);
            })
            .map(({ name }) => `${path.relative(ROOT, file)} imports ${name}`),
    );
}

/** The packages `openBackend` loads by name: those whose entry point exports a backend's `openBackend`. */
const BACKENDS = WORKSPACES.filter(
    (workspace) =>
        workspace !== 'network/api' &&
        existsSync(path.join(ROOT, workspace, 'src', 'index.ts')) &&
        /export (\{[^}]*\bopenBackend\b|(async )?function openBackend\b)/.test(
            readFileSync(path.join(ROOT, workspace, 'src', 'index.ts'), 'utf8'),
        ),
).map((workspace) => manifestOf(workspace).name);

describe('workspace packages list what they use', () => {
    it.each(WORKSPACES)('%s lists every package its code imports', (workspace) => {
        expect(unlisted(workspace)).toEqual([]);
    });

    it('finds the backends openBackend loads by name', () => {
        expect(BACKENDS.sort()).toEqual(['@zhelian/embedded', '@zhelian/fabric', '@zhelian/remote']);
    });

    // openBackend (in @zhelian/api) loads the chosen backend by name: the package that calls it, not
    // @zhelian/api, must bring the backends it offers (the CLI's --network embedded|fabric|remote).
    it.each(WORKSPACES)('%s lists every backend when its code opens a network through openBackend', (workspace) => {
        const opens = codeFiles(path.join(ROOT, workspace, 'src')).some(
            (file) =>
                !isTest(file) &&
                /import \{[^}]*\bopenBackend\b[^}]*\} from '@zhelian\/api'/.test(readFileSync(file, 'utf8')),
        );
        const dependencies = Object.keys(manifestOf(workspace).dependencies ?? {});
        expect(opens ? BACKENDS.filter((backend) => !dependencies.includes(backend)) : []).toEqual([]);
    });
});
