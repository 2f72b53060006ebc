import { afterEach, describe, expect, it, vi } from 'vitest';

// As if @zhelian/fabric were not installed (a user who installed only the embedded ledger).
vi.mock('@zhelian/fabric', () => {
    throw new Error("Cannot find module '@zhelian/fabric'\nRequire stack:\n- /somewhere/open-backend.js");
});
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

    it('says so, in one line, when the chosen backend package cannot be loaded', async () => {
        await expect(openBackend({ network: 'fabric' })).rejects.toMatchObject({
            code: ErrorCode.NOT_SUPPORTED,
            message: expect.stringMatching(/^The fabric network is not available: .*@zhelian\/fabric[^\n]*$/),
        });
    });
});
