import { describe, expect, it } from 'vitest';
import type { Party } from '../lib/party';
import { acceptLot, offerLot } from './handover';
import { harvestLot, splitLot } from './lots';

const farmer: Party = { mspId: 'MemberMSP', unit: '勐海茶园' };
const factory: Party = { mspId: 'MemberMSP', unit: '普洱茶厂' };
const ghost: Party = { mspId: 'GhostMSP', unit: '幽灵' };
const NOW = 29_000_000;
const raw = harvestLot({ lotId: 'L1', gardenName: '老班章', pickedAtMinute: NOW, weightGrams: 500 }, farmer, NOW);

describe('tea handover', () => {
    it('moves a lot only when the party it was offered to accepts', () => {
        expect(() => offerLot(raw, factory, farmer, NOW)).toThrow(/^E_NOT_HOLDER/);
        expect(() => offerLot(raw, farmer, farmer, NOW)).toThrow(/^E_BAD_INPUT/);
        const offered = offerLot(raw, farmer, factory, NOW);
        expect(offered).toMatchObject({ holder: farmer, offer: { to: factory, by: farmer } });
        expect(() => acceptLot(raw, factory, NOW)).toThrow(/^E_NO_OFFER/);
        expect(() => acceptLot(offered, ghost, NOW)).toThrow(/^E_NOT_RECIPIENT/);
        expect(acceptLot(offered, factory, NOW)).toMatchObject({ holder: factory, offer: null });
    });

    it('keeps the lot with its holder after an offer to nobody, who may redirect it', () => {
        const stranded = offerLot(raw, farmer, ghost, NOW);
        expect(stranded.holder).toEqual(farmer);
        const redirected = offerLot(stranded, farmer, factory, NOW + 1);
        expect(() => acceptLot(redirected, ghost, NOW + 2)).toThrow(/^E_NOT_RECIPIENT/);
        expect(acceptLot(redirected, factory, NOW + 2).holder).toEqual(factory);
    });

    it('ends the offer when the lot is consumed', () => {
        const offered = offerLot(raw, farmer, factory, NOW);
        const { parent } = splitLot(
            offered,
            [
                { lotId: 'A', weightGrams: 250 },
                { lotId: 'B', weightGrams: 250 },
            ],
            farmer,
            NOW,
        );
        expect(parent.offer).toBeNull();
        expect(() => acceptLot(parent, factory, NOW)).toThrow(/^E_NO_OFFER/);
    });
});
