import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '@zhelian/api';
import { EmbeddedLedger } from './embedded-ledger';

const fixtures = path.join(__dirname, '..', 'test', 'fixtures', 'ledger');
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

describe("each organization's peer, as Fabric's, on the test-network topology", () => {
    let dataDir: string;
    let ledger: EmbeddedLedger;
    let org1: Contract;
    let org2: Contract;

    beforeAll(async () => {
        dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-peers-'));
        ledger = await EmbeddedLedger.open({ dataDir, topology: 'test-network' });
        await ledger.deploy({
            packageDir: path.join(fixtures, 'peer-org'),
            policy: "OR('Org1MSP.peer','Org2MSP.peer')",
        });
        const contract = (mspId: string) =>
            ledger
                .connectWith(ledger.identity(mspId, 'user1'))
                .getNetwork('mychannel')
                .getContract('peer-org', 'peerorg');
        org1 = contract('Org1MSP');
        org2 = contract('Org2MSP');
    });

    afterAll(async () => {
        await ledger?.close();
        await rm(dataDir, { recursive: true, force: true });
    });

    const endorsersOf = async (txId: string) =>
        (await ledger.explorer.getTransaction(txId))?.endorsers.map((endorser) => endorser.mspId);

    describe('runs chaincode in each peer with its own MSP ID', () => {
        it('answers getMspID() with the MSP ID of the peer that runs the chaincode', async () => {
            expect(text(await org1.evaluateTransaction('peerMspId'))).toBe('Org1MSP');
            expect(text(await org2.evaluateTransaction('peerMspId'))).toBe('Org2MSP');
            const onOrg2Peer = org1.newProposal('peerMspId', { endorsingOrganizations: ['Org2MSP'] });
            expect(text(await onOrg2Peer.evaluate())).toBe('Org2MSP');
        });

        it("keeps private data only on the client's own organization's peer", async () => {
            const submitted = await org1.submitAsync('putOrgSecret', {
                arguments: ['formula'],
                transientData: { secret: 'Org1 recipe' },
            });
            expect((await submitted.getStatus()).successful).toBe(true);
            expect(await endorsersOf(submitted.getTransactionId())).toEqual(['Org1MSP']);
            expect(text(await org1.evaluateTransaction('getOrgSecret', 'formula'))).toBe('Org1 recipe');

            // Sent to Org1's peer, an Org2 client is refused by the chaincode's own check.
            await expect(
                org2.submit('putOrgSecret', {
                    arguments: ['formula'],
                    transientData: { secret: 'overwritten' },
                    endorsingOrganizations: ['Org1MSP'],
                }),
            ).rejects.toThrow(
                /client from org Org2MSP is not authorized to read or write private data from an org Org1MSP peer/,
            );
            expect(text(await org1.evaluateTransaction('getOrgSecret', 'formula'))).toBe('Org1 recipe');
        });
    });
});
