import { createHash, randomBytes } from 'node:crypto';
import type { Chapter, RunContext } from '../chapter';
import { t } from '../text';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const PICKED_MINUTE = Math.floor(Date.parse('2019-04-12T01:30:00Z') / 60_000);

/**
 * 普洱茶溯源: a new plot of 勐海茶园 each run, its 2019 harvest certified; a lot of leaf is picked,
 * handed to 普洱茶厂 (offer, then acceptance) and pressed into two cakes; 普洱茶质检中心 passes one;
 * both reach the shop, which cannot sell the uninspected one; it sells the other with a private,
 * salted price, and a consumer scans and traces it.
 */
export function teaChapter(run: RunContext): Chapter {
    const garden = `勐海县布朗山老班章 ${run.tag} 号地块`;
    const lot = `MH-${run.tag}-01`;
    const batch = `PE-${run.tag}-B01`;
    const [inspected, uninspected] = [`PE-${run.tag}-000001`, `PE-${run.tag}-000002`];
    const handOver = (code: string, from: string, toUser: string, toUnit: string, fn: 'Cake' | 'Lot') => [
        {
            actor: from,
            fn: `transfer${fn}`,
            args: () => [code, 'MemberMSP', toUnit],
            say: () => t(`${code} 交给${toUnit}（先提出移交）`, `${code} is offered to ${toUnit}`),
        },
        {
            actor: toUser,
            fn: `accept${fn}`,
            args: () => [code],
            say: () =>
                t(`${toUnit}签收 ${code}：保管权此时才转移`, `${toUnit} accepts ${code}: custody moves only now`),
        },
    ];
    return {
        contract: 'tea',
        title: t('普洱茶溯源', "Pu'er tea traceability"),
        story: t(
            '2019 年云南普洱茶与云品荟等平台用区块链记录从茶园、加工、质检到销售的全过程，\n消费者扫码即可看到一饼茶的一生；未经质检合格的茶不得销售。',
            "In 2019 Yunnan's Pu'er tea makers and platforms such as 云品荟 recorded each cake from garden,\npressing and inspection to sale; a consumer's scan shows its whole life. No sale before inspection.",
        ),
        steps: [
            {
                actor: 'RegulatorMSP:market',
                fn: 'registerGarden',
                args: () => [garden, 'MemberMSP', '勐海茶园'],
                say: () =>
                    t(
                        `市场监管局登记茶园「${garden}」，由勐海茶园采摘`,
                        `市场监管局 registers garden "${garden}", picked by 勐海茶园`,
                    ),
            },
            {
                actor: 'RegulatorMSP:inspector',
                fn: 'certifyHarvest',
                args: () => [garden, '2019', '30000'],
                say: () =>
                    t(
                        '质检中心核定该地块 2019 年产量 30 公斤',
                        'The inspection centre certifies its 2019 harvest: 30 kg',
                    ),
            },
            {
                actor: 'MemberMSP:farmer',
                fn: 'registerLot',
                args: () => [lot, garden, String(PICKED_MINUTE), '12000'],
                say: () =>
                    t(
                        `茶农登记 2019 年 4 月采摘的鲜叶批次 ${lot}，12 公斤`,
                        `The grower registers lot ${lot}: 12 kg picked in April 2019`,
                    ),
            },
            ...handOver(lot, 'MemberMSP:farmer', 'MemberMSP:factory', '普洱茶厂', 'Lot'),
            {
                actor: 'MemberMSP:factory',
                fn: 'processCakes',
                args: () => [
                    batch,
                    JSON.stringify([lot]),
                    JSON.stringify([
                        { code: inspected, weightGrams: 357, fingerprintHash: sha256(`纹理指纹 ${inspected}`) },
                        { code: uninspected, weightGrams: 357 },
                    ]),
                ],
                say: () => t(`茶厂把 ${lot} 压成两饼 357 克的茶饼`, `The factory presses ${lot} into two 357 g cakes`),
            },
            {
                actor: 'RegulatorMSP:inspector',
                fn: 'inspectCake',
                args: () => [inspected, 'PASS', sha256(`普洱茶质检中心检验报告 ${inspected}`)],
                say: () =>
                    t(
                        `质检中心检验 ${inspected}：合格（报告只上链哈希）`,
                        `The inspection centre passes ${inspected} (the report's hash on chain)`,
                    ),
            },
            ...handOver(inspected, 'MemberMSP:factory', 'MemberMSP:shop', '茶叶零售店', 'Cake'),
            ...handOver(uninspected, 'MemberMSP:factory', 'MemberMSP:shop', '茶叶零售店', 'Cake'),
            {
                actor: 'MemberMSP:shop',
                fn: 'sellCake',
                args: () => [uninspected],
                say: () =>
                    t(
                        `零售店想卖出还没质检的 ${uninspected}`,
                        `The shop tries to sell ${uninspected}, never inspected`,
                    ),
                refused: {
                    code: 'E_NOT_INSPECTED',
                    why: t('质检合格前不得销售', 'no sale before a PASS inspection'),
                },
            },
            {
                actor: 'MemberMSP:shop',
                fn: 'recordSalePrice',
                args: () => [inspected],
                transient: () => ({
                    price: JSON.stringify({ priceFen: 128_000, salt: randomBytes(16).toString('hex') }),
                }),
                say: () =>
                    t(
                        '零售店私下记录售价 1280 元（加盐后只有哈希上链，无法猜价）',
                        'The shop records its price, 1280 yuan, privately (salted: only a hash on the channel)',
                    ),
            },
            {
                actor: 'MemberMSP:shop',
                fn: 'sellCake',
                args: () => [inspected],
                say: () => t(`零售店卖出合格的 ${inspected}`, `The shop sells ${inspected}, which passed`),
            },
            {
                actor: 'MemberMSP:patient',
                fn: 'scanCake',
                args: () => [inspected],
                say: () => t('消费者扫描茶饼上的二维码', 'A consumer scans the QR code on the wrapper'),
            },
            {
                actor: 'MemberMSP:patient',
                fn: 'traceCake',
                evaluate: true,
                args: () => [inspected],
                say: () => t('消费者查看这饼茶的一生', "The consumer reads the cake's whole life"),
                show: (answer) =>
                    t(
                        `产地 ${(answer.gardens as string[]).join('、')}；经手 ${(answer.custody as unknown[]).length} 方；扫码 ${String(answer.scanCount)} 次；结论 ${String(answer.verdict)}`,
                        `from ${(answer.gardens as string[]).join(', ')}; ${(answer.custody as unknown[]).length} holders; scanned ${String(answer.scanCount)} times; verdict ${String(answer.verdict)}`,
                    ),
            },
        ],
    };
}
