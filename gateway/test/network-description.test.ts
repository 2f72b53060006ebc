import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server';

/**
 * What the gateway says the network is, for the web UI's network picture and for scripts: the
 * backend's description, with the state database the topology chose (here CouchDB).
 */
/** The topology's choice of CouchDB is the embedded ledger's; the native Fabric network here runs LevelDB. */
const EMBEDDED = (process.env.ZHELIAN_NETWORK || 'embedded') === 'embedded';

describe.skipIf(!EMBEDDED)('the network as the gateway describes it', () => {
    let server: TestServer;

    beforeAll(async () => {
        server = await startTestServer({ webRoot: false }, { stateDatabase: 'couchdb' });
    }, 120_000);

    afterAll(() => server?.close());

    it('names the state database in /api/explorer and /api/health, as the backend describes it', async () => {
        expect(server.backend.describe().stateDatabase).toBe('couchdb');
        const explorer = await server.call('GET', '/api/explorer');
        expect(explorer.status).toBe(200);
        expect(explorer.body.network).toMatchObject({
            kind: 'embedded',
            channel: 'zhelian',
            stateDatabase: 'couchdb',
            organizations: [
                expect.objectContaining({ mspId: 'RegulatorMSP' }),
                expect.objectContaining({ mspId: 'CourtMSP' }),
                expect.objectContaining({ mspId: 'PlatformMSP' }),
                expect.objectContaining({ mspId: 'MemberMSP' }),
            ],
            chaincodes: [expect.objectContaining({ name: 'zhelian' })],
        });
        const health = await server.call('GET', '/api/health');
        expect(health.body.network).toEqual({ kind: 'embedded', channel: 'zhelian', stateDatabase: 'couchdb' });
    });
});
