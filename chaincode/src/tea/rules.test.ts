import { describe, expect, it } from 'vitest';
import type { Party } from '../lib/party';
import { acceptCake, offerCake } from './handover';
import type { TeaCake, TeaLot } from './model';
import { assertSellable, freezeCake, inspect, recallCake, sellCake } from './cakes';
import { harvestLot, mergeLots, processLots, splitLot } from './lots';
import { custodyChain, traceSteps, verdictOf } from './trace';

const farmer: Party = { mspId: 'MemberMSP', unit: '勐海茶园' };
const factory: Party = { mspId: 'MemberMSP', unit: '普洱茶厂' };
const shop: Party = { mspId: 'MemberMSP', unit: '茶叶零售店' };
const inspector: Party = { mspId: 'RegulatorMSP', unit: '普洱茶质检中心' };
const market: Party = { mspId: 'RegulatorMSP', unit: '市场监管局' };
const NOW = 29_000_000;
const HASH = 'a'.repeat(64);

function lot(id: string, grams: number, holder = factory): TeaLot {
    return {
        ...harvestLot(
            { lotId: id, gardenName: '勐海茶园', pickedAtMinute: NOW - 100, weightGrams: grams },
            farmer,
            NOW,
        ),
        holder,
    };
}

function pressedCake(): { cake: TeaCake; inspection: ReturnType<typeof processLots>['inspections'][number] } {
    const result = processLots('B1', [lot('L1', 1000)], [{ code: 'C1', weightGrams: 357 }], factory, NOW);
    return { cake: result.cakes[0], inspection: result.inspections[0] };
}

describe('tea lots', () => {
    it('refuses leaf picked after the transaction', () => {
        expect(() =>
            harvestLot({ lotId: 'L', gardenName: 'g', pickedAtMinute: NOW + 1, weightGrams: 1 }, farmer, NOW),
        ).toThrow(/^E_BAD_INPUT/);
    });

    it('a split conserves weight exactly', () => {
        const parent = lot('L1', 1000);
        expect(() =>
            splitLot(
                parent,
                [
                    { lotId: 'A', weightGrams: 600 },
                    { lotId: 'B', weightGrams: 500 },
                ],
                factory,
                NOW,
            ),
        ).toThrow(/^E_WEIGHT_MISMATCH/);
        expect(() =>
            splitLot(
                parent,
                [
                    { lotId: 'A', weightGrams: 600 },
                    { lotId: 'B', weightGrams: 399 },
                ],
                factory,
                NOW,
            ),
        ).toThrow(/^E_WEIGHT_MISMATCH/);
        const { parent: consumed, children } = splitLot(
            parent,
            [
                { lotId: 'A', weightGrams: 600 },
                { lotId: 'B', weightGrams: 400 },
            ],
            factory,
            NOW,
        );
        expect(consumed.status).toBe('CONSUMED');
        expect(children.map((child) => child.weightGrams)).toEqual([600, 400]);
        expect(children[0].origin).toEqual({ kind: 'SPLIT', parents: ['L1'] });
    });

    it('a consumed lot cannot be split again', () => {
        const { parent } = splitLot(
            lot('L1', 10),
            [
                { lotId: 'A', weightGrams: 5 },
                { lotId: 'B', weightGrams: 5 },
            ],
            factory,
            NOW,
        );
        expect(() =>
            splitLot(
                parent,
                [
                    { lotId: 'C', weightGrams: 5 },
                    { lotId: 'D', weightGrams: 5 },
                ],
                factory,
                NOW,
            ),
        ).toThrow(/^E_LOT_CONSUMED/);
    });

    it('a merge weighs the sum and needs one holder', () => {
        const { merged, consumed } = mergeLots([lot('A', 300), lot('B', 200)], 'M', factory, NOW);
        expect(merged.weightGrams).toBe(500);
        expect(consumed.every((one) => one.status === 'CONSUMED')).toBe(true);
        expect(() => mergeLots([lot('A', 300), lot('B', 200, shop)], 'M', factory, NOW)).toThrow(/^E_NOT_HOLDER/);
        expect(() => mergeLots([lot('A', 300), lot('A', 300)], 'M', factory, NOW)).toThrow(/^E_BAD_INPUT/);
    });
});

