import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ErrorCode, ZhelianError } from '@zhelian/api';
import * as tar from 'tar-stream';
import { metadataFileProblem } from '../ledger/couch/index-definition';

/** `metadata.json` of a chaincode package, as `peer lifecycle chaincode package` writes it. */
export interface PackageMetadata {
    /** The package's source directory. */
    path: string;
    type: string;
    label: string;
}

/** A chaincode install package in Fabric's format: its bytes and the id a peer gives them. */
export interface ChaincodePackage {
    /** `label:hex(SHA-256 of the package bytes)`, as Fabric's `peer lifecycle chaincode calculatepackageid`. */
    packageId: string;
    label: string;
    metadata: PackageMetadata;
    /** The `.tar.gz`: `metadata.json` and `code.tar.gz` (the sources under `src/`, `META-INF/` beside them). */
    bytes: Uint8Array;
}

/** The files of a package's code, by their path in the package directory. */
export type PackageFiles = Map<string, Buffer>;

/** Fabric's `persistence.LabelRegexp`. */
const LABEL = /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/;
/** Left out of the code at any depth, as Fabric's Node platform leaves them out. */
const EXCLUDED_DIRS = new Set(['node_modules', '.git']);
/** Fabric writes files with fixed ids, mode and times, so that the same sources give the same package id. */
const FILE_HEADER = { mode: 0o644, uid: 500, gid: 500, uname: '', gname: '', mtime: new Date(0) } as const;

export class ChaincodePackageError extends ZhelianError {
    constructor(message: string) {
        super(ErrorCode.INVALID_CHAINCODE_PACKAGE, message);
    }
}

export function checkLabel(label: string): void {
    if (!LABEL.test(label)) {
        throw new ChaincodePackageError(
            `invalid label '${label}'. Label must be non-empty, can only consist of alphanumerics, symbols from '.+-_', and can only begin with alphanumerics`,
        );
    }
}

