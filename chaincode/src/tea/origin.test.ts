import { describe, expect, it } from 'vitest';
import type { Party } from '../lib/party';
import { certifyHarvest, claimHarvest, harvestYear, registerGarden } from './origin';

const grower: Party = { mspId: 'MemberMSP', unit: '勐海茶园' };
const impostor: Party = { mspId: 'MemberMSP', unit: '别处茶园' };
const regulator: Party = { mspId: 'RegulatorMSP', unit: '市场监管局' };
const NOW = 29_000_000;
const garden = registerGarden(undefined, '老班章', grower, regulator, NOW);

describe('tea origin', () => {
    it('registers a garden name once', () => {
        expect(garden).toMatchObject({ docType: 'tea.garden', name: '老班章', grower });
        expect(() => registerGarden(garden, '老班章', impostor, regulator, NOW)).toThrow(/^E_EXISTS/);
    });

    it('counts harvest years in China Standard Time', () => {
        expect(harvestYear(Date.UTC(2019, 3, 12) / 60_000)).toBe(2019);
        // 2019-12-31T16:00Z is already 2020-01-01 in Yunnan.
        expect(harvestYear(Date.UTC(2019, 11, 31, 16, 0) / 60_000)).toBe(2020);
        expect(harvestYear(Date.UTC(2019, 11, 31, 15, 59) / 60_000)).toBe(2019);
    });

    it('lets only the garden grower claim leaf, and never past the certified harvest', () => {
        const harvest = certifyHarvest(undefined, garden, 2019, 1000, regulator, NOW);
        expect(() => claimHarvest(garden, undefined, 2019, grower, 1)).toThrow(/^E_NO_CERTIFIED_HARVEST/);
        expect(() => claimHarvest(garden, harvest, 2019, impostor, 1)).toThrow(/^E_FORBIDDEN/);
        const claimed = claimHarvest(garden, harvest, 2019, grower, 600);
        expect(claimed.registeredGrams).toBe(600);
        expect(() => claimHarvest(garden, claimed, 2019, grower, 401)).toThrow(/^E_OVER_HARVEST/);
        expect(claimHarvest(garden, claimed, 2019, grower, 400).registeredGrams).toBe(1000);
    });

    it('revises a certification, never below what is registered', () => {
        const claimed = claimHarvest(
            garden,
            certifyHarvest(undefined, garden, 2019, 1000, regulator, NOW),
            2019,
            grower,
            600,
        );
        expect(() => certifyHarvest(claimed, garden, 2019, 599, regulator, NOW)).toThrow(/^E_OVER_HARVEST/);
        expect(certifyHarvest(claimed, garden, 2019, 600, regulator, NOW)).toMatchObject({
            certifiedGrams: 600,
            registeredGrams: 600,
        });
    });
});
