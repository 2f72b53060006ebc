import { createHash, randomBytes } from 'node:crypto';
import type { Contract } from '@zhelian/api';

/**
 * Demo data for 普洱茶溯源: 市场监管局 registers the 老班章 garden of 勐海茶园 and 普洱茶质检中心
 * certifies its 2019 harvest (50 kg); 勐海茶园 picks two lots of leaf in April 2019 within it and
 * hands them to 普洱茶厂 (each handover is an offer the recipient accepts), which blends them and
 * presses five 357 g cakes; 普洱茶质检中心 passes four; the factory sends three to 云品荟, which
 * passes two to 茶叶零售店; the shop records a private, salted price and sells cake 000001, a
 * consumer scans it; 市场监管局 freezes cake 000003 for sampling. Run once on a fresh ledger.
 *
 * The gateway plans every endorsement from the chaincode interest: RegulatorMSP for the
 * inspection record (its key-level policy), the members of `teaPrices` for the price, a majority
 * for public writes.
 */

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const minuteOf = (iso: string) => Math.floor(Date.parse(iso) / 60_000);

const GARDEN = '勐海县布朗山老班章';
const GROWER = { mspId: 'MemberMSP', unit: '勐海茶园' };
const CERTIFIED_2019_GRAMS = 50_000;
const LOTS = [
    { lotId: 'MH-2019-0412-01', pickedAt: '2019-04-12T01:30:00Z', grams: 12_000 },
    { lotId: 'MH-2019-0413-01', pickedAt: '2019-04-13T01:10:00Z', grams: 8_000 },
];
const BLEND = 'MH-2019-BLEND-01';
const BATCH = 'PE-2019-B01';
const CAKES = ['PE-2019-000001', 'PE-2019-000002', 'PE-2019-000003', 'PE-2019-000004', 'PE-2019-000005'];

export async function seedTea(as: (who: string) => (contractName: string) => Contract): Promise<void> {
    const tea = (who: string) => as(who)('tea');
    const farmer = tea('MemberMSP:farmer');
    const factory = tea('MemberMSP:factory');
    const inspector = tea('RegulatorMSP:inspector');
    const yunpinhui = tea('PlatformMSP:yunpinhui');
    const shop = tea('MemberMSP:shop');

    await tea('RegulatorMSP:market').submitTransaction('registerGarden', GARDEN, GROWER.mspId, GROWER.unit);
    await inspector.submitTransaction('certifyHarvest', GARDEN, '2019', String(CERTIFIED_2019_GRAMS));
    for (const lot of LOTS) {
        await farmer.submitTransaction(
            'registerLot',
            lot.lotId,
            GARDEN,
            String(minuteOf(lot.pickedAt)),
            String(lot.grams),
        );
        await farmer.submitTransaction('transferLot', lot.lotId, 'MemberMSP', '普洱茶厂');
        await factory.submitTransaction('acceptLot', lot.lotId);
    }
    await factory.submitTransaction('mergeLots', BLEND, JSON.stringify(LOTS.map((lot) => lot.lotId)));
    const cakes = CAKES.map((code, index) => ({
        code,
        weightGrams: 357,
        ...(index === 0 ? { fingerprintHash: sha256(`纹理指纹 ${code}`) } : {}),
    }));
    await factory.submitTransaction('processCakes', BATCH, JSON.stringify([BLEND]), JSON.stringify(cakes));

    for (const code of CAKES.slice(0, 4)) {
        await inspector.submit('inspectCake', {
            arguments: [code, 'PASS', sha256(`普洱茶质检中心检验报告 ${code}`)],
        });
    }
    for (const code of CAKES.slice(0, 3)) {
        await factory.submitTransaction('transferCake', code, 'PlatformMSP', '云品荟');
        await yunpinhui.submitTransaction('acceptCake', code);
    }
    for (const code of CAKES.slice(0, 2)) {
        await yunpinhui.submitTransaction('transferCake', code, 'MemberMSP', '茶叶零售店');
        await shop.submitTransaction('acceptCake', code);
    }

    // The salt keeps the public hash of the private price from being matched by guessing prices.
    await shop.submit('recordSalePrice', {
        arguments: [CAKES[0]],
        transientData: { price: JSON.stringify({ priceFen: 128_000, salt: randomBytes(16).toString('hex') }) },
    });
    await shop.submit('sellCake', { arguments: [CAKES[0]] });
    await tea('MemberMSP:patient').submitTransaction('scanCake', CAKES[0]);
    await tea('RegulatorMSP:market').submitTransaction('freezeCake', CAKES[2], '市场监管局抽检: 待复检');
}
