import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { access, mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { NativeNetworkError } from './errors';
import type { Progress } from './progress';

const run = promisify(execFile);

/** The Fabric programs the native network needs. */
export const FABRIC_TOOLS = ['peer', 'orderer', 'configtxgen', 'cryptogen', 'osnadmin'] as const;

/** The releases whose source `../shared/fabric/` holds; 3.1.5 is the default. */
export const FABRIC_RELEASES: Readonly<Record<string, { commit: string }>> = {
    '3.1.5': { commit: '86c1172bec37e6590c6b1ae6f847833df48d65fc' },
    '2.5.16': { commit: 'f871cf92a026aba7b12e6f06d71ded3e6e659d71' },
};
export const DEFAULT_FABRIC_VERSION = '3.1.5';

/** Where the binaries came from, and where they are. */
export interface FabricBinaries {
    dir: string;
    version: string;
    source: 'FABRIC_BIN' | 'PATH' | 'cache' | 'built';
}

export interface BinaryOptions {
    version: string;
    /** The repository root: the default tarball is looked for beside it, in `../shared/fabric/`. */
    repoRoot: string;
    progress: Progress;
    env?: NodeJS.ProcessEnv;
}

/**
 * Finds Fabric's binaries at the wanted version: in `FABRIC_BIN`, then on `PATH`, then in the cache
 * keyed by the source tarball's SHA-256; else builds them from the tarball into that cache (Go,
 * offline, Fabric's vendored modules). Throws a {@link NativeNetworkError} that says what a user
 * can do when none of these works.
 *
 * ```ts
 * const { dir } = await fabricBinaries({ version: '3.1.5', repoRoot, progress });
 * ```
 */
export async function fabricBinaries(options: BinaryOptions): Promise<FabricBinaries> {
    const env = options.env ?? process.env;
    const { version, progress } = options;
    if (!FABRIC_RELEASES[version]) {
        throw new NativeNetworkError(
            `Fabric ${version} is not a release this lab knows; choose one of ${Object.keys(FABRIC_RELEASES).join(', ')}`,
        );
    }
    for (const [source, dir] of candidateDirs(env)) {
        const found = await toolsVersion(dir);
        if (found === version) {
            progress.step(`Fabric ${version} binaries from ${source}: ${dir}`);
            return { dir, version, source };
        }
        if (found !== undefined) {
            progress.step(`${source} has Fabric ${found} in ${dir}, not ${version}: looking further`);
        } else if (source === 'FABRIC_BIN') {
            progress.step(
                `FABRIC_BIN (${dir}) does not hold ${FABRIC_TOOLS.join(', ')} of one version: looking further`,
            );
        }
    }
    const tarball = sourceTarball(options.repoRoot, version, env);
    if (!tarball) {
        throw new NativeNetworkError(
            [
                `No Fabric ${version} binaries (${FABRIC_TOOLS.join(', ')}) on PATH or in FABRIC_BIN, and no source tarball.`,
                `Either put Fabric ${version}'s release binaries in a directory and set FABRIC_BIN to it,`,
                `or set FABRIC_SRC_TARBALL to fabric-${version}-src.tar.xz (a git archive of the v${version} tag with vendor/),`,
                `or, where the Go module proxy serves Fabric's modules, install them with`,
                `  go install github.com/hyperledger/fabric/cmd/{peer,orderer,configtxgen,cryptogen,osnadmin}@<pseudo-version of ${FABRIC_RELEASES[version].commit.slice(0, 12)}>`,
            ].join('\n'),
        );
    }
    const checksum = await checkedSha256(tarball, progress);
    const cacheDir = path.join(cacheRoot(env), checksum);
    const binDir = path.join(cacheDir, 'bin');
    if ((await toolsVersion(binDir)) === version) {
        progress.step(`Fabric ${version} binaries from the cache: ${binDir}`);
        return { dir: binDir, version, source: 'cache' };
    }
    await buildFromSource({ tarball, cacheDir, binDir, version, progress, env });
    return { dir: binDir, version, source: 'built' };
}

/** `~/.cache/zhelian/fabric` (or under `XDG_CACHE_HOME`): one directory per tarball checksum. */
function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
    return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'zhelian', 'fabric');
}

function candidateDirs(env: NodeJS.ProcessEnv): ['FABRIC_BIN' | 'PATH', string][] {
    const dirs: ['FABRIC_BIN' | 'PATH', string][] = [];
    if (env.FABRIC_BIN) {
        dirs.push(['FABRIC_BIN', path.resolve(env.FABRIC_BIN)]);
    }
    const onPath = (env.PATH ?? '').split(path.delimiter).filter((dir) => dir && existsSync(path.join(dir, 'peer')));
    dirs.push(...onPath.map((dir): ['PATH', string] => ['PATH', dir]));
    return dirs;
}

const VERSION_ARGS: Readonly<Record<string, string[]>> = {
    peer: ['version'],
    orderer: ['version'],
    configtxgen: ['-version'],
    cryptogen: ['version'],
};

/** The version every tool in `dir` reports, or undefined when one is missing or they differ. */
async function toolsVersion(dir: string): Promise<string | undefined> {
    try {
        await Promise.all(FABRIC_TOOLS.map((tool) => access(path.join(dir, tool))));
        // osnadmin has no version command; the other four say theirs.
        const versions = await Promise.all(
            Object.entries(VERSION_ARGS).map(async ([tool, args]) => {
                const { stdout } = await run(path.join(dir, tool), args, { timeout: 10_000 });
                return /Version:\s*v?([0-9][^\s]*)/.exec(stdout)?.[1];
            }),
        );
        return versions.every((v) => v !== undefined && v === versions[0]) ? versions[0] : undefined;
    } catch {
        return undefined;
    }
}