/** `label:hash` of package bytes, as a Fabric peer computes it on install. */
export function packageIdOf(label: string, bytes: Uint8Array): string {
    return `${label}:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * Packages a Node chaincode directory as `peer lifecycle chaincode package --lang node` does:
 * every file except `node_modules/` and `.git/` (and `skip`, e.g. a data dir inside it), in
 * name order, with fixed headers. The dependencies are not in the package; a peer installs them
 * when it builds the package (see `InstalledChaincodes`).
 */
export async function packageChaincode(
    packageDir: string,
    label: string,
    skip: readonly string[] = [],
): Promise<ChaincodePackage> {
    checkLabel(label);
    const root = path.resolve(packageDir);
    if (!existsSync(path.join(root, 'package.json'))) {
        throw new ChaincodePackageError(`${root} is not a chaincode package: it has no package.json`);
    }
    const entries: { name: string; content: Buffer }[] = [];
    for (const file of await listFiles(root, new Set(skip.map((dir) => path.resolve(dir))))) {
        const relative = path.relative(root, file).split(path.sep).join('/');
        const metadata = relative.startsWith('META-INF/');
        if (metadata && path.basename(relative).startsWith('.')) {
            continue; // Fabric leaves hidden files out of the metadata, with a warning
        }
        const content = await readFile(file);
        // As `peer lifecycle chaincode package`: only CouchDB index definitions may sit in META-INF.
        const problem = metadata ? metadataFileProblem(relative, content) : undefined;
        if (problem) {
            throw new ChaincodePackageError(`${root}: ${problem}`);
        }
        entries.push({ name: metadata ? relative : `src/${relative}`, content });
    }
    const metadata: PackageMetadata = { path: root, type: 'node', label };
    const code = gzip(await tarOf(entries));
    const bytes = gzip(
        await tarOf([
            { name: 'metadata.json', content: Buffer.from(JSON.stringify(metadata)) },
            { name: 'code.tar.gz', content: code },
        ]),
    );
    return { packageId: packageIdOf(label, bytes), label, metadata, bytes };
}

/**
 * Reads a package as a peer does on install: `metadata.json` with a valid label, and the code,
 * which may hold only regular files under `src/` (and `META-INF/`) and must have `src/package.json`.
 */
export async function readChaincodePackage(
    bytes: Uint8Array,
    source: string,
): Promise<{ packageId: string; metadata: PackageMetadata; files: PackageFiles }> {
    let outer: Map<string, Buffer>;
    let metadata: PackageMetadata;
    let code: Map<string, Buffer>;
    try {
        outer = await untar(gunzipSync(bytes));
        const metadataBytes = outer.get('metadata.json');
        if (!metadataBytes) {
            throw new Error('did not find any package metadata (missing metadata.json)');
        }
        metadata = JSON.parse(metadataBytes.toString('utf8')) as PackageMetadata;
        const codeBytes = outer.get('code.tar.gz');
        if (!codeBytes) {
            throw new Error('did not find a code package inside the package');
        }
        code = await untar(gunzipSync(codeBytes));
    } catch (err) {
        throw new ChaincodePackageError(`${source} is not a chaincode package: ${(err as Error).message}`);
    }
    checkLabel(String(metadata.label));
    if (metadata.type !== 'node') {
        throw new ChaincodePackageError(
            `${source} is a ${metadata.type} chaincode package; the embedded ledger runs node`,
        );
    }
    const files: PackageFiles = new Map();
    for (const [name, content] of code) {
        const match = /^(src|META-INF)\/(.+)$/.exec(name);
        if (!match || match[2].split('/').some((part) => part === '..' || part === '' || part === '.')) {
            throw new ChaincodePackageError(`${source}: illegal file detected in payload: "${name}"`);
        }
        files.set(match[1] === 'src' ? match[2] : name, content);
    }
    if (!files.has('package.json')) {
        throw new ChaincodePackageError(`${source}: no package.json found at the root of the chaincode package`);
    }
    return { packageId: packageIdOf(metadata.label, bytes), metadata, files };
}

async function listFiles(dir: string, skip: ReadonlySet<string>): Promise<string[]> {
    const names = (await readdir(dir)).sort();
    const files: string[] = [];
    for (const name of names) {
        const full = path.join(dir, name);
        if (skip.has(full)) {
            continue;
        }
        const entry = await lstat(full);
        if (entry.isDirectory()) {
            if (!EXCLUDED_DIRS.has(name)) {
                files.push(...(await listFiles(full, skip)));
            }
        } else if (entry.isFile() || (entry.isSymbolicLink() && (await stat(full).catch(() => undefined))?.isFile())) {
            // A link to a file is packaged as the file; a link to a directory is not walked, as in Fabric.
            files.push(full);
        }
    }
    return files;
}

async function tarOf(entries: readonly { name: string; content: Buffer }[]): Promise<Buffer> {
    const pack = tar.pack();
    for (const { name, content } of entries) {
        pack.entry({ ...FILE_HEADER, name, size: content.length, type: 'file' }, content);
    }
    pack.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of pack) {
        chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
}

async function untar(bytes: Buffer): Promise<Map<string, Buffer>> {
    const files = new Map<string, Buffer>();
    const extract = tar.extract();
    const done = (async () => {
        for await (const entry of extract) {
            const chunks: Buffer[] = [];
            for await (const chunk of entry) {
                chunks.push(chunk as Buffer);
            }
            if (entry.header.type !== 'file') {
                throw new Error(`tar entry ${entry.header.name} is not a regular file, type ${entry.header.type}`);
            }
            files.set(entry.header.name.replace(/^\//, ''), Buffer.concat(chunks));
        }
    })();
    extract.end(bytes);
    await done;
    return files;
}

/** Gzip with the header's OS byte set to "unknown" (as Go writes it), so package ids do not depend on the OS. */
function gzip(bytes: Buffer): Buffer {
    const zipped = gzipSync(bytes);
    zipped[9] = 255;
    return zipped;
}
