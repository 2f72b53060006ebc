import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Contract, Proposal } from '@zhelian/api';
import { EndorseError, GatewayError, GrpcStatus, TxValidationCode } from '@zhelian/api';
import { EmbeddedLedger } from './embedded-ledger';

const fixtures = path.join(__dirname, '..', 'test', 'fixtures', 'ledger');
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
const MINUTE = 60_000;

/** A proposal signed by a client whose clock is `skewMs` off the peers' (the signing client sets its timestamp). */
function proposalUnderClock(skewMs: number, propose: () => Proposal): Proposal {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + skewMs });
    try {
        return propose();
    } finally {
        vi.useRealTimers();
    }
}

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

    describe('plans endorsers from the chaincode interest, key-level policies included', () => {
        it("has an asset owned by Org1 updated by an Org2 client, endorsed by Org1's peer alone", async () => {
            await org1.submitTransaction('createAsset', 'asset1', 'blue', '["Org1MSP"]');
            expect(JSON.parse(text(await org1.evaluateTransaction('owners', 'asset1')))).toEqual(['Org1MSP']);

            const update = await org2.submitAsync('updateAsset', { arguments: ['asset1', 'red'] });
            expect((await update.getStatus()).code).toBe(TxValidationCode.VALID);
            // As Fabric's gateway: the first endorsement (Org2's) is not in the layout, so it is not sent.
            expect(await endorsersOf(update.getTransactionId())).toEqual(['Org1MSP']);
            expect(text(await org2.evaluateTransaction('readAsset', 'asset1'))).toBe('red');
        });

        it("plans for the key's committed policy, not the one the transaction sets", async () => {
            // A key whose policy is set in this very transaction has none committed: the chaincode policy applies.
            const created = await org2.submitAsync('createAsset', { arguments: ['asset2', 'green', '["Org1MSP"]'] });
            expect((await created.getStatus()).successful).toBe(true);
            expect(await endorsersOf(created.getTransactionId())).toEqual(['Org2MSP']);

            // Handing it to Org2 needs Org1's endorsement (the committed policy), then Org2's.
            const transfer = await org2.submitAsync('transferAsset', { arguments: ['asset2', '["Org2MSP"]'] });
            expect((await transfer.getStatus()).successful).toBe(true);
            expect(await endorsersOf(transfer.getTransactionId())).toEqual(['Org1MSP']);
            const update = await org2.submitAsync('updateAsset', { arguments: ['asset2', 'yellow'] });
            expect((await update.getStatus()).successful).toBe(true);
            expect(await endorsersOf(update.getTransactionId())).toEqual(['Org2MSP']);
        });

        it('satisfies a key-level policy and the chaincode policy together when both apply', async () => {
            await org1.submitTransaction('createAsset', 'asset3', 'white', '["Org1MSP","Org2MSP"]');
            const update = await org2.submitAsync('updateWithNote', { arguments: ['asset3', 'black', 'note3'] });
            expect((await update.getStatus()).successful).toBe(true);
            expect(await endorsersOf(update.getTransactionId())).toEqual(['Org2MSP', 'Org1MSP']);
        });

        it('lets named endorsing organizations win over the plan', async () => {
            const named = await org2.submitAsync('updateAsset', {
                arguments: ['asset1', 'forged'],
                endorsingOrganizations: ['Org2MSP'],
            });
            expect((await named.getStatus()).code).toBe(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
            expect(text(await org1.evaluateTransaction('readAsset', 'asset1'))).toBe('red');
        });
    });

    describe("refuses proposals outside the peers' time window (Fabric's TimeWindowCheck, 15 minutes)", () => {
        const refusal =
            /^request unauthorized due to incorrect timestamp \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, peer time \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, peer\.authentication\.timewindow 15m0s$/;

        beforeAll(async () => {
            await org1.submitTransaction('updateAsset', 'clock', 'on time');
        });

        it.each([
            ['ahead of', 16 * MINUTE],
            ['behind', -16 * MINUTE],
        ])('refuses to endorse a proposal signed by a clock 16 minutes %s the peers', async (_, skewMs) => {
            const height = await ledger.explorer.getHeight();
            const proposal = proposalUnderClock(skewMs, () =>
                org1.newProposal('updateAsset', { arguments: ['clock', 'late'] }),
            );
            const error = await proposal.endorse().catch((caught: unknown) => caught);
            expect(error).toBeInstanceOf(EndorseError);
            expect((error as EndorseError).grpcStatus).toBe(GrpcStatus.ABORTED);
            expect((error as EndorseError).details).toHaveLength(1);
            expect((error as EndorseError).details[0]).toMatchObject({ mspId: 'Org1MSP', address: 'peer0.Org1MSP' });
            expect((error as EndorseError).details[0].message).toMatch(refusal);
            expect(await ledger.explorer.getHeight()).toBe(height);
            expect(text(await org1.evaluateTransaction('readAsset', 'clock'))).toBe('on time');
        });

        it.each([
            ['ahead of', 16 * MINUTE],
            ['behind', -16 * MINUTE],
        ])(
            'refuses to evaluate a proposal signed by a clock 16 minutes %s the peers, on every peer',
            async (_, skewMs) => {
                const proposal = proposalUnderClock(skewMs, () => org1.newProposal('peerMspId'));
                const error = await proposal.evaluate().catch((caught: unknown) => caught);
                expect(error).toBeInstanceOf(GatewayError);
                expect((error as GatewayError).grpcStatus).toBe(GrpcStatus.UNAVAILABLE);
                expect((error as Error).message).toContain('failed to evaluate transaction');
                expect((error as GatewayError).details.map((detail) => detail.mspId)).toEqual(['Org1MSP', 'Org2MSP']);
                for (const detail of (error as GatewayError).details) {
                    expect(detail.message).toMatch(refusal);
                }
            },
        );

        it('accepts a clock 14 minutes off, and the chaincode sees the timestamp the client signed', async () => {
            for (const skewMs of [14 * MINUTE, -14 * MINUTE]) {
                const proposal = proposalUnderClock(skewMs, () => org1.newProposal('txSeconds'));
                const seconds = Number(text(await proposal.evaluate()));
                expect(Math.abs(seconds - (Date.now() + skewMs) / 1000)).toBeLessThan(60);
            }
            const late = proposalUnderClock(-14 * MINUTE, () =>
                org1.newProposal('updateAsset', { arguments: ['clock', 'fourteen minutes ago'] }),
            );
            expect((await (await (await late.endorse()).submit()).getStatus()).successful).toBe(true);
        });
    });
});
