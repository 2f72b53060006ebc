import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '@zhelian/api';
import { EmbeddedLedger } from './embedded-ledger';

const assetTransfer = path.join(__dirname, '..', 'test', 'fixtures', 'ledger', 'asset-transfer');
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

describe('a test-network sample-style chaincode, unmodified, on the test-network topology', () => {
    let dataDir: string;
    let ledger: EmbeddedLedger;
    let org1: Contract;
    let org2: Contract;

    beforeAll(async () => {
        dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-test-network-'));
        ledger = await EmbeddedLedger.open({ dataDir, topology: 'test-network' });
        await ledger.deploy({
            packageDir: assetTransfer,
            name: 'basic',
            collections: [
                {
                    name: 'assetCollection',
                    policy: "OR('Org1MSP.member', 'Org2MSP.member')",
                    requiredPeerCount: 0,
                    maxPeerCount: 1,
                    blockToLive: 0,
                    memberOnlyRead: true,
                    memberOnlyWrite: true,
                },
            ],
        });
        org1 = (await ledger.connect({ mspId: 'Org1MSP', name: 'user1' })).getNetwork('mychannel').getContract('basic');
        org2 = (await ledger.connect({ mspId: 'Org2MSP', name: 'user1' })).getNetwork('mychannel').getContract('basic');
    });

    afterAll(async () => {
        await ledger?.close();
        await rm(dataDir, { recursive: true, force: true });
    });

    it('creates, reads, lists and transfers assets between Org1MSP and Org2MSP', async () => {
        await org1.submit('CreateAsset', {
            arguments: ['asset1', 'blue', '5'],
            transientData: { asset_properties: '{"salt":"a1"}' },
        });
        await org2.submitTransaction('CreateAsset', 'asset2', 'red', '10');
        expect(JSON.parse(text(await org2.evaluateTransaction('ReadAsset', 'asset1')))).toMatchObject({
            ID: 'asset1',
            OwnerOrg: 'Org1MSP',
        });
        expect(text(await org2.evaluateTransaction('ReadAssetProperties', 'asset1'))).toBe('{"salt":"a1"}');
        expect(
            (JSON.parse(text(await org1.evaluateTransaction('GetAllAssets'))) as { ID: string }[]).map((a) => a.ID),
        ).toEqual(['asset1', 'asset2']);
        await expect(org2.submitTransaction('TransferAsset', 'asset1', 'Org2MSP')).rejects.toThrow(
            /does not own asset asset1/,
        );
        const moved = JSON.parse(text(await org1.submitTransaction('TransferAsset', 'asset1', 'Org2MSP')));
        expect(moved.OwnerOrg).toBe('Org2MSP');
        await expect(org1.submitTransaction('CreateAsset', 'asset1', 'x', '1')).rejects.toThrow(/already exists/);
    });

    it("keeps an appraisal in the organization's implicit collection, endorsed by that organization alone", async () => {
        const submitted = await org1.submitAsync('AppraiseAsset', {
            arguments: ['asset2'],
            transientData: { appraisal: '1200' },
        });
        expect((await submitted.getStatus()).successful).toBe(true);
        const tx = await ledger.explorer.getTransaction(submitted.getTransactionId());
        expect(tx?.endorsers.map((e) => e.mspId)).toEqual(['Org1MSP']);
        expect(text(await org1.evaluateTransaction('ReadAppraisal', 'Org1MSP', 'asset2'))).toBe('1200');
        // Org2's peer holds only the hash of Org1's implicit collection: as a Fabric peer, it will not answer empty.
        await expect(org2.evaluateTransaction('ReadAppraisal', 'Org1MSP', 'asset2')).rejects.toThrow(
            /private data matching public hash version is not available\. Public hash version = \{BlockNum: \d+, TxNum: 0\}, Private data version = <nil>/,
        );
    });
});
