import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '@zhelian/api';
import { EndorseError } from '@zhelian/api';
import { SEMANTICS_PACKAGE } from '../test/support/semantics';
import { EmbeddedLedger } from './embedded-ledger';
import { TxValidationCode } from '@zhelian/api';

const fixtures = path.join(__dirname, '..', 'test', 'fixtures');
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

describe('endorsement on the four-organization zhelian topology', () => {
    let dataDir: string;
    let ledger: EmbeddedLedger;
    let hospital: Contract;

    beforeAll(async () => {
        dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-endorsement-'));
        ledger = await EmbeddedLedger.open({ dataDir, topology: 'zhelian', chaincodeTimeoutMs: 1500 });
        await ledger.deploy({ packageDir: SEMANTICS_PACKAGE });
        hospital = ledger
            .connectWith(ledger.identity('MemberMSP', 'zheyi'))
            .getNetwork('zhelian')
            .getContract('semantics', 'semantics');
    });

    afterAll(async () => {
        await ledger?.close();
        await rm(dataDir, { recursive: true, force: true });
    });

    it("endorses on a majority of the four organizations, the client's own first", async () => {
        const submitted = await hospital.submitAsync('put', { arguments: ['majority', '1'] });
        await submitted.getStatus();
        const tx = await ledger.explorer.getTransaction(submitted.getTransactionId());
        expect(tx?.endorsers).toHaveLength(3);
        expect(tx?.endorsers[0].mspId).toBe('MemberMSP');
    });

    it("reads the caller's role and unit from the certificate, Chinese text included", async () => {
        const info = JSON.parse(text(await hospital.evaluateTransaction('txInfo'))) as {
            role: string;
            unit: string;
            mspId: string;
        };
        expect(info).toMatchObject({ mspId: 'MemberMSP', role: 'hospital', unit: '浙江大学医学院附属第一医院' });
    });

    it('applies a key-level policy instead of the chaincode policy once a key has one', async () => {
        await hospital.submitTransaction('put', 'receipt', 'issued');
        await hospital.submitTransaction('restrict', 'receipt', '["RegulatorMSP"]');
        expect(JSON.parse(text(await hospital.evaluateTransaction('keyPolicyOrgs', 'receipt')))).toEqual([
            'RegulatorMSP',
        ]);

        // A majority without the regulator satisfies the chaincode policy but not the key's.
        const withoutRegulator = await hospital.submitAsync('put', {
            arguments: ['receipt', 'forged'],
            endorsingOrganizations: ['MemberMSP', 'CourtMSP', 'PlatformMSP'],
        });
        expect((await withoutRegulator.getStatus()).code).toBe(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        expect(text(await hospital.evaluateTransaction('get', 'receipt'))).toBe('issued');

        // The regulator alone satisfies the key's policy, though not the chaincode's majority.
        const regulatorOnly = await hospital.submitAsync('put', {
            arguments: ['receipt', 'reimbursed'],
            endorsingOrganizations: ['RegulatorMSP'],
        });
        expect((await regulatorOnly.getStatus()).successful).toBe(true);
        expect(text(await hospital.evaluateTransaction('get', 'receipt'))).toBe('reimbursed');

        // A value update keeps the key's policy; a key without one still needs the majority.
        expect(JSON.parse(text(await hospital.evaluateTransaction('keyPolicyOrgs', 'receipt')))).toEqual([
            'RegulatorMSP',
        ]);
        const other = await hospital.submitAsync('put', {
            arguments: ['unrestricted', 'x'],
            endorsingOrganizations: ['RegulatorMSP'],
        });
        expect((await other.getStatus()).code).toBe(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
    });

    it("plans the endorsers of a key's update from its key-level policy, as Fabric's gateway does", async () => {
        await hospital.submitTransaction('put', 'prescription', 'issued');
        await hospital.submitTransaction('restrict', 'prescription', '["PlatformMSP"]');
        // The client's own majority would leave the platform out; the key's policy needs the platform alone.
        const update = await hospital.submitAsync('put', { arguments: ['prescription', 'dispensed'] });
        expect((await update.getStatus()).code).toBe(TxValidationCode.VALID);
        const tx = await ledger.explorer.getTransaction(update.getTransactionId());
        expect(tx?.endorsers.map((endorser) => endorser.mspId)).toEqual(['PlatformMSP']);
        expect(text(await hospital.evaluateTransaction('get', 'prescription'))).toBe('dispensed');
    });

    it('fails a transaction whose chaincode throws, and keeps none of its writes', async () => {
        await ledger.deploy({ packageDir: path.join(fixtures, 'chaincode', 'throws'), name: 'throws' });
        const contract = ledger
            .connectWith(ledger.identity('MemberMSP', 'zheyi'))
            .getNetwork('zhelian')
            .getContract('throws');
        const height = await ledger.explorer.getHeight();
        await expect(contract.submitTransaction('explode')).rejects.toThrow(/E_EXPLODED/);
        expect(await ledger.explorer.getHeight()).toBe(height);
        expect(text(await contract.evaluateTransaction('ping'))).toBe('pong');
    });

    it('fails a hanging transaction after the timeout, and other chaincode keeps answering', async () => {
        await ledger.deploy({ packageDir: path.join(fixtures, 'chaincode', 'hangs'), name: 'hangs' });
        const contract = ledger
            .connectWith(ledger.identity('MemberMSP', 'zheyi'))
            .getNetwork('zhelian')
            .getContract('hangs');
        const error = await contract.submitTransaction('hang').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(EndorseError);
        expect((error as Error).message).toMatch(/did not complete transaction .* within 1500 ms/);
        expect(text(await contract.evaluateTransaction('ping'))).toBe('pong');
        expect(text(await hospital.submitTransaction('putThenGet', 'alive', 'yes'))).toBe('');
    });

    it('fails the transactions of a chaincode that exits, restarts it, and leaves the ledger running', async () => {
        await ledger.deploy({ packageDir: path.join(fixtures, 'chaincode', 'exits'), name: 'exits' });
        const contract = ledger
            .connectWith(ledger.identity('MemberMSP', 'zheyi'))
            .getNetwork('zhelian')
            .getContract('exits');
        await expect(contract.submitTransaction('quit', '3')).rejects.toThrow(/exited with code/);
        expect(text(await contract.evaluateTransaction('ping'))).toBe('pong');
        await hospital.submitTransaction('put', 'after-exit', 'fine');
        expect(text(await hospital.evaluateTransaction('get', 'after-exit'))).toBe('fine');
        expect((await ledger.explorer.verifyChain()).ok).toBe(true);
    });
});

describe('chaincode in child processes (isolation: process)', () => {
    it('runs the same chaincode and survives a chaincode that exits', async () => {
        const dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-process-'));
        const ledger = await EmbeddedLedger.open({ dataDir, topology: 'test-network', chaincodeIsolation: 'process' });
        try {
            await ledger.deploy({ packageDir: SEMANTICS_PACKAGE });
            await ledger.deploy({ packageDir: path.join(fixtures, 'chaincode', 'exits'), name: 'exits' });
            const gateway = (await ledger.connect({ mspId: 'Org1MSP', name: 'user1' })).getNetwork('mychannel');
            const semantics = gateway.getContract('semantics', 'semantics');
            const info = JSON.parse(text(await semantics.evaluateTransaction('txInfo'))) as { mspId: string };
            expect(info.mspId).toBe('Org1MSP');
            await expect(gateway.getContract('exits').submitTransaction('quit', '3')).rejects.toThrow(
                /exited with code 3/,
            );
            await semantics.submitTransaction('put', 'after', 'fine');
            expect(text(await semantics.evaluateTransaction('get', 'after'))).toBe('fine');
        } finally {
            await ledger.close();
            await rm(dataDir, { recursive: true, force: true });
        }
    });
});
