import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TransactionInfo, TxValidationCode } from '@zhelian/api';
import { seedAll } from '../../scripts/demo';
import { openScenarioNetwork, type ScenarioNetwork } from '../support/scenario';

const json = (bytes: Uint8Array): Record<string, unknown> => JSON.parse(Buffer.from(bytes).toString('utf8'));

/** The demo data that `npm start`, the UI and the workshop use, and the rules it must keep. */
describe('the demo scenarios', () => {
    let network: ScenarioNetwork;
    const transactions: TransactionInfo[] = [];

    beforeAll(async () => {
        network = await openScenarioNetwork();
        await seedAll((who) => (contractName) => network.contract(who, contractName));
        // The demo's own transactions: on a shared network the channel also holds other suites'
        // and its configuration and lifecycle transactions.
        const { explorer } = network.backend;
        for (let n = 0; n < (await explorer.getHeight()); n++) {
            const block = await explorer.getBlock(n);
            transactions.push(...(block?.transactions ?? []).filter((tx) => tx.chaincodeName === network.chaincode));
        }
    }, 180_000);

    afterAll(async () => {
        await network?.close();
    });

    it('commits every demo transaction as valid', () => {
        expect(transactions.length).toBeGreaterThan(40);
        expect(
            transactions
                .filter((tx) => tx.validationCode !== TxValidationCode.VALID)
                .map((tx) => `${tx.args[0]} ${tx.validationCodeName}`),
        ).toEqual([]);
    });

    it('emits one event for every state change', () => {
        const changes = transactions.filter((tx) =>
            tx.readWriteSets.some((ns) => ns.writes.length > 0 || ns.collections.some((c) => c.writes.length > 0)),
        );
        expect(changes.length).toBeGreaterThan(40);
        expect(changes.filter((tx) => tx.event === null).map((tx) => tx.args[0])).toEqual([]);
    });

    it('names every event <contract>.<PastTenseEvent>, after the contract that emitted it', () => {
        const misnamed = transactions
            .filter((tx) => tx.event !== null)
            .map((tx) => `${tx.args[0]} emitted ${tx.event?.eventName}`)
            .filter((line) => !/^(\w+):\w+ emitted \1\.[A-Z][A-Za-z0-9]*$/.test(line));
        expect(misnamed).toEqual([]);
    });

    it('stores every record with docType <contract>.<kind>, the type of its key', () => {
        const mislabelled = transactions.flatMap((tx) =>
            tx.readWriteSets
                .filter((ns) => ns.namespace === network.chaincode)
                .flatMap((ns) => ns.writes.filter((write) => !write.isDelete))
                .map((write) => {
                    const keyType = write.key.split('\u0000')[1];
                    const { docType } = json(write.value);
                    return { fn: tx.args[0], keyType, docType };
                })
                .filter(
                    ({ fn, keyType, docType }) => docType !== keyType || !docType.startsWith(`${fn.split(':')[0]}.`),
                ),
        );
        expect(mislabelled).toEqual([]);
    });

    it('uses every one of the five applications', () => {
        const contracts = new Set(transactions.map((tx) => tx.args[0].split(':')[0]));
        expect([...contracts].sort()).toEqual(['einvoice', 'evidence', 'lottery', 'tea', 'timebank']);
    });

    it("shows the report's cases: a reimbursed 浙一 receipt and a traceable 普洱 cake", async () => {
        const receipt = json(
            await network
                .contract('PlatformMSP:alipay', 'einvoice')
                .evaluateTransaction('verifyReceipt', '33010125', '1', '7c3a91'),
        );
        expect(receipt).toMatchObject({ status: 'REIMBURSED', issuerUnit: '浙江大学医学院附属第一医院' });
        const trace = json(
            await network.contract('MemberMSP:patient', 'tea').evaluateTransaction('traceCake', 'PE-2019-000001'),
        );
        expect(JSON.stringify(trace)).toContain('勐海');
    });

    it('leaves a chain that verifies', async () => {
        const verification = await network.backend.explorer.verifyChain?.();
        expect(verification?.ok ?? 'this backend cannot verify its chain').toBe(true);
    });
});
