import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedLedger } from './embedded-ledger';

const fixtures = path.join(__dirname, '..', 'test', 'fixtures', 'ledger');
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

describe("when the peers' chaincode instances start, on the zhelian topology (MAJORITY of four)", () => {
    let dataDir: string;
    let ledger: EmbeddedLedger;
    const running = () => readdir(path.join(dataDir, 'running-instances')).then((names) => names.sort());

    beforeAll(async () => {
        dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-instances-'));
        ledger = await EmbeddedLedger.open({ dataDir, topology: 'zhelian' });
        await ledger.deploy({ packageDir: path.join(fixtures, 'siblings') });
    });

    afterAll(async () => {
        await ledger?.close();
        await rm(dataDir, { recursive: true, force: true });
    });

    it('deploying starts one peer’s instance, so that a package that cannot load fails the deployment', async () => {
        expect(await running()).toEqual(['RegulatorMSP']);
    });

    it('starts the instances the policy adds while the first peer runs the first proposal, not after it', async () => {
        // The first peer (the client's own) waits until three instances run: were the others
        // started only once its interest names them, it would wait in vain and give up.
        const contract = ledger
            .connectWith(ledger.identity('MemberMSP', 'zheyi'))
            .getNetwork(ledger.channel)
            .getContract('siblings', 'siblings');
        const submitted = await contract.submitAsync('waitForInstances', { arguments: ['3'] });
        expect(text(submitted.getResult())).toBe('CourtMSP,MemberMSP,RegulatorMSP');
        expect((await submitted.getStatus()).successful).toBe(true);
        // The peer the plan does not need still has no instance.
        expect(await running()).toEqual(['CourtMSP', 'MemberMSP', 'RegulatorMSP']);
    });
});