function sourceTarball(repoRoot: string, version: string, env: NodeJS.ProcessEnv): string | undefined {
    if (env.FABRIC_SRC_TARBALL) {
        const given = path.resolve(env.FABRIC_SRC_TARBALL);
        if (!existsSync(given)) {
            throw new NativeNetworkError(`FABRIC_SRC_TARBALL names ${given}, which does not exist`);
        }
        return given;
    }
    const shared = path.resolve(repoRoot, '..', 'shared', 'fabric', `fabric-${version}-src.tar.xz`);
    return existsSync(shared) ? shared : undefined;
}

/** The tarball's SHA-256, checked against a `SHA256SUMS` beside it when there is one. */
async function checkedSha256(tarball: string, progress: Progress): Promise<string> {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(tarball)) {
        hash.update(chunk as Buffer);
    }
    const checksum = hash.digest('hex');
    const sumsFile = path.join(path.dirname(tarball), 'SHA256SUMS');
    if (existsSync(sumsFile)) {
        const expected = (await readFile(sumsFile, 'utf8'))
            .split('\n')
            .map((line) => line.trim().split(/\s+\*?/))
            .find(([, name]) => name === path.basename(tarball))?.[0];
        if (expected === undefined) {
            throw new NativeNetworkError(`${sumsFile} lists no checksum for ${path.basename(tarball)}`);
        }
        if (expected !== checksum) {
            throw new NativeNetworkError(
                `${tarball} has SHA-256 ${checksum}, but ${sumsFile} says ${expected}: the file is damaged or not the release`,
            );
        }
        progress.step(`Source ${path.basename(tarball)}: SHA-256 ${checksum.slice(0, 16)}… matches SHA256SUMS`);
    } else {
        progress.step(`Source ${path.basename(tarball)}: SHA-256 ${checksum} (no SHA256SUMS beside it to check)`);
    }
    return checksum;
}

interface BuildRequest {
    tarball: string;
    cacheDir: string;
    binDir: string;
    version: string;
    progress: Progress;
    env: NodeJS.ProcessEnv;
}

const PACKAGES = FABRIC_TOOLS.map((tool) => `./cmd/${tool}`);

async function buildFromSource({ tarball, cacheDir, binDir, version, progress, env }: BuildRequest): Promise<void> {
    const go = await goVersion(env);
    progress.step(`Building Fabric ${version} from ${path.basename(tarball)} with ${go} (offline, vendored modules)`);
    await mkdir(cacheDir, { recursive: true });
    const work = await mkdtemp(path.join(cacheDir, 'build-'));
    try {
        progress.step('Extracting the source');
        await run('tar', ['-xJf', tarball, '-C', work], { maxBuffer: 16 << 20 }).catch((err: Error) => {
            throw new NativeNetworkError(
                `Could not extract ${tarball} (tar with xz support is needed): ${err.message}`,
            );
        });
        const srcDir = path.join(work, `fabric-${version}`);
        if (!existsSync(path.join(srcDir, 'vendor'))) {
            throw new NativeNetworkError(`${tarball} holds no fabric-${version}/vendor: an offline build needs it`);
        }
        const buildEnv = { ...env, CGO_ENABLED: '0', GOFLAGS: '-mod=vendor', GOPROXY: 'off' };
        const { stdout } = await run('go', ['list', '-deps', ...PACKAGES], {
            cwd: srcDir,
            env: buildEnv,
            maxBuffer: 16 << 20,
        });
        const total = stdout.split('\n').filter(Boolean).length;
        const outDir = path.join(work, 'bin');
        const ldflags = [
            `-X github.com/hyperledger/fabric/common/metadata.Version=${version}`,
            `-X github.com/hyperledger/fabric/common/metadata.CommitSHA=${FABRIC_RELEASES[version].commit.slice(0, 7)}`,
        ].join(' ');
        await goBuild(srcDir, buildEnv, ['-trimpath', '-v', '-ldflags', ldflags, '-o', `${outDir}/`, ...PACKAGES], {
            total,
            progress,
        });
        await rm(binDir, { recursive: true, force: true });
        await rename(outDir, binDir);
        progress.step(`Fabric ${version} binaries built into ${binDir}`);
    } finally {
        await rm(work, { recursive: true, force: true });
    }
}

async function goVersion(env: NodeJS.ProcessEnv): Promise<string> {
    try {
        const { stdout } = await run('go', ['version'], { env });
        return stdout.trim().replace(/^go version /, '');
    } catch {
        throw new NativeNetworkError(
            [
                'Building Fabric from source needs Go (at least the version its go.mod names: 1.26 for Fabric 3.1.5), and `go` is not on PATH.',
                'Install Go from your distribution or go.dev, or give ready binaries with FABRIC_BIN.',
            ].join('\n'),
        );
    }
}

/** Runs `go build -v`, counting the packages it names against the total for progress. */
function goBuild(
    cwd: string,
    env: NodeJS.ProcessEnv,
    args: string[],
    { total, progress }: { total: number; progress: Progress },
): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn('go', ['build', ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
        let built = 0;
        let errors = '';
        child.stderr.setEncoding('utf8');
        child.stderr.on('data', (text: string) => {
            for (const line of text.split('\n').filter(Boolean)) {
                if (/^[\w.-]+(\/[\w.~-]+)*$/.test(line)) {
                    built += 1;
                    progress.count('compiling', Math.min(built, total), total);
                } else {
                    errors += `${line}\n`;
                }
            }
        });
        child.on('error', reject);
        child.on('close', (code) => {
            progress.count('compiling', total, total);
            if (code === 0) {
                resolve();
            } else {
                reject(new NativeNetworkError(`go build failed (exit status ${code}):\n${errors.slice(-4000)}`));
            }
        });
    });
}
