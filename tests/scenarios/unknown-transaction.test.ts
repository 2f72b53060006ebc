import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScenarioNetwork, type ScenarioNetwork } from '../support/scenario';

describe('every contract refuses an unknown transaction with a code', () => {
    let network: ScenarioNetwork;

    beforeAll(async () => {
        network = await openScenarioNetwork();
    });

    afterAll(async () => {
        await network?.close();
    });

    it.each(['einvoice', 'lottery', 'tea', 'timebank', 'evidence'])('%s', async (contract) => {
        await expect(
            network.contract('MemberMSP:zheyi', contract).evaluateTransaction('stealEverything'),
        ).rejects.toThrow(new RegExp(`E_UNKNOWN_TRANSACTION: contract ${contract} has no transaction stealEverything`));
    });
});
