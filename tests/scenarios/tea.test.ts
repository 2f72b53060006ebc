import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '@zhelian/api';
import { atOnce, enrollParticipant, type Participant } from '../support/participants';
import { openScenarioNetwork, type ScenarioNetwork } from '../support/scenario';

/**
 * 普洱茶溯源 on the embedded ledger: each invariant is attacked and must be refused with the
 * ledger unchanged. Inspection records carry a key-level policy requiring RegulatorMSP; prices
 * go to the two-member collection `teaPrices` (the client endorses on its members). Lots come
 * only from registered gardens within their certified harvest; custody moves by offer and
 * acceptance.
 */

const FARMER = 'MemberMSP:farmer';
const FACTORY = 'MemberMSP:factory';
const SHOP = 'MemberMSP:shop';
const YUNPINHUI = 'PlatformMSP:yunpinhui';
const INSPECTOR = 'RegulatorMSP:inspector';
const MARKET = 'RegulatorMSP:market';

const PICKED = Math.floor(Date.UTC(2026, 3, 15, 2, 0) / 60_000);
const GARDENS = ['勐海布朗山老班章', '勐海南糯山', '勐海'];
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const json = (bytes: Uint8Array) => JSON.parse(Buffer.from(bytes).toString('utf8'));

let network: ScenarioNetwork;
const tea = (who: string) => network.contract(who, 'tea');
const participants: Participant[] = [];

/** A participant the topology does not have, enrolled for this test with its own certificate. */
async function enrolled(name: string, attrs: Record<string, string>): Promise<Contract> {
    const participant = await enrollParticipant(network, `MemberMSP:${name}`, attrs);
    participants.push(participant);
    return participant.contract('tea');
}

/**
 * Endorsers named explicitly where the endorsement plan cannot be discovered: the inspection
 * record's key-level policy needs RegulatorMSP, and `sellCake` reads the price's hash (readable
 * on every peer) while writing public state, so it takes a plain majority.
 */
const ENDORSERS: Record<string, string[]> = {
    inspectCake: ['RegulatorMSP', 'MemberMSP', 'PlatformMSP'],
    sellCake: ['MemberMSP', 'PlatformMSP', 'RegulatorMSP'],
};

async function submit(who: string, fn: string, ...args: string[]) {
    return json(await tea(who).submit(fn, { arguments: args, endorsingOrganizations: ENDORSERS[fn] }));
}

const cake = async (code: string) => json(await tea(SHOP).evaluateTransaction('getCake', code));
const lot = async (id: string) => json(await tea(SHOP).evaluateTransaction('getLot', id));
const inspection = async (code: string) => json(await tea(SHOP).evaluateTransaction('getInspection', code));
const harvest = async (garden: string, year: number) =>
    json(await tea(SHOP).evaluateTransaction('getHarvest', garden, String(year)));

/** A fresh lot from the garden, handed to the factory. */
async function leafAtFactory(lotId: string, grams: number) {
    await submit(FARMER, 'registerLot', lotId, '勐海布朗山老班章', String(PICKED), String(grams));
    await submit(FARMER, 'transferLot', lotId, 'MemberMSP', '普洱茶厂');
    await submit(FACTORY, 'acceptLot', lotId);
}

/** Custody handover: the holder offers, the recipient accepts. */
async function handCake(from: string, code: string, to: string, toMspId: string, toUnit: string) {
    await submit(from, 'transferCake', code, toMspId, toUnit);
    return submit(to, 'acceptCake', code);
}

/** One 357 g cake pressed from its own lot, held by the factory, not yet inspected. */
async function pressedCake(code: string) {
    await leafAtFactory(`L-${code}`, 1000);
    await submit(
        FACTORY,
        'processCakes',
        `B-${code}`,
        JSON.stringify([`L-${code}`]),
        JSON.stringify([{ code, weightGrams: 357 }]),
    );
}

async function passedCakeAtShop(code: string) {
    await pressedCake(code);
    await submit(INSPECTOR, 'inspectCake', code, 'PASS', sha256(`report ${code}`));
    await handCake(FACTORY, code, SHOP, 'MemberMSP', '茶叶零售店');
}

