import { randomBytes } from 'node:crypto';
import { existsSync, realpathSync, statSync, symlinkSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode, ZhelianError } from '@zhelian/api';
import type { LedgerStore } from '../ledger/store';
import { type PackageFiles, readChaincodePackage } from './chaincode-package';

/** A package installed on one or more organizations' peers. */
export interface InstalledPackage {
    packageId: string;
    label: string;
    /** The directory the package was made from (its `metadata.json` path). */
    sourcePath: string;
    /** The built package the chaincode runs from: the package's files, and its dependencies linked. */
    dir: string;
}

interface InstalledRecord {
    packages: Record<string, { label: string; sourcePath: string }>;
    /** Package ids installed on each organization's peer. */
    orgs: Record<string, string[]>;
}

const META_KEY = 'installedChaincodes';

/**
 * The peers' chaincode stores: install packages (immutable, named by package id) and what a
 * peer builds from them. One store serves every organization's peer, as the peers share one
 * process, but each organization installs for itself: a package is runnable for an org only
 * once that org installed it.
 *
 * A package holds sources only, as Fabric's; Fabric's Node builder then runs `npm install`. Here
 * the build copies the sources into `<dataDir>/lifecycle/builds/<label>.<hash>/…/src/` and links
 * the `node_modules` directories the package's source directory resolves (its own, then its
 * parents', as Node looks them up — a workspace's hoisted root included), then those of the
 * ledger's own installation, one above the other, so that every module resolves as it would from
 * the sources. Editing or moving the sources after install changes nothing; deleting the modules
 * they resolved does, and so does adding a module to a linked directory.
 *
 * ```ts
 * const installed = await InstalledChaincodes.open(store, path.join(dataDir, 'lifecycle'));
 * const pkg = await installed.install('Org1MSP', bytes, 'basic.tar.gz');
 * installed.isInstalled('Org2MSP', pkg.packageId); // false until Org2MSP installs it too
 * ```
 */
export class InstalledChaincodes {
    readonly #store: LedgerStore;
    readonly #root: string;
    readonly #record: InstalledRecord;

    private constructor(store: LedgerStore, root: string, record: InstalledRecord) {
        this.#store = store;
        this.#root = root;
        this.#record = record;
    }

    static async open(store: LedgerStore, root: string): Promise<InstalledChaincodes> {
        const record = (await store.getMeta<InstalledRecord>(META_KEY)) ?? { packages: {}, orgs: {} };
        return new InstalledChaincodes(store, root, record);
    }

