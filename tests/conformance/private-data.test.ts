import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TxValidationCode } from '@zhelian/api';
import { type ConformanceNetwork, openConformanceNetwork, text } from '../support/conformance';

/**
 * A private data collection (`regulatorMember`: RegulatorMSP and MemberMSP, member-only read and
 * write) on both backends: members read the value, everyone reads its hash, the block holds hashes
 * only, and the value travels in the transient map, never in the block.
 */
const COLLECTION = 'regulatorMember';
const MEMBER = 'MemberMSP:zheyi';
const NON_MEMBER = 'CourtMSP:hangzhou';
const WRITE_ENDORSERS = ['RegulatorMSP', 'MemberMSP', 'PlatformMSP'];
const VALUE = '王晓明 身份证 330106…';
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

let network: ConformanceNetwork;
let txId: string;

beforeAll(async () => {
    network = await openConformanceNetwork();
    const transaction = await network
        .contract(MEMBER)
        .newProposal('putPrivate', {
            arguments: [COLLECTION, 'patient-1'],
            transientData: { value: VALUE },
            endorsingOrganizations: WRITE_ENDORSERS,
        })
        .endorse();
    txId = transaction.getTransactionId();
    const status = await (await transaction.submit()).getStatus();
    expect(status.code).toBe(TxValidationCode.VALID);
});

afterAll(async () => {
    await network?.close();
});

describe('private data', () => {
    it('gives the value to a member client on a member peer', async () => {
        const value = await network
            .contract(MEMBER)
            .evaluate('getPrivate', { arguments: [COLLECTION, 'patient-1'], endorsingOrganizations: ['MemberMSP'] });
        expect(text(value)).toBe(VALUE);
    });

    it('refuses the value to a client of a non-member organization (memberOnlyRead)', async () => {
        await expect(
            network
                .contract(NON_MEMBER)
                .evaluate('getPrivate', { arguments: [COLLECTION, 'patient-1'], endorsingOrganizations: ['CourtMSP'] }),
        ).rejects.toThrow(/does not have read access|not a member|read access/i);
    });

    it("refuses a member client the value on a non-member organization's peer, which holds only the hash", async () => {
        await expect(
            network
                .contract(MEMBER)
                .evaluate('getPrivate', { arguments: [COLLECTION, 'patient-1'], endorsingOrganizations: ['CourtMSP'] }),
        ).rejects.toThrow(
            /private data matching public hash version is not available\. Public hash version = \{BlockNum: \d+, TxNum: \d+\}, Private data version = <nil>/,
        );
        // A key the channel holds no hash of reads empty there, as on a member's peer.
        const never = await network
            .contract(MEMBER)
            .evaluate('getPrivate', { arguments: [COLLECTION, 'never-written'], endorsingOrganizations: ['CourtMSP'] });
        expect(text(never)).toBe('');
    });

    it('refuses a write from a client of a non-member organization (memberOnlyWrite)', async () => {
        await expect(
            network.contract(NON_MEMBER).submit('putPrivate', {
                arguments: [COLLECTION, 'patient-2'],
                transientData: { value: VALUE },
                endorsingOrganizations: WRITE_ENDORSERS,
            }),
        ).rejects.toThrow(
            /tx creator does not have write access permission on privatedata in chaincodeName:\S+ collectionName: regulatorMember/,
        );
    });

    it("gives anyone the value's hash, on any peer", async () => {
        const hash = await network.contract(NON_MEMBER).evaluate('getPrivateHash', {
            arguments: [COLLECTION, 'patient-1'],
            endorsingOrganizations: ['CourtMSP'],
        });
        expect(text(hash)).toBe(sha256(VALUE));
    });

    it('puts hashes on the channel, never the value or the transient input', async () => {
        const tx = await network.backend.explorer.getTransaction(txId);
        const ns = tx?.readWriteSets.find((set) => set.namespace === network.chaincode);
        expect(ns?.collections).toEqual([
            {
                collection: COLLECTION,
                reads: [],
                writes: [{ keyHash: sha256('patient-1'), isDelete: false, valueHash: sha256(VALUE) }],
            },
        ]);
        expect(JSON.stringify(tx)).not.toContain('王晓明');
    });
});
