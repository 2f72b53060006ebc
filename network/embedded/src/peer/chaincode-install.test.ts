import { mkdir, mkdtemp, readdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LedgerStore } from '../ledger/store';
import { InstalledChaincodes } from './chaincode-install';
import { packageChaincode } from './chaincode-package';

/** A module directory with an entry file. */
async function writeModule(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'index.js'), 'module.exports = 1;\n');
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

    it('nearest first, scoped ones one by one, symbolic links to where they lead, dangling ones left out', async () => {
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
        await symlink(path.join(dir, 'nowhere'), path.join(hoisted, 'dangling'));
        await writeModule(path.join(hoisted, '.bin'));

        const installed = await InstalledChaincodes.open(store, path.join(dir, 'lifecycle'));
        const pkg = await packageChaincode(sources, 'cc');
        const { dir: built } = await installed.install('Org1MSP', pkg.bytes, sources);

        const modules = path.join(built, 'node_modules');
        const target = (name: string): Promise<string> => realpath(path.join(modules, name));
        expect(await target('shadowing')).toBe(path.join(own, 'shadowing'));
        expect(await target('only-hoisted')).toBe(path.join(hoisted, 'only-hoisted'));
        expect(await target('@scope/near')).toBe(path.join(own, '@scope', 'near'));
        expect(await target('@scope/far')).toBe(path.join(hoisted, '@scope', 'far'));
        expect(await target('linked')).toBe(path.join(dir, 'packages', 'linked'));
        const names = await readdir(modules);
        expect(names).not.toContain('dangling');
        expect(names).not.toContain('.bin');
        // The ledger's own modules fill in the rest (here, the workspace's).
        expect(names).toContain('@zhelian');
    });
});