/** A salt per cake, as a seller would draw at random; tests want it reproducible. */
const saltOf = (code: string) => sha256(`salt ${code}`).slice(0, 32);

function recordPrice(who: string, code: string, priceFen: number) {
    return tea(who).submit('recordSalePrice', {
        arguments: [code],
        transientData: { price: JSON.stringify({ priceFen, salt: saltOf(code) }) },
    });
}

beforeAll(async () => {
    network = await openScenarioNetwork();
    for (const garden of GARDENS) {
        await submit(MARKET, 'registerGarden', garden, 'MemberMSP', '勐海茶园');
        await submit(INSPECTOR, 'certifyHarvest', garden, '2026', String(1_000_000));
    }
});

afterAll(async () => {
    participants.forEach((participant) => participant.close());
    await network?.close();
});

describe('tea', () => {
    it('follows a cake from the garden to a sale, and a scan tells its whole life', async () => {
        await leafAtFactory('MH-01', 2000);
        await submit(
            FACTORY,
            'splitLot',
            'MH-01',
            JSON.stringify([
                { lotId: 'MH-01a', weightGrams: 1200 },
                { lotId: 'MH-01b', weightGrams: 800 },
            ]),
        );
        await leafAtFactory('MH-02', 500);
        await submit(FACTORY, 'mergeLots', 'MH-M1', JSON.stringify(['MH-01a', 'MH-02']));
        expect(await lot('MH-M1')).toMatchObject({
            weightGrams: 1700,
            status: 'ACTIVE',
            origin: { kind: 'MERGE', parents: ['MH-01a', 'MH-02'] },
        });

        const fingerprint = sha256('texture of PE-0001');
        const batch = await submit(
            FACTORY,
            'processCakes',
            'B-0001',
            JSON.stringify(['MH-M1']),
            JSON.stringify([
                { code: 'PE-0001', weightGrams: 357, fingerprintHash: fingerprint },
                { code: 'PE-0002', weightGrams: 357 },
            ]),
        );
        expect(batch).toMatchObject({ inputGrams: 1700, outputGrams: 714 });
        expect(await lot('MH-M1')).toMatchObject({
            status: 'CONSUMED',
            consumedBy: { kind: 'PROCESS', ref: 'B-0001' },
        });

        await submit(INSPECTOR, 'inspectCake', 'PE-0001', 'PASS', sha256('report PE-0001'));
        await handCake(FACTORY, 'PE-0001', YUNPINHUI, 'PlatformMSP', '云品荟');
        await handCake(YUNPINHUI, 'PE-0001', SHOP, 'MemberMSP', '茶叶零售店');
        const priced = json(await recordPrice(SHOP, 'PE-0001', 128_000));
        const price = {
            cakeCode: 'PE-0001',
            docType: 'tea.price',
            priceFen: 128_000,
            salt: saltOf('PE-0001'),
            seller: { mspId: 'MemberMSP', unit: '茶叶零售店' },
        };
        // Sorted-key JSON of the private record is what the channel's hash covers.
        expect(priced.priceHash).toBe(sha256(JSON.stringify(price)));
        const sold = await submit(SHOP, 'sellCake', 'PE-0001');
        expect(sold).toMatchObject({ status: 'SOLD', sale: { priceHash: priced.priceHash, seller: price.seller } });
        expect(JSON.stringify(sold)).not.toContain('128000');
        expect(json(await tea(SHOP).evaluateTransaction('getSalePrice', 'PE-0001'))).toEqual(price);

        const trace = await submit('MemberMSP:patient', 'scanCake', 'PE-0001');
        expect(trace.scanCount).toBeNull();
        expect(trace.verdict).toBe('SOLD');
        expect(trace.gardens).toEqual(['勐海布朗山老班章']);
        expect(trace.inspection).toMatchObject({ result: 'PASS', inspector: { unit: '普洱茶质检中心' } });
        expect(trace.custody.map((step: { holder: { unit: string } }) => step.holder.unit)).toEqual([
            '普洱茶厂',
            '云品荟',
            '茶叶零售店',
        ]);
        expect(trace.cakeHistory.map((step: { action: string }) => step.action)).toEqual([
            'PRODUCED',
            'INSPECTED',
            'OFFERED',
            'TRANSFERRED',
            'OFFERED',
            'TRANSFERRED',
            'SOLD',
        ]);
        expect(trace.lots.map((one: { lot: { id: string } }) => one.lot.id).sort()).toEqual([
            'MH-01',
            'MH-01a',
            'MH-02',
            'MH-M1',
        ]);
        const harvest = trace.lots.find((one: { lot: { id: string } }) => one.lot.id === 'MH-01');
        expect(harvest.history.map((step: { action: string }) => step.action)).toEqual([
            'HARVESTED',
            'OFFERED',
            'TRANSFERRED',
            'SPLIT',
        ]);

        const read = json(await tea('PlatformMSP:alipay').evaluateTransaction('traceCake', 'PE-0001'));
        expect(read.scanCount).toBe(1);
        await submit(SHOP, 'scanCake', 'PE-0001');
        expect(json(await tea('PlatformMSP:alipay').evaluateTransaction('traceCake', 'PE-0001')).scanCount).toBe(2);
    });

    it('refuses custody moves by anyone but the holder', async () => {
        await pressedCake('PE-H1');
        const before = await cake('PE-H1');
        await expect(submit(YUNPINHUI, 'transferCake', 'PE-H1', 'PlatformMSP', '云品荟')).rejects.toThrow(
            /E_NOT_HOLDER/,
        );
        await expect(submit(SHOP, 'transferCake', 'PE-H1', 'MemberMSP', '茶叶零售店')).rejects.toThrow(/E_NOT_HOLDER/);
        expect(await cake('PE-H1')).toEqual(before);

        await submit(FARMER, 'registerLot', 'MH-H2', '勐海南糯山', String(PICKED), '800');
        const lotBefore = await lot('MH-H2');
        await expect(submit(FACTORY, 'transferLot', 'MH-H2', 'MemberMSP', '普洱茶厂')).rejects.toThrow(/E_NOT_HOLDER/);
        await expect(
            submit(
                FACTORY,
                'splitLot',
                'MH-H2',
                JSON.stringify([
                    { lotId: 'MH-H2a', weightGrams: 400 },
                    { lotId: 'MH-H2b', weightGrams: 400 },
                ]),
            ),
        ).rejects.toThrow(/E_NOT_HOLDER/);
        expect(await lot('MH-H2')).toEqual(lotBefore);
        await expect(lot('MH-H2a')).rejects.toThrow(/E_NOT_FOUND/);
    });

    it('refuses splits, merges and pressings that do not conserve weight', async () => {
        await leafAtFactory('MH-W1', 1000);
        const before = await lot('MH-W1');
        await expect(
            submit(
                FACTORY,
                'splitLot',
                'MH-W1',
                JSON.stringify([
                    { lotId: 'MH-W1a', weightGrams: 600 },
                    { lotId: 'MH-W1b', weightGrams: 500 },
                ]),
            ),
        ).rejects.toThrow(/E_WEIGHT_MISMATCH/);
        await expect(
            submit(
                FACTORY,
                'splitLot',
                'MH-W1',
                JSON.stringify([
                    { lotId: 'MH-W1a', weightGrams: 600 },
                    { lotId: 'MH-W1b', weightGrams: 399 },
                ]),
            ),
        ).rejects.toThrow(/E_WEIGHT_MISMATCH/);
        await expect(
            submit(
                FACTORY,
                'processCakes',
                'B-W1',
                JSON.stringify(['MH-W1']),
                JSON.stringify([
                    { code: 'PE-W1', weightGrams: 600 },
                    { code: 'PE-W2', weightGrams: 401 },
                ]),
            ),
        ).rejects.toThrow(/E_WEIGHT_MISMATCH/);
        expect(await lot('MH-W1')).toEqual(before);
        await expect(lot('MH-W1a')).rejects.toThrow(/E_NOT_FOUND/);
        await expect(cake('PE-W1')).rejects.toThrow(/E_NOT_FOUND/);
    });

    it('refuses a second lot, cake or batch under an existing id, and reuse of consumed leaf', async () => {
        await pressedCake('PE-D1');
        const before = await cake('PE-D1');
        await expect(submit(FARMER, 'registerLot', 'L-PE-D1', '勐海', String(PICKED), '5')).rejects.toThrow(/E_EXISTS/);
        await leafAtFactory('MH-D2', 1000);
        await expect(
            submit(
                FACTORY,
                'processCakes',
                'B-D2',
                JSON.stringify(['MH-D2']),
                JSON.stringify([{ code: 'PE-D1', weightGrams: 357 }]),
            ),
        ).rejects.toThrow(/E_EXISTS/);
        await expect(
            submit(
                FACTORY,
                'processCakes',
                'B-PE-D1',
                JSON.stringify(['MH-D2']),
                JSON.stringify([{ code: 'PE-D2', weightGrams: 357 }]),
            ),
        ).rejects.toThrow(/E_EXISTS/);
        await expect(
            submit(
                FACTORY,
                'processCakes',
                'B-D3',
                JSON.stringify(['L-PE-D1']),
                JSON.stringify([{ code: 'PE-D3', weightGrams: 357 }]),
            ),
        ).rejects.toThrow(/E_LOT_CONSUMED/);
        expect(await cake('PE-D1')).toEqual(before);
        expect(await lot('MH-D2')).toMatchObject({ status: 'ACTIVE' });
    });

    it('refuses a sale before the cake passed inspection', async () => {
        await pressedCake('PE-N1');
        await handCake(FACTORY, 'PE-N1', SHOP, 'MemberMSP', '茶叶零售店');
        const before = await cake('PE-N1');
        await expect(recordPrice(SHOP, 'PE-N1', 99_000)).rejects.toThrow(/E_NOT_INSPECTED/);
        await expect(submit(SHOP, 'sellCake', 'PE-N1')).rejects.toThrow(/E_NOT_INSPECTED/);
        await submit(INSPECTOR, 'inspectCake', 'PE-N1', 'FAIL', sha256('report PE-N1'));
        await expect(submit(SHOP, 'sellCake', 'PE-N1')).rejects.toThrow(/E_INSPECTION_FAILED/);
        expect(await cake('PE-N1')).toMatchObject({ status: 'IN_STOCK', sale: null, holder: before.holder });
        expect((await submit(SHOP, 'scanCake', 'PE-N1')).verdict).toBe('FAILED_INSPECTION');
    });

    it('refuses a sale without a recorded price, and a second sale', async () => {
        await passedCakeAtShop('PE-S1');
        await expect(submit(SHOP, 'sellCake', 'PE-S1')).rejects.toThrow(/E_NO_PRICE/);
        expect(await cake('PE-S1')).toMatchObject({ status: 'IN_STOCK' });
        await recordPrice(SHOP, 'PE-S1', 66_000);
        const sold = await submit(SHOP, 'sellCake', 'PE-S1');
        await expect(submit(SHOP, 'sellCake', 'PE-S1')).rejects.toThrow(/E_ALREADY_SOLD/);
        await expect(submit(SHOP, 'transferCake', 'PE-S1', 'MemberMSP', '物流')).rejects.toThrow(/E_ALREADY_SOLD/);
        expect(await cake('PE-S1')).toEqual(sold);
    });

    it('lets only the inspection centre inspect, once, and only with RegulatorMSP endorsing', async () => {
        await pressedCake('PE-I1');
        const pending = await inspection('PE-I1');
        const report = sha256('report PE-I1');
        await expect(submit(MARKET, 'inspectCake', 'PE-I1', 'PASS', report)).rejects.toThrow(/E_FORBIDDEN/);
        await expect(submit(FACTORY, 'inspectCake', 'PE-I1', 'PASS', report)).rejects.toThrow(/E_FORBIDDEN/);
        // A majority without the regulator's peer cannot write the inspection record (key-level policy).
        await expect(
            tea(INSPECTOR).submit('inspectCake', {
                arguments: ['PE-I1', 'PASS', report],
                endorsingOrganizations: ['CourtMSP', 'PlatformMSP', 'MemberMSP'],
            }),
        ).rejects.toThrow(/ENDORSEMENT_POLICY_FAILURE|status code 10/);
        expect(await inspection('PE-I1')).toEqual(pending);

        await submit(INSPECTOR, 'inspectCake', 'PE-I1', 'PASS', report);
        const passed = await inspection('PE-I1');
        await expect(submit(INSPECTOR, 'inspectCake', 'PE-I1', 'FAIL', report)).rejects.toThrow(/E_ALREADY_INSPECTED/);
        expect(await inspection('PE-I1')).toEqual(passed);
    });

    it('frozen and recalled cakes neither move nor sell, and only the market regulator decides', async () => {
        await passedCakeAtShop('PE-F1');
        await expect(submit(INSPECTOR, 'freezeCake', 'PE-F1', '抽检')).rejects.toThrow(/E_FORBIDDEN/);
        await expect(submit(SHOP, 'recallCake', 'PE-F1', '自行召回')).rejects.toThrow(/E_FORBIDDEN/);
        const frozen = await submit(MARKET, 'freezeCake', 'PE-F1', '抽检: 疑似冒用产地');
        await expect(submit(SHOP, 'transferCake', 'PE-F1', 'MemberMSP', '物流')).rejects.toThrow(/E_FROZEN/);
        await expect(recordPrice(SHOP, 'PE-F1', 50_000)).rejects.toThrow(/E_FROZEN/);
        await expect(submit(SHOP, 'sellCake', 'PE-F1')).rejects.toThrow(/E_FROZEN/);
        expect(await cake('PE-F1')).toEqual(frozen);

        await submit(MARKET, 'unfreezeCake', 'PE-F1', '抽检合格');
        await recordPrice(SHOP, 'PE-F1', 50_000);
        const recalled = await submit(MARKET, 'recallCake', 'PE-F1', '批次霉变');
        await expect(submit(SHOP, 'sellCake', 'PE-F1')).rejects.toThrow(/E_RECALLED/);
        await expect(submit(MARKET, 'unfreezeCake', 'PE-F1', 'x')).rejects.toThrow(/E_RECALLED/);
        expect(await cake('PE-F1')).toEqual(recalled);
        expect((await submit('MemberMSP:patient', 'scanCake', 'PE-F1')).verdict).toBe('RECALLED');
    });

    it('keeps prices private: refused as arguments, readable only by collection members', async () => {
        await passedCakeAtShop('PE-P1');
        await expect(tea(SHOP).submit('recordSalePrice', { arguments: ['PE-P1'] })).rejects.toThrow(/E_BAD_INPUT/);
        await recordPrice(SHOP, 'PE-P1', 88_800);
        await expect(tea(INSPECTOR).evaluateTransaction('getSalePrice', 'PE-P1')).rejects.toThrow(/E_FORBIDDEN/);
        expect(json(await tea(SHOP).evaluateTransaction('getSalePrice', 'PE-P1'))).toMatchObject({
            priceFen: 88_800,
        });
    });
});

