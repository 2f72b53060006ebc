import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from './errors';
import { backendKind, openBackend } from './open-backend';

describe('openBackend', () => {
    const saved = process.env.ZHELIAN_NETWORK;
    afterEach(() => {
        if (saved === undefined) {
            delete process.env.ZHELIAN_NETWORK;
        } else {
            process.env.ZHELIAN_NETWORK = saved;
        }
    });

    it('picks the backend from the configuration, then ZHELIAN_NETWORK, then embedded', () => {
        delete process.env.ZHELIAN_NETWORK;
        expect(backendKind()).toBe('embedded');
        process.env.ZHELIAN_NETWORK = 'fabric';
        expect(backendKind()).toBe('fabric');
        expect(backendKind({ network: 'embedded' })).toBe('embedded');
    });

    it('refuses a network it does not know, naming it', async () => {
        process.env.ZHELIAN_NETWORK = 'hyperchain';
        await expect(openBackend()).rejects.toMatchObject({
            code: ErrorCode.INVALID_CONFIGURATION,
            message: expect.stringContaining('"hyperchain"'),
        });
    });

    it('says so when the chosen backend is not installed', async () => {
        await expect(openBackend({ network: 'fabric' })).rejects.toMatchObject({
            code: ErrorCode.NOT_SUPPORTED,
            message: expect.stringContaining('@zhelian/fabric'),
        });
    });
});
