import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, type Run, runZhelian, SEMANTICS_CHAINCODE } from '../test/support/bin';

// Fabric's chaincode lifecycle through the installed `zhelian` bin, one process per step (so every
// step also shows that the steps before it were persisted), on a two-organization network whose
// LifecycleEndorsement policy (MAJORITY of two) needs both organizations.
const PACKAGE_ID = /^semantics_1:[0-9a-f]{64}$/;

describe('zhelian lifecycle', () => {
    let work: string;
    let run: (...args: string[]) => Promise<Run>;
    let packageFile: string;
    let packageId: string;

    /** `lifecycle approveformyorg` of chaincode semantics for `org`, with more flags. */
    function approve(org: string, ...flags: string[]): Promise<unknown> {
        return ok('lifecycle', 'approveformyorg', '--org', org, '--name', 'semantics', ...flags);
    }

    async function ok(...args: string[]): Promise<unknown> {
        const result = await run(...args);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        return JSON.parse(result.stdout) as unknown;
    }

    beforeAll(async () => {
        requireBuiltCli();
        work = await mkdtemp(path.join(tmpdir(), 'zhelian-lifecycle-'));
        const dataDir = path.join(work, 'data');
        run = (...args) => runZhelian('--data', dataDir, '--topology', 'test-network', ...args);
        packageFile = path.join(work, 'semantics.tar.gz');
    });

    afterAll(async () => {
        await rm(work, { recursive: true, force: true });
    });

    it('packages a directory as a Fabric install package whose id is label:hash, the same for the same sources', async () => {
        const packaged = (await ok(
            'lifecycle',
            'package',
            packageFile,
            '--path',
            SEMANTICS_CHAINCODE,
            '--label',
            'semantics_1',
        )) as {
            packageId: string;
        };
        expect(packaged).toEqual({
            packageId: expect.stringMatching(PACKAGE_ID),
            label: 'semantics_1',
            file: packageFile,
        });
        packageId = packaged.packageId;
        const again = path.join(work, 'again.tar.gz');
        await ok('lifecycle', 'package', again, '--path', SEMANTICS_CHAINCODE, '--label', 'semantics_1');
        expect(await readFile(again)).toEqual(await readFile(packageFile));
    });

    it('installs the package on one organization, once', async () => {
        expect(await ok('lifecycle', 'install', packageFile, '--org', 'Org1MSP')).toEqual({
            packageId,
            label: 'semantics_1',
        });
        const twice = await run('lifecycle', 'install', packageFile, '--org', 'Org1MSP');
        expect(twice.code).toBe(1);
        expect(twice.stderr).toBe(
            `zhelian: chaincode already successfully installed (package ID '${packageId}') on the peer of Org1MSP\n`,
        );
        expect(await ok('lifecycle', 'queryinstalled', '--org', 'Org1MSP')).toEqual([
            { packageId, label: 'semantics_1', references: [] },
        ]);
        expect(await ok('lifecycle', 'queryinstalled', '--org', 'Org2MSP')).toEqual([]);
    });

    it('leaves a definition approved by too few organizations uncommitted', async () => {
        await approve('Org1MSP', '--sequence', '1', '--package-id', packageId);
        expect(await ok('lifecycle', 'checkcommitreadiness', '--name', 'semantics', '--sequence', '1')).toEqual({
            name: 'semantics',
            sequence: 1,
            approvals: { Org1MSP: true, Org2MSP: false },
            ready: false,
        });
        const refused = await run('lifecycle', 'commit', '--name', 'semantics', '--sequence', '1');
        expect(refused.code).toBe(1);
        expect(refused.stdout).toBe('');
        expect(refused.stderr).toMatch(/ENDORSEMENT_POLICY_FAILURE.*approved by Org1MSP, not agreed to by Org2MSP/);
        expect(await ok('lifecycle', 'querycommitted')).toEqual([]);
        const unusable = await run('invoke', 'semantics', 'semantics:put', 'k', 'v', '--as', 'Org1MSP:user1');
        expect(unusable.stderr).toMatch(/chaincode semantics is not deployed/);
    });

    it('refuses a sequence that is not the next one, and a definition that differs from the approved one', async () => {
        const skipped = await run('lifecycle', 'approve', '--org', 'Org2MSP', '--name', 'semantics', '--sequence', '2');
        expect(skipped.stderr).toBe(
            'zhelian: requested sequence 2 is larger than the next available sequence number 1\n',
        );
        // Org2MSP approves another version: it is not an approval of Org1MSP's definition.
        await approve('Org2MSP', '--sequence', '1', '--version', '2.0');
        expect(await ok('lifecycle', 'checkcommitreadiness', '--name', 'semantics', '--sequence', '1')).toMatchObject({
            approvals: { Org1MSP: true, Org2MSP: false },
        });
    });

    it('commits once the LifecycleEndorsement policy is met; a peer runs it only once its org installed it', async () => {
        // Org2MSP approves the same definition without installing the package.
        await approve('Org2MSP', '--sequence', '1', '--package-id', packageId);
        expect(await ok('lifecycle', 'commit', '--name', 'semantics', '--sequence', '1')).toEqual({
            name: 'semantics',
            sequence: 1,
            version: '1.0',
            policy: 'MAJORITY Endorsement',
            collections: [],
            packageIds: { Org1MSP: packageId },
            approvals: { Org1MSP: true, Org2MSP: true },
        });
        // Org2MSP's own peer cannot run it: asked for alone, Fabric's gateway has no peer to send it to…
        const notInstalled = await run(
            'query',
            'semantics',
            'semantics:get',
            'k',
            '--as',
            'Org2MSP:user1',
            '--endorsing-orgs',
            'Org2MSP',
        );
        expect(notInstalled.code).toBe(1);
        expect(notInstalled.stderr).toMatch(/no peers available to evaluate chaincode semantics in channel mychannel/);
        // …and, as Fabric's gateway does, an evaluation it cannot serve goes to a peer that can.
        expect(await ok('query', 'semantics', 'semantics:get', 'k', '--as', 'Org2MSP:user1')).toBe('');

        await ok('lifecycle', 'install', packageFile, '--org', 'Org2MSP');
        expect(await ok('invoke', 'semantics', 'semantics:put', 'k', 'v', '--as', 'Org2MSP:user1')).toMatchObject({
            validationCodeName: 'VALID',
        });
        expect(await ok('lifecycle', 'queryinstalled', '--org', 'Org2MSP')).toEqual([
            { packageId, label: 'semantics_1', references: [{ name: 'semantics', sequence: 1 }] },
        ]);
    });

    it('refuses to commit the same sequence twice, and to redefine it with other parameters', async () => {
        const again = await run('lifecycle', 'commit', '--name', 'semantics', '--sequence', '1');
        expect(again.stderr).toBe('zhelian: requested sequence is 1, but new definition must be sequence 2\n');
        const redefined = await run(
            'lifecycle',
            'approve',
            '--org',
            'Org1MSP',
            '--name',
            'semantics',
            '--sequence',
            '1',
            '--policy',
            "OR('Org1MSP.peer')",
        );
        expect(redefined.stderr).toMatch(
            /attempted to redefine the current committed sequence \(1\) for namespace semantics with different parameters/,
        );
    });

    describe('deploy, the shortcut over these steps', () => {
        let source: string;

        beforeAll(async () => {
            // A copy we can edit and delete: the installed package must not follow it.
            source = path.join(work, 'source');
            await cp(SEMANTICS_CHAINCODE, source, { recursive: true });
        });

        it('installs an immutable copy: editing the sources changes nothing until the next deploy, with sequence + 1', async () => {
            const first = (await ok('deploy', source, '--name', 'mutable')) as { sequence: number; packageId: string };
            expect(first).toMatchObject({
                name: 'mutable',
                sequence: 1,
                packageId: expect.stringMatching(/^mutable:[0-9a-f]{64}$/),
            });
            await ok('invoke', 'mutable', 'semantics:put', 'x', 'original');

            const index = path.join(source, 'index.js');
            await writeFile(
                index,
                (await readFile(index, 'utf8')).replace(
                    'async get(ctx, key) {',
                    "async get(ctx, key) {\n        if (key === 'x') return 'edited';",
                ),
            );
            expect(await ok('query', 'mutable', 'semantics:get', 'x')).toBe('original');

            const second = (await ok('deploy', source, '--name', 'mutable')) as { sequence: number; packageId: string };
            expect(second.sequence).toBe(2);
            expect(second.packageId).not.toBe(first.packageId);
            expect(await ok('query', 'mutable', 'semantics:get', 'x')).toBe('edited');

            // The same package under the same definition: nothing to do.
            expect(await ok('deploy', source, '--name', 'mutable')).toMatchObject({
                sequence: 2,
                packageId: second.packageId,
            });
        });

        it('keeps running after the source directory is gone', async () => {
            await rm(source, { recursive: true });
            expect(existsSync(source)).toBe(false);
            expect(await ok('query', 'mutable', 'semantics:get', 'x')).toBe('edited');
        });
    });
});