describe('tea processing', () => {
    it('cakes never weigh more than the leaf that went in', () => {
        expect(() =>
            processLots(
                'B1',
                [lot('L1', 700)],
                [
                    { code: 'C1', weightGrams: 357 },
                    { code: 'C2', weightGrams: 357 },
                ],
                factory,
                NOW,
            ),
        ).toThrow(/^E_WEIGHT_MISMATCH/);
        const result = processLots(
            'B1',
            [lot('L1', 714)],
            [
                { code: 'C1', weightGrams: 357 },
                { code: 'C2', weightGrams: 357 },
            ],
            factory,
            NOW,
        );
        expect(result.batch.outputGrams).toBe(714);
        expect(result.consumed[0].consumedBy).toEqual({ kind: 'PROCESS', ref: 'B1' });
        expect(result.inspections.map((one) => one.result)).toEqual(['PENDING', 'PENDING']);
    });

    it('only lots the processor holds go in', () => {
        expect(() =>
            processLots('B1', [lot('L1', 1000, farmer)], [{ code: 'C1', weightGrams: 1 }], factory, NOW),
        ).toThrow(/^E_NOT_HOLDER/);
    });
});

describe('tea cakes', () => {
    it('no sale before PASS', () => {
        const { cake, inspection } = pressedCake();
        const atShop = { ...cake, holder: shop };
        expect(() => sellCake(atShop, inspection, shop, HASH, NOW)).toThrow(/^E_NOT_INSPECTED/);
        const failed = inspect(inspection, 'FAIL', HASH, inspector, NOW);
        expect(() => sellCake(atShop, failed, shop, HASH, NOW)).toThrow(/^E_INSPECTION_FAILED/);
        const passed = inspect(inspection, 'PASS', HASH, inspector, NOW);
        expect(sellCake(atShop, passed, shop, HASH, NOW).status).toBe('SOLD');
    });

    it('a cake is inspected once', () => {
        const { inspection } = pressedCake();
        const passed = inspect(inspection, 'PASS', HASH, inspector, NOW);
        expect(() => inspect(passed, 'FAIL', HASH, inspector, NOW)).toThrow(/^E_ALREADY_INSPECTED/);
    });

    it('frozen and recalled cakes neither move nor sell', () => {
        const { cake, inspection } = pressedCake();
        const passed = inspect(inspection, 'PASS', HASH, inspector, NOW);
        const frozen = freezeCake(cake, market, 'sampling', NOW);
        expect(() => offerCake(frozen, factory, shop, NOW)).toThrow(/^E_FROZEN/);
        expect(() => assertSellable(frozen, passed)).toThrow(/^E_FROZEN/);
        const recalled = recallCake(cake, market, 'mould', NOW);
        expect(() => offerCake(recalled, factory, shop, NOW)).toThrow(/^E_RECALLED/);
        expect(() => freezeCake(recalled, market, 'x', NOW)).toThrow(/^E_RECALLED/);
        expect(verdictOf(recalled, passed)).toBe('RECALLED');
    });

    it('a sold cake stays sold, and the sale ends a pending offer', () => {
        const { cake, inspection } = pressedCake();
        const atShop = acceptCake(offerCake(cake, factory, shop, NOW), shop, NOW);
        const offered = offerCake(atShop, shop, factory, NOW);
        const sold = sellCake(offered, inspect(inspection, 'PASS', HASH, inspector, NOW), shop, HASH, NOW);
        expect(sold.offer).toBeNull();
        expect(() => offerCake(sold, shop, factory, NOW)).toThrow(/^E_ALREADY_SOLD/);
        expect(() => acceptCake(sold, factory, NOW)).toThrow(/^E_NO_OFFER/);
    });
});

describe('tea trace', () => {
    it('turns newest-first history into an oldest-first custody chain', () => {
        const { cake } = pressedCake();
        const offered = offerCake(cake, factory, shop, NOW + 3);
        const atShop = acceptCake(offered, shop, NOW + 5);
        const steps = traceSteps([
            { txId: 't3', atMinute: NOW + 5, value: atShop },
            { txId: 't2', atMinute: NOW + 3, value: offered },
            { txId: 't1', atMinute: NOW, value: cake },
        ]);
        expect(steps.map((step) => step.action)).toEqual(['PRODUCED', 'OFFERED', 'TRANSFERRED']);
        expect(custodyChain(steps)).toEqual([
            { holder: factory, sinceMinute: NOW, txId: 't1' },
            { holder: shop, sinceMinute: NOW + 5, txId: 't3' },
        ]);
    });
});
