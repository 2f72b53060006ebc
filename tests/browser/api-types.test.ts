import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from './support/api-server';

/**
 * The UI's API types (`web/src/api/schema.d.ts`) are generated from the gateway's OpenAPI document;
 * this fails when the gateway's API changed and the types were not generated again. To generate
 * them: `ZHELIAN_WRITE_API_TYPES=1 npx vitest run tests/browser/api-types.test.ts` (or, with a
 * server running, `npm run api:types -w web`).
 */
describe("the web UI's API types", () => {
    let server: ApiServer;
    beforeAll(async () => {
        server = await startApiServer();
    }, 120_000);
    afterAll(() => server?.close());

    it("are the gateway's OpenAPI document as it is now", async () => {
        const { apiTypes, SCHEMA_FILE } = await import('../../web/scripts/api-types.mjs');
        const document = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as object;
        const expected = await apiTypes(document);
        if (process.env.ZHELIAN_WRITE_API_TYPES) {
            await writeFile(SCHEMA_FILE, expected);
        }
        expect(
            (await readFile(SCHEMA_FILE, 'utf8')) === expected,
            'web/src/api/schema.d.ts is out of date: ZHELIAN_WRITE_API_TYPES=1 npx vitest run tests/browser/api-types.test.ts',
        ).toBe(true);
    });
});
