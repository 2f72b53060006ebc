import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TxValidationCode } from '@zhelian/api';
import { type ConformanceNetwork, openConformanceNetwork, ORGS, text } from '../support/conformance';

/**
 * How a transaction sees and changes world state, the same on the embedded ledger and on Fabric
 * (`ZHELIAN_NETWORK=fabric`): reads see committed state only, and the committer invalidates a
 * transaction whose reads (keys or ranges) changed after it was endorsed.
 */
const WRITER = 'MemberMSP:zheyi';
let network: ConformanceNetwork;

beforeAll(async () => {
    network = await openConformanceNetwork();
});

afterAll(async () => {
    await network?.close();
});

describe('world state', () => {
    it('reads the committed value, never its own uncommitted write', async () => {
        const contract = network.contract(WRITER);
        await contract.submitTransaction('put', 'ryow', 'committed');
        expect(text(await contract.submitTransaction('putThenGet', 'ryow', 'written'))).toBe('committed');
        expect(text(await contract.evaluateTransaction('get', 'ryow'))).toBe('written');
    });

    it('commits one of two transactions that read the same version and invalidates the other: MVCC_READ_CONFLICT (11)', async () => {
        const contract = network.contract(WRITER);
        await contract.submitTransaction('put', 'counter', '0');
        const first = await contract.newProposal('increment', { arguments: ['counter'] }).endorse();
        const second = await contract.newProposal('increment', { arguments: ['counter'] }).endorse();
        const statuses = [await (await first.submit()).getStatus(), await (await second.submit()).getStatus()];
        expect(statuses.map((s) => s.code).sort()).toEqual([
            TxValidationCode.VALID,
            TxValidationCode.MVCC_READ_CONFLICT,
        ]);
        expect(text(await contract.evaluateTransaction('get', 'counter'))).toBe('1');
    });

    it('invalidates a range read that a later commit changed: PHANTOM_READ_CONFLICT (12)', async () => {
        const contract = network.contract(WRITER);
        await contract.submitTransaction('put', 'range-1', 'a');
        await contract.submitTransaction('put', 'range-3', 'c');
        const counting = await contract
            .newProposal('countRange', { arguments: ['range-0', 'range-9', 'range-count'] })
            .endorse();
        expect(text(counting.getResult())).toBe('2');
        await contract.submitTransaction('put', 'range-2', 'b');
        const status = await (await counting.submit()).getStatus();
        expect(status.code).toBe(TxValidationCode.PHANTOM_READ_CONFLICT);
        expect(text(await contract.evaluateTransaction('get', 'range-count'))).toBe('');
    });

    it("refuses rich queries on a LevelDB state database in the words of Fabric's chaincode handler", async () => {
        const contract = network.contract(WRITER);
        const query = JSON.stringify({ selector: { value: 'x' } });
        for (const [pageSize, call] of [
            ['', 'ExecuteQuery'],
            ['2', 'ExecuteQueryWithMetadata'],
        ]) {
            const { txId, refused } = JSON.parse(
                text(await contract.evaluateTransaction('richQuery', query, pageSize)),
            );
            expect(refused).toBe(`GET_QUERY_RESULT failed: transaction ID: ${txId}: ${call} not supported for leveldb`);
        }
    });

    it('treats an empty value as no value and a delete as gone', async () => {
        const contract = network.contract(WRITER);
        await contract.submitTransaction('put', 'gone', 'here');
        await contract.submitTransaction('del', 'gone');
        expect(text(await contract.evaluateTransaction('get', 'gone'))).toBe('');
    });

    it("runs each organization's own copy of the chaincode, which knows its peer's MSP ID", async () => {
        const contract = network.contract(WRITER);
        for (const mspId of ORGS) {
            expect(text(await contract.evaluate('peerMspId', { endorsingOrganizations: [mspId] }))).toBe(mspId);
        }
    });
});
