import { readFileSync } from 'node:fs';
import path from 'node:path';
import { common } from '@hyperledger/fabric-protos';
import { describe, expect, it } from 'vitest';
import { blockDataHash, blockHeaderHash } from './block-hash';
import { describeBlock } from './block-decoder';

/** Blocks 0–3 of a zhelian channel on the native network: configuration, approvals, commit, a transaction. */
const block = (n: number) =>
    common.Block.deserializeBinary(readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', `block-${n}.pb`)));

describe('Fabric block hashes', () => {
    it("recompute each block's data hash", () => {
        for (const n of [0, 1, 2, 3]) {
            expect(blockDataHash(block(n)).toString('hex')).toBe(
                Buffer.from(block(n).getHeader()!.getDataHash_asU8()).toString('hex'),
            );
        }
    });

    it('chain each header to the next block’s previous hash', () => {
        for (const n of [0, 1, 2]) {
            expect(blockHeaderHash(block(n).getHeader()!).toString('hex')).toBe(
                Buffer.from(
                    block(n + 1)
                        .getHeader()!
                        .getPreviousHash_asU8(),
                ).toString('hex'),
            );
        }
    });

    it('tell a changed transaction from the original', () => {
        const tampered = block(3);
        const data = tampered.getData()!.getDataList_asU8();
        const envelope = Uint8Array.from(data[0]);
        envelope[envelope.length - 1] ^= 1;
        tampered.getData()!.setDataList([envelope]);
        expect(blockDataHash(tampered).equals(Buffer.from(tampered.getHeader()!.getDataHash_asU8()))).toBe(false);
    });
});

describe('describeBlock', () => {
    it('shows the channel configuration as a transaction without chaincode', () => {
        const info = describeBlock(block(0));
        expect(info).toMatchObject({ number: 0, previousHash: '' });
        expect(info.transactions).toMatchObject([{ chaincodeName: '', args: ['CONFIG'], validationCodeName: 'VALID' }]);
    });

    it('shows lifecycle transactions with their organization as creator and endorser', () => {
        const approvals = describeBlock(block(1)).transactions;
        expect(approvals.map((tx) => tx.args[0])).toEqual(Array(4).fill('ApproveChaincodeDefinitionForMyOrg'));
        expect(approvals.map((tx) => [tx.creator.mspId, tx.endorsers.map((e) => e.mspId)]).sort()).toEqual([
            ['CourtMSP', ['CourtMSP']],
            ['MemberMSP', ['MemberMSP']],
            ['PlatformMSP', ['PlatformMSP']],
            ['RegulatorMSP', ['RegulatorMSP']],
        ]);
        expect(describeBlock(block(2)).transactions[0]).toMatchObject({
            chaincodeName: '_lifecycle',
            args: ['CommitChaincodeDefinition', expect.any(String)],
        });
    });

    it("shows a chaincode transaction's anatomy: creator, arguments, endorsers, writes, event", () => {
        const [tx] = describeBlock(block(3)).transactions;
        expect(tx).toMatchObject({
            blockNumber: 3,
            txNumber: 0,
            validationCode: 0,
            chaincodeName: 'zhelian',
            args: ['einvoice:registerHospital'],
            creator: { mspId: 'MemberMSP' },
            response: { status: 200 },
            event: { eventName: 'einvoice.HospitalRegistered' },
        });
        expect(tx.creator.subject).toContain('CN=zheyi');
        expect(tx.endorsers.length).toBeGreaterThanOrEqual(3);
        const zhelian = tx.readWriteSets.find((ns) => ns.namespace === 'zhelian');
        expect(zhelian?.writes).toHaveLength(1);
        expect(Number.isNaN(Date.parse(tx.timestamp))).toBe(false);
    });
});