/** Issue 8 item 9: origins, custody, scans and prices, attacked as the issue found them open. */
describe('tea hardening', () => {
    it('registers leaf only from registered gardens, by their grower, within the certified harvest', async () => {
        const garden = '勐海县布朗山老班章';
        await expect(submit(FARMER, 'registerGarden', garden, 'MemberMSP', '勐海茶园')).rejects.toThrow(/E_FORBIDDEN/);
        await expect(submit(YUNPINHUI, 'registerGarden', garden, 'MemberMSP', '勐海茶园')).rejects.toThrow(
            /E_FORBIDDEN/,
        );
        await expect(submit(FARMER, 'registerLot', 'LBZ-0', garden, String(PICKED), '1000')).rejects.toThrow(
            /E_NOT_FOUND/,
        );
        await submit(MARKET, 'registerGarden', garden, 'MemberMSP', '勐海茶园');
        await expect(submit(INSPECTOR, 'registerGarden', garden, 'MemberMSP', '冒牌茶园')).rejects.toThrow(/E_EXISTS/);
        await expect(submit(FARMER, 'registerLot', 'LBZ-0', garden, String(PICKED), '1000')).rejects.toThrow(
            /E_NO_CERTIFIED_HARVEST/,
        );
        await expect(submit(FARMER, 'certifyHarvest', garden, '2026', '100000000')).rejects.toThrow(/E_FORBIDDEN/);
        await submit(INSPECTOR, 'certifyHarvest', garden, '2026', '50000');

        // Any grower registering 100 t of 老班章: an impostor may not use the garden at all, and
        // the garden's own grower may not exceed its certified harvest.
        const impostor = await enrolled('grower2', { role: 'grower', unit: '冒牌茶园' });
        await expect(
            impostor.submitTransaction('registerLot', 'LBZ-FAKE', garden, String(PICKED), '100000000'),
        ).rejects.toThrow(/E_FORBIDDEN/);
        await expect(submit(FARMER, 'registerLot', 'LBZ-100T', garden, String(PICKED), '100000000')).rejects.toThrow(
            /E_OVER_HARVEST/,
        );
        await submit(FARMER, 'registerLot', 'LBZ-1', garden, String(PICKED), '30000');
        const before = await harvest(garden, 2026);
        expect(before).toMatchObject({ certifiedGrams: 50_000, registeredGrams: 30_000 });
        await expect(submit(FARMER, 'registerLot', 'LBZ-2', garden, String(PICKED), '20001')).rejects.toThrow(
            /E_OVER_HARVEST/,
        );
        await expect(submit(MARKET, 'certifyHarvest', garden, '2026', '29999')).rejects.toThrow(/E_OVER_HARVEST/);

        // Two lots at once that each fit but together exceed the harvest: one commits.
        const race = await atOnce([
            submit(FARMER, 'registerLot', 'LBZ-A', garden, String(PICKED), '15000'),
            submit(FARMER, 'registerLot', 'LBZ-B', garden, String(PICKED), '15000'),
        ]);
        expect(race.committed).toBe(1);
        expect((await harvest(garden, 2026)).registeredGrams).toBe(45_000);
        for (const lotId of ['LBZ-FAKE', 'LBZ-100T', 'LBZ-2']) {
            await expect(lot(lotId)).rejects.toThrow(/E_NOT_FOUND/);
        }

        // Leaf of another year needs that year's certification.
        const lastYear = Math.floor(Date.UTC(2025, 3, 1) / 60_000);
        await expect(submit(FARMER, 'registerLot', 'LBZ-2025', garden, String(lastYear), '1')).rejects.toThrow(
            /E_NO_CERTIFIED_HARVEST/,
        );
    });

    it('moves custody only to a party that accepts with its own certificate', async () => {
        await pressedCake('PE-G1');
        await submit(INSPECTOR, 'inspectCake', 'PE-G1', 'PASS', sha256('report PE-G1'));
        // An offer to a holder that does not exist strands nothing: the factory keeps the cake.
        const offered = await submit(FACTORY, 'transferCake', 'PE-G1', 'GhostMSP', '幽灵');
        expect(offered).toMatchObject({
            holder: { mspId: 'MemberMSP', unit: '普洱茶厂' },
            offer: { to: { mspId: 'GhostMSP', unit: '幽灵' } },
        });
        await expect(submit(YUNPINHUI, 'acceptCake', 'PE-G1')).rejects.toThrow(/E_NOT_RECIPIENT/);
        await expect(submit(SHOP, 'transferCake', 'PE-G1', 'MemberMSP', '茶叶零售店')).rejects.toThrow(/E_NOT_HOLDER/);
        expect(await cake('PE-G1')).toEqual(offered);

        // The holder redirects; only the named party takes it, and only while it may move.
        await submit(FACTORY, 'transferCake', 'PE-G1', 'PlatformMSP', '云品荟');
        await expect(submit(SHOP, 'acceptCake', 'PE-G1')).rejects.toThrow(/E_NOT_RECIPIENT/);
        const frozen = await submit(MARKET, 'freezeCake', 'PE-G1', '抽检');
        await expect(submit(YUNPINHUI, 'acceptCake', 'PE-G1')).rejects.toThrow(/E_FROZEN/);
        expect(await cake('PE-G1')).toEqual(frozen);
        await submit(MARKET, 'unfreezeCake', 'PE-G1', '抽检合格');

        // Accepting while the holder redirects: one of them commits, never both.
        const race = await atOnce([
            submit(YUNPINHUI, 'acceptCake', 'PE-G1'),
            submit(FACTORY, 'transferCake', 'PE-G1', 'MemberMSP', '茶叶零售店'),
        ]);
        expect(race.committed).toBe(1);
        const after = await cake('PE-G1');
        expect(
            (after.holder.unit === '云品荟' && after.offer === null) ||
                (after.holder.unit === '普洱茶厂' && after.offer.to.unit === '茶叶零售店'),
        ).toBe(true);
        await expect(submit(YUNPINHUI, 'acceptCake', 'PE-G1')).rejects.toThrow(/E_NO_OFFER|E_NOT_RECIPIENT/);

        // Lots hand over the same way.
        await submit(FARMER, 'registerLot', 'MH-G2', '勐海南糯山', String(PICKED), '500');
        await submit(FARMER, 'transferLot', 'MH-G2', 'GhostMSP', '幽灵');
        await expect(submit(FACTORY, 'acceptLot', 'MH-G2')).rejects.toThrow(/E_NOT_RECIPIENT/);
        expect(await lot('MH-G2')).toMatchObject({ holder: { unit: '勐海茶园' }, status: 'ACTIVE' });
    });

    it('counts concurrent scans of one cake without conflicts', async () => {
        await pressedCake('PE-Q1');
        const race = await atOnce(
            ['MemberMSP:patient', 'MemberMSP:entrant1', 'MemberMSP:entrant2', 'MemberMSP:entrant3', SHOP].map((who) =>
                submit(who, 'scanCake', 'PE-Q1'),
            ),
        );
        expect(race.refusals).toEqual([]);
        expect(json(await tea('MemberMSP:patient').evaluateTransaction('traceCake', 'PE-Q1')).scanCount).toBe(5);
    });

    it('shows a sale price to its seller only, and the public hash does not give it away', async () => {
        await passedCakeAtShop('PE-P2');
        await recordPrice(SHOP, 'PE-P2', 88_800);
        for (const who of ['MemberMSP:patient', FARMER, FACTORY, YUNPINHUI, MARKET]) {
            await expect(tea(who).evaluateTransaction('getSalePrice', 'PE-P2')).rejects.toThrow(/E_FORBIDDEN/);
        }
        expect(json(await tea(SHOP).evaluateTransaction('getSalePrice', 'PE-P2')).priceFen).toBe(88_800);
        await expect(
            tea(SHOP).submit('recordSalePrice', {
                arguments: ['PE-P2'],
                transientData: { price: JSON.stringify({ priceFen: 1 }) },
            }),
        ).rejects.toThrow(/E_BAD_INPUT/);

        const sold = await submit(SHOP, 'sellCake', 'PE-P2');
        const seller = '{"mspId":"MemberMSP","unit":"茶叶零售店"}';
        const guess = (priceFen: number) =>
            sha256(`{"cakeCode":"PE-P2","docType":"tea.price","priceFen":${priceFen},"seller":${seller}}`);
        let found: number | undefined;
        for (let priceFen = 1; priceFen <= 200_000 && found === undefined; priceFen++) {
            found = guess(priceFen) === sold.sale.priceHash ? priceFen : undefined;
        }
        expect(found).toBeUndefined();
    });
});
