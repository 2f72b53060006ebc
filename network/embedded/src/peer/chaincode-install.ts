import { randomBytes } from 'node:crypto';
import { type Dirent, existsSync, lstatSync, mkdirSync, readdirSync, realpathSync, symlinkSync } from 'node:fs';
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
 * the build copies the sources into `<dataDir>/lifecycle/builds/<label>.<hash>/` and links, in its
 * `node_modules/`, every module the package's source directory resolves (its own `node_modules`,
 * then its parents', as Node looks them up — a workspace's hoisted root included), then the
 * modules of the ledger's own installation for anything still missing. Editing or moving the
 * sources after install changes nothing; deleting the modules they resolved does.
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
            ? { packageId, label: found.label, sourcePath: found.sourcePath, dir: this.#buildDir(packageId) }
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

/** Writes the package's files and links its dependencies, into a fresh directory renamed into place. */
async function build(files: PackageFiles, dir: string, sourcePath: string): Promise<void> {
    const staging = `${dir}.${randomBytes(4).toString('hex')}.tmp`;
    try {
        for (const [name, content] of files) {
            const target = path.join(staging, ...name.split('/'));
            await mkdir(path.dirname(target), { recursive: true });
            await writeFile(target, content);
        }
        linkModules(path.join(staging, 'node_modules'), [
            ...moduleDirs(path.resolve(sourcePath)),
            ...moduleDirs(__dirname),
        ]);
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

/**
 * Links each module (scoped ones one by one) that the first of `from` to have it provides. A
 * workspace's root holds hundreds of modules: with synchronous calls linking them all takes a few
 * milliseconds, where one awaited file-system request after another took a third of a cold start.
 */
function linkModules(into: string, from: readonly string[]): void {
    const linked = new Set<string>();
    mkdirSync(into, { recursive: true });
    for (const modules of from.filter((dir) => existsSync(dir))) {
        const real = realpathSync(modules);
        for (const entry of readdirSync(real, { withFileTypes: true })) {
            if (entry.name.startsWith('.')) {
                continue;
            }
            const names = entry.name.startsWith('@')
                ? readdirOrNone(path.join(real, entry.name)).map((inner) => `${entry.name}/${inner.name}`)
                : [entry.name];
            for (const module of names) {
                if (linked.has(module)) {
                    continue;
                }
                const target = realTarget(real, module);
                if (!target) {
                    continue;
                }
                const link = path.join(into, module);
                if (module.includes('/')) {
                    mkdirSync(path.dirname(link), { recursive: true });
                }
                // A junction on Windows needs no privilege; elsewhere the type is ignored.
                symlinkSync(target, link, 'junction');
                linked.add(module);
            }
        }
    }
}

function readdirOrNone(dir: string): Dirent[] {
    try {
        return readdirSync(dir, { withFileTypes: true });
    } catch {
        return [];
    }
}

/** Where a module of a real `node_modules` directory resolves to; undefined for a dangling link. */
function realTarget(modules: string, module: string): string | undefined {
    const entry = path.join(modules, module);
    try {
        return lstatSync(entry).isSymbolicLink() ? realpathSync(entry) : entry;
    } catch {
        return undefined;
    }
}
