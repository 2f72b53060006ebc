import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FABRIC_TOOLS, fabricBinaries } from './binaries';
import type { Progress } from './progress';

let dir: string;
const steps: string[] = [];
const progress: Progress = { step: (m) => steps.push(m), count: () => undefined, elapsed: () => 0 };

/** A directory of stand-in tools that report `version` as Fabric's do. */
async function fakeTools(name: string, version: string): Promise<string> {
    const bin = path.join(dir, name);
    await mkdir(bin, { recursive: true });
    for (const tool of FABRIC_TOOLS) {
        await writeFile(path.join(bin, tool), `#!/bin/sh\necho "${tool}:"\necho " Version: ${version}"\n`);
        await chmod(path.join(bin, tool), 0o755);
    }
    return bin;
}

beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'zhelian-binaries-'));
});

afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
});

describe("finding Fabric's binaries", () => {
    it('takes FABRIC_BIN when its tools report the wanted version', async () => {
        const bin = await fakeTools('right', '3.1.5');
        const found = await fabricBinaries({
            version: '3.1.5',
            repoRoot: dir,
            progress,
            env: { FABRIC_BIN: bin, PATH: '' },
        });
        expect(found).toEqual({ dir: bin, version: '3.1.5', source: 'FABRIC_BIN' });
    });

    it('passes over another version on PATH and says what a user can do when nothing else is there', async () => {
        const old = await fakeTools('old', '2.5.16');
        await expect(
            fabricBinaries({ version: '3.1.5', repoRoot: dir, progress, env: { PATH: old, HOME: dir } }),
        ).rejects.toThrow(/No Fabric 3\.1\.5 binaries.*FABRIC_BIN.*FABRIC_SRC_TARBALL.*go install/s);
        expect(steps.join('\n')).toContain(`PATH has Fabric 2.5.16 in ${old}, not 3.1.5`);
    });

    it('refuses a release it does not know', async () => {
        await expect(fabricBinaries({ version: '9.9.9', repoRoot: dir, progress, env: {} })).rejects.toThrow(
            /3\.1\.5, 2\.5\.16/,
        );
    });

    it('refuses a tarball whose checksum SHA256SUMS does not list as it is', async () => {
        const shared = path.join(dir, 'shared', 'fabric');
        await mkdir(shared, { recursive: true });
        await writeFile(path.join(shared, 'fabric-3.1.5-src.tar.xz'), 'not the release');
        await writeFile(path.join(shared, 'SHA256SUMS'), `${'0'.repeat(64)}  fabric-3.1.5-src.tar.xz\n`);
        await expect(
            fabricBinaries({
                version: '3.1.5',
                repoRoot: path.join(dir, 'repo'),
                progress,
                env: { PATH: '', XDG_CACHE_HOME: path.join(dir, 'cache') },
            }),
        ).rejects.toThrow(/but .*SHA256SUMS says 0{64}: the file is damaged or not the release/);
    });
});
