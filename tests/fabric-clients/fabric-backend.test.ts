import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type LedgerBackend, openBackend, TxValidationCode } from '@zhelian/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ASSET_TRANSFER = path.join(
    __dirname,
    '..',
    '..',
    'network',
    'embedded',
    'test',
    'fixtures',
    'ledger',
    'asset-transfer',
);
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

/**
 * Zhelian's own client of real Fabric networks (`@zhelian/fabric`, over fabric-gateway, qscc and
 * Deliver) pointed at the embedded ledger's served peers through the connection description the
 * export writes: it reads the committed definitions through `_lifecycle`, submits and evaluates,
 * follows chaincode events, and verifies the chain of common.Blocks by Fabric's hashing rules.
 */
describe('the Fabric backend through the embedded peers', () => {
    let dataDir: string;
    let embedded: LedgerBackend;
    let fabric: LedgerBackend;

    beforeAll(async () => {
        dataDir = await mkdtemp(path.join(os.tmpdir(), 'zhelian-fabric-backend-'));
        // A CouchDB state database, which the exported connection description names for the Fabric backend.
        embedded = await openBackend({
            network: 'embedded',
            dataDir,
            topology: 'test-network',
            stateDatabase: 'couchdb',
        });
        await embedded.lifecycle!.deploy({ packageDir: ASSET_TRANSFER, name: 'basic' });
        await embedded.fabricProtocols!.serve({ ports: { Org1MSP: 0, Org2MSP: 0 } });
        const exported = await embedded.fabricProtocols!.exportOrganizations(path.join(dataDir, 'organizations'));
        fabric = await openBackend({ network: 'fabric', connection: exported.fabricConnection });
    });

    afterAll(async () => {
        await fabric?.close();
        await embedded?.close();
        await rm(dataDir, { recursive: true, force: true });
    });

    it('describes the channel and its committed chaincode as the embedded ledger does', () => {
        const described = fabric.describe();
        expect(described.channel).toBe('mychannel');
        expect(described.stateDatabase).toBe('couchdb');
        expect(described.chaincodes).toEqual([expect.objectContaining({ name: 'basic', sequence: 1 })]);
        expect(described.organizations.map((org) => org.peers)).toEqual([
            ['peer0.org1.example.com'],
            ['peer0.org2.example.com'],
        ]);
    });

    it('submits, evaluates and follows events through the served peers, and verifies the chain', async () => {
        const gateway = await fabric.connect({ mspId: 'Org2MSP', name: 'user1' });
        const network = gateway.getNetwork('mychannel');
        const contract = network.getContract('basic');
        const start = BigInt(await fabric.explorer.getHeight());
        const submitted = await contract.submitAsync('CreateAsset', { arguments: ['via-fabric', 'green', '4'] });
        expect((await submitted.getStatus()).code).toBe(TxValidationCode.VALID);
        expect(JSON.parse(text(await contract.evaluateTransaction('ReadAsset', 'via-fabric')))).toMatchObject({
            OwnerOrg: 'Org2MSP',
        });
        const events = await network.getChaincodeEvents('basic', { startBlock: start });
        const iterator = events[Symbol.asyncIterator]();
        const { value } = await iterator.next();
        events.close();
        expect(value).toMatchObject({ eventName: 'CreateAsset', transactionId: submitted.getTransactionId() });

        const tx = await fabric.explorer.getTransaction(submitted.getTransactionId());
        expect(tx?.endorsers.map((endorser) => endorser.mspId).sort()).toEqual(['Org1MSP', 'Org2MSP']);
        expect(await fabric.explorer.verifyChain!()).toMatchObject({ ok: true, problems: [] });
        gateway.close();
    });
});
