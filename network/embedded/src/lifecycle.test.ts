import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@zhelian/api';
import { SEMANTICS_PACKAGE } from '../test/support/semantics';
import { EmbeddedLedger } from './embedded-ledger';
import { loadTopology } from './topology';

// Fabric's lifecycle on the embedded ledger, through the library: the four-organization zhelian
// topology, whose LifecycleEndorsement policy (MAJORITY) needs three approvals of four.
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

describe("the embedded ledger's chaincode lifecycle", () => {
    let work: string;
    let dataDir: string;
    let ledger: EmbeddedLedger;
    let packageFile: string;
    let packageId: string;

    beforeAll(async () => {
        work = await mkdtemp(path.join(tmpdir(), 'zhelian-lifecycle-'));
        dataDir = path.join(work, 'data');
        ledger = await EmbeddedLedger.open({ dataDir, topology: 'zhelian' });
        packageFile = path.join(work, 'semantics.tar.gz');
        ({ packageId } = await ledger.lifecycle.package({
            packageDir: SEMANTICS_PACKAGE,
            label: 'semantics_1',
            file: packageFile,
        }));
        for (const org of ['RegulatorMSP', 'CourtMSP', 'PlatformMSP', 'MemberMSP']) {
            await ledger.lifecycle.install(org, packageFile);
        }
    });

    afterAll(async () => {
        await ledger?.close();
        await rm(work, { recursive: true, force: true });
    });

    it('keeps approvals across a restart, and commits with three of four', async () => {
        const definition = { name: 'semantics', sequence: 1 };
        await ledger.lifecycle.approve('RegulatorMSP', { ...definition, packageId });
        await ledger.lifecycle.approve('CourtMSP', { ...definition, packageId });
        await expect(ledger.lifecycle.commit(definition)).rejects.toMatchObject({
            code: ErrorCode.DEFINITION_NOT_APPROVED,
            message: expect.stringContaining('not agreed to by PlatformMSP, MemberMSP'),
        });

        await ledger.close();
        ledger = await EmbeddedLedger.open({ dataDir });
        expect(await ledger.lifecycle.checkCommitReadiness(definition)).toEqual({
            name: 'semantics',
            sequence: 1,
            approvals: { RegulatorMSP: true, CourtMSP: true, PlatformMSP: false, MemberMSP: false },
            ready: false,
        });
        await ledger.lifecycle.approve('PlatformMSP', { ...definition, packageId });
        const committed = await ledger.lifecycle.commit(definition);
        expect(committed.approvals).toEqual({
            RegulatorMSP: true,
            CourtMSP: true,
            PlatformMSP: true,
            MemberMSP: false,
        });
        expect(ledger.describe().chaincodes).toEqual([
            {
                name: 'semantics',
                sequence: 1,
                version: '1.0',
                policy: 'MAJORITY Endorsement',
                collections: [],
                packageIds: { RegulatorMSP: packageId, CourtMSP: packageId, PlatformMSP: packageId },
            },
        ]);
    });

    it('refuses on the peer of an organization that has not approved, until it approves the committed sequence', async () => {
        const member = (await ledger.connect({ mspId: 'MemberMSP', name: 'zheyi' }))
            .getNetwork('zhelian')
            .getContract('semantics');
        // Its own peer cannot run it, so Fabric's gateway has no peer of that organization to ask…
        await expect(
            member.evaluate('semantics:get', { arguments: ['k'], endorsingOrganizations: ['MemberMSP'] }),
        ).rejects.toThrow('no peers available to evaluate chaincode semantics in channel zhelian');
        // …while the gateway, as Fabric's, takes an evaluation to a peer that can serve it.
        expect(text(await member.evaluate('semantics:get', { arguments: ['k'] }))).toBe('');
        await ledger.lifecycle.approve('MemberMSP', { name: 'semantics', sequence: 1, packageId });
        await member.submit('semantics:put', { arguments: ['k', 'v'] });
        expect(text(await member.evaluate('semantics:get', { arguments: ['k'] }))).toBe('v');
        await expect(
            ledger.lifecycle.approve('MemberMSP', { name: 'semantics', sequence: 1, packageId }),
        ).rejects.toThrow('attempted to redefine the current committed sequence (1) for namespace semantics');
    });

    describe('collections configs, validated before anything changes', () => {
        const file = () => path.join(work, 'collections.json');
        let before: unknown;

        beforeAll(() => {
            before = ledger.describe().chaincodes;
        });

        afterEach(() => {
            expect(ledger.describe().chaincodes).toEqual(before);
        });

        it.each([
            [
                'a config that is not an array',
                { name: 'c', policy: "OR('MemberMSP.member')" },
                /is invalid at \(root\): expected an array/,
            ],
            [
                'a field of the wrong type',
                [{ name: 'c', policy: "OR('MemberMSP.member')", blockToLive: '0' }],
                /is invalid at \[0\]\.blockToLive: /,
            ],
            [
                'an unknown field',
                [{ name: 'c', policy: "OR('MemberMSP.member')", memberOnlyread: true }],
                /is invalid at \[0\]: .*memberOnlyread/,
            ],
            [
                'a member that is not on the channel',
                [{ name: 'c', policy: "OR('Org9MSP.member')" }],
                /collection member 'Org9MSP' is not part of the channel/,
            ],
            ['a policy that does not parse', [{ name: 'c', policy: 'OR(' }], /has an invalid policy/],
            [
                'a duplicate name',
                [
                    { name: 'c', policy: "OR('MemberMSP.member')" },
                    { name: 'c', policy: "OR('MemberMSP.member')" },
                ],
                /found duplicate/,
            ],
        ])('refuses %s with INVALID_COLLECTIONS, naming the file', async (_name, config, message) => {
            await writeFile(file(), JSON.stringify(config));
            const deploying = ledger.deploy({ packageDir: SEMANTICS_PACKAGE, collections: file() });
            await expect(deploying).rejects.toMatchObject({ code: ErrorCode.INVALID_COLLECTIONS });
            await expect(deploying).rejects.toThrow(file());
            await expect(deploying).rejects.toThrow(message);
        });
    });

    it('upgrades with sequence + 1 through deploy, and keeps a collection once defined', async () => {
        const config = path.join(work, 'shared.json');
        await writeFile(
            config,
            JSON.stringify([{ name: 'shared', policy: "OR('MemberMSP.member','CourtMSP.member')" }]),
        );
        const upgraded = await ledger.deploy({ packageDir: SEMANTICS_PACKAGE, collections: config });
        expect(upgraded).toMatchObject({
            sequence: 2,
            collections: ['shared'],
            packageId: expect.stringMatching(/^semantics:/),
        });
        expect(new Set(Object.values(upgraded.packageIds ?? {}))).toEqual(new Set([upgraded.packageId]));
        await expect(ledger.deploy({ packageDir: SEMANTICS_PACKAGE })).rejects.toThrow(
            'the proposed collection config does not contain previously defined collections',
        );
        expect(ledger.describe().chaincodes[0].sequence).toBe(2);
    });

    it("commits with one approval where the topology's LifecycleEndorsement policy says ANY", async () => {
        const anyDir = path.join(work, 'any');
        const topology = { ...(await loadTopology('test-network')), lifecycleEndorsement: 'ANY Endorsement' };
        const lenient = await EmbeddedLedger.open({ dataDir: anyDir, topology });
        try {
            await lenient.lifecycle.install('Org1MSP', packageFile);
            await lenient.lifecycle.approve('Org1MSP', { name: 'semantics', sequence: 1, packageId });
            expect((await lenient.lifecycle.commit({ name: 'semantics', sequence: 1 })).approvals).toEqual({
                Org1MSP: true,
                Org2MSP: false,
            });
        } finally {
            await lenient.close();
        }
    });

    it('refuses to open a data dir without a ledger when it may not create one, writing nothing', async () => {
        const typo = path.join(work, 'typo');
        await expect(EmbeddedLedger.open({ dataDir: typo, create: false })).rejects.toMatchObject({
            code: ErrorCode.NO_LEDGER,
        });
        expect(existsSync(typo)).toBe(false);
    });
});