    /** Installs package bytes on an organization's peer; fails as Fabric does when that peer already has it. */
    async install(mspId: string, bytes: Uint8Array, source: string): Promise<InstalledPackage> {
        const { packageId, metadata, files } = await readChaincodePackage(bytes, source);
        if (this.isInstalled(mspId, packageId)) {
            throw new ZhelianError(
                ErrorCode.CHAINCODE_ALREADY_INSTALLED,
                `chaincode already successfully installed (package ID '${packageId}') on the peer of ${mspId}`,
            );
        }
        const dir = this.#buildDir(packageId);
        if (!existsSync(dir)) {
            await mkdir(path.join(this.#root, 'chaincodes'), { recursive: true });
            await writeFile(path.join(this.#root, 'chaincodes', `${fileName(packageId)}.tar.gz`), bytes);
            await build(files, dir, String(metadata.path));
        }
        this.#record.packages[packageId] = { label: metadata.label, sourcePath: String(metadata.path) };
        this.#record.orgs[mspId] = [...(this.#record.orgs[mspId] ?? []), packageId];
        await this.#store.putMeta(META_KEY, this.#record);
        return this.get(packageId) as InstalledPackage;
    }

    isInstalled(mspId: string, packageId: string): boolean {
        return this.#record.orgs[mspId]?.includes(packageId) ?? false;
    }

    /** The packages installed on an organization's peer, in install order. */
    installedOn(mspId: string): InstalledPackage[] {
        return (this.#record.orgs[mspId] ?? []).map((id) => this.get(id) as InstalledPackage);
    }

    get(packageId: string): InstalledPackage | undefined {
        const found = this.#record.packages[packageId];
        return found
            ? { packageId, label: found.label, sourcePath: found.sourcePath, dir: codeDirOf(this.#buildDir(packageId)) }
            : undefined;
    }

    #buildDir(packageId: string): string {
        return path.join(this.#root, 'builds', fileName(packageId));
    }
}

/** Fabric stores a package as `<label>.<hash>.tar.gz`. */
function fileName(packageId: string): string {
    return packageId.replace(':', '.');
}

/**
 * Where a build keeps the package's files: `<build>/src`, below one `chain/` directory for each
 * `node_modules` directory after the first that it links (see {@link build}). A build made
 * before that layout holds the files at its top.
 */
function codeDirOf(buildDir: string): string {
    if (existsSync(path.join(buildDir, 'package.json'))) {
        return buildDir;
    }
    let dir = buildDir;
    while (existsSync(path.join(dir, CHAIN_DIR))) {
        dir = path.join(dir, CHAIN_DIR);
    }
    return path.join(dir, CODE_DIR);
}

const CODE_DIR = 'src';
const CHAIN_DIR = 'chain';

/**
 * Writes the package's files and links its dependencies, into a fresh directory renamed into place.
 *
 * The `node_modules` directories that the sources resolve (nearest first), then the ledger's own,
 * are each linked whole, one per level of the directories above the package's files: Node looks
 * in the package's own `node_modules`, then its parent's, and so on, so a module resolves from the
 * nearest directory that has it, exactly as from the sources. One link per directory instead of
 * one per module: a workspace's root holds hundreds, and creating their links was a quarter of a
 * cold start.
 */
async function build(files: PackageFiles, dir: string, sourcePath: string): Promise<void> {
    const staging = `${dir}.${randomBytes(4).toString('hex')}.tmp`;
    try {
        const chain = lookupChain([...moduleDirs(path.resolve(sourcePath)), ...moduleDirs(__dirname)]);
        // A package that ships a node_modules keeps it, nearest (as `npm install` would add to it); the chain follows.
        const shipsModules = [...files.keys()].some((name) => name.startsWith('node_modules/'));
        const levels = shipsModules ? [undefined, ...chain] : chain;
        const codeDir = path.join(staging, ...levels.slice(1).map(() => CHAIN_DIR), CODE_DIR);
        for (const [name, content] of files) {
            const target = path.join(codeDir, ...name.split('/'));
            await mkdir(path.dirname(target), { recursive: true });
            await writeFile(target, content);
        }
        await mkdir(codeDir, { recursive: true });
        // levels[0] beside the package's files, each next one a level up.
        let level = codeDir;
        for (const modules of levels) {
            if (modules !== undefined) {
                // A junction on Windows needs no privilege; elsewhere the type is ignored.
                symlinkSync(modules, path.join(level, 'node_modules'), 'junction');
            }
            level = path.dirname(level);
        }
        await rename(staging, dir);
    } finally {
        await rm(staging, { recursive: true, force: true });
    }
}

/** The `node_modules` directories Node searches from `dir`, nearest first. */
function moduleDirs(dir: string): string[] {
    const dirs: string[] = [];
    for (let current = dir; ; current = path.dirname(current)) {
        if (path.basename(current) !== 'node_modules') {
            dirs.push(path.join(current, 'node_modules'));
        }
        if (path.dirname(current) === current) {
            return dirs;
        }
    }
}

/** Of `dirs`, those that exist, as real paths, each once (at its first place). */
function lookupChain(dirs: readonly string[]): string[] {
    const chain: string[] = [];
    for (const dir of dirs) {
        let real: string;
        try {
            real = realpathSync(dir);
        } catch {
            continue;
        }
        if (!chain.includes(real) && statSync(real).isDirectory()) {
            chain.push(real);
        }
    }
    return chain;
}
