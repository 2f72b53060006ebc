import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChaincodeEvent, TxValidationCode } from '@zhelian/api';
import { type ConformanceNetwork, openConformanceNetwork, text } from '../support/conformance';

/**
 * What a committed transaction leaves behind, on both backends: its chaincode event (valid
 * transactions only), the key's history newest first, and the transaction's anatomy in a block.
 */
const WRITER = 'MemberMSP:zheyi';
let network: ConformanceNetwork;
const txIds: string[] = [];
let invalidTxId: string;
let firstBlock: number;

beforeAll(async () => {
    network = await openConformanceNetwork();
    firstBlock = await network.backend.explorer.getHeight();
    const contract = network.contract(WRITER);
    for (const [fn, args] of [
        ['put', ['kept', 'v1']],
        ['put', ['kept', 'v2']],
        ['del', ['kept']],
        ['put', ['kept', 'v3']],
    ] as const) {
        const submitted = await contract.submitAsync(fn, { arguments: [...args] });
        expect((await submitted.getStatus()).successful).toBe(true);
        txIds.push(submitted.getTransactionId());
    }
    const invalid = await contract
        .newProposal('put', { arguments: ['kept', 'never'], endorsingOrganizations: ['MemberMSP'] })
        .endorse();
    invalidTxId = invalid.getTransactionId();
    expect((await (await invalid.submit()).getStatus()).code).toBe(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
});

afterAll(async () => {
    await network?.close();
});

describe('events', () => {
    it("replays the chaincode's events of valid transactions only, in order", async () => {
        const events = await network
            .gateway(WRITER)
            .getNetwork(network.channel)
            .getChaincodeEvents(network.chaincode, { startBlock: BigInt(firstBlock) });
        const seen: ChaincodeEvent[] = [];
        try {
            for await (const event of events) {
                seen.push(event);
                if (seen.length === 3) {
                    break;
                }
            }
        } finally {
            events.close();
        }
        expect(seen.map((e) => [e.transactionId, e.eventName, JSON.parse(text(e.payload))])).toEqual([
            [txIds[0], 'Put', { key: 'kept', value: 'v1' }],
            [txIds[1], 'Put', { key: 'kept', value: 'v2' }],
            [txIds[3], 'Put', { key: 'kept', value: 'v3' }],
        ]);
        expect(seen.every((e) => e.chaincodeName === network.chaincode)).toBe(true);
    });
});

describe('history', () => {
    it("lists a key's committed changes newest first, deletes included, invalid transactions not", async () => {
        const history = await network.backend.explorer.getKeyHistory(network.chaincode, 'kept');
        expect(history.map((h) => [h.txId, h.isDelete, text(h.value)])).toEqual([
            [txIds[3], false, 'v3'],
            [txIds[2], true, ''],
            [txIds[1], false, 'v2'],
            [txIds[0], false, 'v1'],
        ]);
        expect(history.every((h) => !Number.isNaN(Date.parse(h.timestamp)))).toBe(true);
    });

    it('agrees with what the chaincode reads through getHistoryForKey', async () => {
        const fromChaincode = JSON.parse(text(await network.contract(WRITER).evaluateTransaction('history', 'kept')));
        const fromExplorer = await network.backend.explorer.getKeyHistory(network.chaincode, 'kept');
        expect(fromChaincode).toEqual(
            fromExplorer.map((h) => ({ txId: h.txId, isDelete: h.isDelete, value: text(h.value) })),
        );
    });
});

describe('a transaction in its block', () => {
    it('shows the proposal, the endorsers, the writes and the verdict', async () => {
        const tx = await network.backend.explorer.getTransaction(txIds[0]);
        expect(tx).toMatchObject({
            txId: txIds[0],
            validationCode: TxValidationCode.VALID,
            validationCodeName: 'VALID',
            chaincodeName: network.chaincode,
            args: ['put', 'kept', 'v1'],
            creator: { mspId: 'MemberMSP' },
            event: { eventName: 'Put' },
        });
        expect(tx?.endorsers.length).toBeGreaterThanOrEqual(3);
        const ns = tx?.readWriteSets.find((set) => set.namespace === network.chaincode);
        expect(ns?.writes.map((w) => [w.key, w.isDelete, text(w.value)])).toEqual([['kept', false, 'v1']]);
        const block = await network.backend.explorer.getBlock(tx?.blockNumber ?? -1);
        expect(block?.transactions[tx?.txNumber ?? -1]?.txId).toBe(txIds[0]);
    });

    it('keeps an invalid transaction in its block, with its validation code and the event it did not deliver', async () => {
        const tx = await network.backend.explorer.getTransaction(invalidTxId);
        expect(tx).toMatchObject({
            validationCodeName: 'ENDORSEMENT_POLICY_FAILURE',
            args: ['put', 'kept', 'never'],
            event: { eventName: 'Put' },
        });
    });

    it('leaves a chain whose hashes verify, where the backend can check them', async () => {
        const verification = await network.backend.explorer.verifyChain?.();
        expect(verification?.ok ?? true).toBe(true);
    });
});
