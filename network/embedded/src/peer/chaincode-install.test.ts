import { createRequire } from 'node:module';
import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LedgerStore } from '../ledger/store';
import { InstalledChaincodes } from './chaincode-install';
import { type PackageMetadata, packageChaincode, readChaincodePackage } from './chaincode-package';

/** A module directory with an entry file. */
async function writeModule(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'index.js'), 'module.exports = 1;\n');
}

/** A package in Fabric's format holding `files` (by their path in the package directory). */
async function repackage(files: Map<string, Buffer>, metadata: PackageMetadata): Promise<Buffer> {
    const tarOf = async (entries: [string, Buffer][]): Promise<Buffer> => {
        const pack = tar.pack();
        for (const [name, content] of entries) {
            pack.entry({ name, size: content.length, type: 'file' }, content);
        }
        pack.finalize();
        const chunks: Buffer[] = [];
        for await (const chunk of pack) {
            chunks.push(chunk as Buffer);
        }
        return Buffer.concat(chunks);
    };
    const code = gzipSync(await tarOf([...files].map(([name, content]) => [`src/${name}`, content])));
    return gzipSync(
        await tarOf([
            ['metadata.json', Buffer.from(JSON.stringify(metadata))],
            ['code.tar.gz', code],
        ]),
    );
}

describe('installing a chaincode package links the modules its sources resolve', () => {
    let dir: string;
    let store: LedgerStore;

    beforeEach(async () => {
        dir = await realpath(await mkdtemp(path.join(tmpdir(), 'zhelian-install-')));
        store = await LedgerStore.open(path.join(dir, 'ledger'));
    });

    afterEach(async () => {
        await store.close();
        await rm(dir, { recursive: true, force: true });
    });

    it("resolves each module from the nearest node_modules the sources resolve it from, then the ledger's own", async () => {
        const workspace = path.join(dir, 'workspace');
        const sources = path.join(workspace, 'chaincode');
        await writeModule(sources);
        await writeFile(path.join(sources, 'package.json'), JSON.stringify({ name: 'cc', main: 'index.js' }));
        const own = path.join(sources, 'node_modules');
        const hoisted = path.join(workspace, 'node_modules');
        await writeModule(path.join(own, 'shadowing'));
        await writeModule(path.join(hoisted, 'shadowing'));
        await writeModule(path.join(hoisted, 'only-hoisted'));
        await writeModule(path.join(own, '@scope', 'near'));
        await writeModule(path.join(hoisted, '@scope', 'far'));
        await writeModule(path.join(dir, 'packages', 'linked'));
        await symlink(path.join(dir, 'packages', 'linked'), path.join(hoisted, 'linked'));
        await symlink(path.join(dir, 'nowhere'), path.join(own, 'dangling'));
        await writeModule(path.join(hoisted, 'dangling'));

        const installed = await InstalledChaincodes.open(store, path.join(dir, 'lifecycle'));
        const pkg = await packageChaincode(sources, 'cc');
        const { dir: built } = await installed.install('Org1MSP', pkg.bytes, sources);

        expect(await readFile(path.join(built, 'package.json'), 'utf8')).toContain('"cc"');
        const resolve = createRequire(path.join(built, 'package.json')).resolve;
        const entry = (module: string): string => path.join(module, 'index.js');
        expect(resolve('shadowing')).toBe(entry(path.join(own, 'shadowing')));
        expect(resolve('only-hoisted')).toBe(entry(path.join(hoisted, 'only-hoisted')));
        expect(resolve('@scope/near')).toBe(entry(path.join(own, '@scope', 'near')));
        expect(resolve('@scope/far')).toBe(entry(path.join(hoisted, '@scope', 'far')));
        expect(resolve('linked')).toBe(entry(path.join(dir, 'packages', 'linked')));
        // A dangling link is passed over, as Node passes it over from the sources.
        expect(resolve('dangling')).toBe(entry(path.join(hoisted, 'dangling')));
        // The ledger's own modules fill in the rest (here, the workspace's).
        expect(resolve('@zhelian/api')).toBe(createRequire(__filename).resolve('@zhelian/api'));
        expect(() => resolve('missing-everywhere')).toThrow(/Cannot find module/);
    });

    it('keeps a node_modules that the package itself ships, nearest, before the ones its sources resolve', async () => {
        const sources = path.join(dir, 'workspace', 'chaincode');
        await writeModule(sources);
        await writeFile(path.join(sources, 'package.json'), JSON.stringify({ name: 'cc', main: 'index.js' }));
        await writeModule(path.join(dir, 'workspace', 'node_modules', 'shipped'));
        const pkg = await packageChaincode(sources, 'cc');
        const files = await readChaincodePackage(pkg.bytes, 'cc.tar.gz');
        files.files.set('node_modules/shipped/index.js', Buffer.from('module.exports = 2;\n'));
        const bytes = await repackage(files.files, files.metadata);

        const installed = await InstalledChaincodes.open(store, path.join(dir, 'lifecycle'));
        const { dir: built } = await installed.install('Org1MSP', bytes, 'cc.tar.gz');

        const resolve = createRequire(path.join(built, 'package.json')).resolve;
        expect(resolve('shipped')).toBe(path.join(built, 'node_modules', 'shipped', 'index.js'));
        expect(resolve('@zhelian/api')).toBe(createRequire(__filename).resolve('@zhelian/api'));
    });

    it('runs a package built before the linked-directory layout from where that build put it', async () => {
        const sources = path.join(dir, 'workspace', 'chaincode');
        await writeModule(sources);
        await writeFile(path.join(sources, 'package.json'), JSON.stringify({ name: 'cc', main: 'index.js' }));
        const pkg = await packageChaincode(sources, 'cc');
        const lifecycle = path.join(dir, 'lifecycle');
        // An earlier build: the package's files at the top of its directory.
        const earlier = path.join(lifecycle, 'builds', pkg.packageId.replace(':', '.'));
        await writeModule(earlier);
        await writeFile(path.join(earlier, 'package.json'), JSON.stringify({ name: 'cc', main: 'index.js' }));

        const installed = await InstalledChaincodes.open(store, lifecycle);
        const { dir: built } = await installed.install('Org1MSP', pkg.bytes, sources);
        expect(built).toBe(earlier);
    });
});
