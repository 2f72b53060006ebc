import { cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '@zhelian/api';
import { startGateway } from '../src';
import { BALANCES_DIR, call, CHAINCODE_DIR, startTestServer, type TestServer } from './support/server';

interface Layer {
    route?: { path: string; methods: Record<string, boolean> };
    handle?: { stack?: Layer[] };
}

/** Every route Express serves: method and path, walking mounted routers. */
function expressRoutes(stack: Layer[]): string[] {
    return stack.flatMap((layer) => {
        if (layer.route) {
            const { path: route, methods } = layer.route;
            return Object.keys(methods).map((method) => `${method.toUpperCase()} ${route}`);
        }
        return layer.handle?.stack ? expressRoutes(layer.handle.stack) : [];
    });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Document = any;

function documentedRoutes(document: Document): string[] {
    return Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([route, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${route.replace(/\{(\w+)\}/g, ':$1')}`),
    );
}

const EMBEDDED = (process.env.ZHELIAN_NETWORK || 'embedded') === 'embedded';

/** The OpenAPI document: generated from the schemas that validate, complete, and kept current. */
describe('the API document', () => {
    let server: TestServer;
    let document: Document;
    let metadata: Document;

    beforeAll(async () => {
        server = await startTestServer({}, { chaincodes: [{ name: 'balances', packageDir: BALANCES_DIR }] });
        document = (await server.call('GET', '/api/openapi.json')).body;
        metadata = (await server.call('GET', `/api/chaincode/${server.chaincode}/metadata`)).body;
    });

    afterAll(async () => {
        await server?.close();
    });

    it('is a valid OpenAPI 3.1 document', async () => {
        expect(document.openapi).toBe('3.1.0');
        // An ECMAScript module: imported as one.
        const { Validator } = await import('@seriousme/openapi-schema-validator');
        const result = await new Validator().validate(document);
        expect(result.errors ?? []).toEqual([]);
        expect(result.valid).toBe(true);
    });

    it('documents every route the server serves under /api, and nothing it does not serve', () => {
        const app = server.gateway.app.app as unknown as { router: { stack: Layer[] } };
        const served = [
            ...expressRoutes(app.router.stack),
            ...expressRoutes((server.gateway.app.chaincodeRoutes.router as unknown as { stack: Layer[] }).stack),
        ].filter((route) => route.split(' ')[1].startsWith('/api/'));
        const documented = documentedRoutes(document);
        expect(served.filter((route) => !documented.includes(route))).toEqual([]);
        expect(documented.filter((route) => !served.includes(route))).toEqual([]);
        expect(served.length).toBeGreaterThan(100);
    });

    it('has a route for every transaction of every contract in the chaincode metadata', () => {
        const expected = Object.entries(
            metadata.contracts as Record<string, { transactions: { name: string; tag?: string[] }[] }>,
        )
            .filter(([contract]) => contract !== 'org.hyperledger.fabric')
            .flatMap(([contract, { transactions }]) =>
                transactions.map(
                    (tx) => `${(tx.tag ?? []).includes('EVALUATE') ? 'GET' : 'POST'} /api/${contract}/${tx.name}`,
                ),
            );
        expect(expected.length).toBeGreaterThan(50);
        expect(expected.filter((route) => !documentedRoutes(document).includes(route))).toEqual([]);
    });

    it("takes each argument's schema and description from its @Param metadata", () => {
        const lock = document.paths['/api/einvoice/lockReceipt'].post;
        const args = lock.requestBody.content['application/json'].schema.properties.args;
        const lockMetadata = metadata.contracts.einvoice.transactions.find(
            (tx: { name: string }) => tx.name === 'lockReceipt',
        );
        expect(args.required).toEqual(lockMetadata.parameters.map((parameter: { name: string }) => parameter.name));
        expect(args.properties.claimFen).toMatchObject({ type: 'integer', minimum: 0 });
        expect(args.properties.claimFen.description).toBe(
            lockMetadata.parameters.find((parameter: { name: string }) => parameter.name === 'claimFen').description,
        );
        expect(args.properties.code.type).toBe('string');

        const verify = document.paths['/api/einvoice/verifyReceipt'].get;
        expect(
            verify.parameters.map((parameter: { name: string; in: string }) => `${parameter.in}:${parameter.name}`),
        ).toEqual(['query:code', 'query:number', 'query:checkCode']);
        expect(verify.responses[200].content['application/json'].schema.properties.result).toEqual({
            $ref: `#/components/schemas/${server.chaincode}.ReceiptVerification`,
        });
        expect(document.components.schemas[`${server.chaincode}.ReceiptVerification`].properties.reimbursedFen).toEqual(
            {
                type: 'number',
            },
        );

        const allocate = document.paths['/api/einvoice/allocateRange'].post;
        expect(
            allocate.requestBody.content['application/json'].schema.properties.args.properties.rangeJson.type,
        ).toEqual(['object', 'array', 'string']);
    });

    it('says who may call each route', () => {
        expect(document.paths['/api/public/tea/cakes/{code}'].get.security).toEqual([{}]);
        expect(document.paths['/api/einvoice/reimburseReceipt'].post.security).toContainEqual({ identity: [] });
        expect(document.paths['/api/tokens'].post.security).toEqual([{ bearer: [] }]);
        expect(document.paths['/api/events/blocks'].get.security).toContainEqual({ accessToken: [] });
    });

    it('is browsable: the docs page and its assets come from this server, no CDN', async () => {
        const page = await server.call('GET', '/api/docs');
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toMatch(/text\/html/);
        const sources = [...String(page.body).matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
        expect(sources.every((source) => source.startsWith('/api/docs/'))).toBe(true);
        for (const source of sources) {
            expect((await fetch(`${server.url}${source}`)).status).toBe(200);
        }
    });

    it('answers 503 on the chaincode’s paths while it is being deployed, then serves its routes', async () => {
        const dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-pending-'));
        const backend = await openBackend({ dataDir, viaServer: false });
        const gateway = await startGateway(backend, { port: 0, chaincodePending: true, logLevel: 'silent' });
        try {
            const waiting = await call(gateway.url, 'GET', '/api/einvoice/listRanges?code=33010125', {
                as: 'RegulatorMSP:finance',
            });
            expect(waiting.status).toBe(503);
            expect(waiting.body.error.code).toBe('CHAINCODE_NOT_READY');
            expect(waiting.headers.get('retry-after')).toBe('1');
            expect((await call(gateway.url, 'GET', '/api/health')).body.chaincode.state).toBe('waiting');

            await backend.lifecycle?.deploy({
                packageDir: CHAINCODE_DIR,
                name: 'zhelian',
                collections: path.join(CHAINCODE_DIR, 'collections_config.json'),
            });
            await gateway.reloadChaincode();
            const ready = await call(gateway.url, 'GET', '/api/einvoice/listRanges?code=33010125', {
                as: 'RegulatorMSP:finance',
            });
            expect(ready.status).toBe(200);
            expect(ready.body).toEqual({ result: [] });
        } finally {
            await gateway.close();
            await backend.close();
            await rm(dataDir, { recursive: true, force: true });
        }
    });

    // On Fabric a package runs as a chaincode server that `npm run network:deploy` starts: a new
    // version written here has none, so only the embedded ledger can install it from this test.
    it.skipIf(!EMBEDDED)(
        'follows the chaincode when it is upgraded: a new transaction gets its route and its documentation',
        async () => {
            const own = await startTestServer(
                { chaincode: 'balances' },
                { chaincodes: [{ name: 'balances', packageDir: BALANCES_DIR }] },
            );
            const upgraded = await mkdtemp(path.join(tmpdir(), 'zhelian-balances-v2-'));
            try {
                const before = (await own.call('GET', '/api/openapi.json')).body;
                expect(before.paths['/api/balances/transfer']).toBeDefined();
                expect(before.paths['/api/balances/burn']).toBeUndefined();

                await cp(BALANCES_DIR, upgraded, { recursive: true });
                await symlink(
                    path.join(BALANCES_DIR, '..', '..', '..', '..', 'node_modules'),
                    path.join(upgraded, 'node_modules'),
                );
                await writeFile(
                    path.join(upgraded, 'burn.js'),
                    `'use strict';
const { Contract } = require('fabric-contract-api');
const { contracts: [Balances] } = require('./index.js');
class Burning extends Balances {
    async burn(ctx, key) {
        await ctx.stub.putState(key, Buffer.from('0'));
        ctx.stub.setEvent('balances.Burned', Buffer.from(JSON.stringify({ key })));
    }
}
void Contract;
module.exports.contracts = [Burning];
`,
                );
                await writeFile(
                    path.join(upgraded, 'package.json'),
                    JSON.stringify({ name: 'balances', version: '2.0.0', main: 'burn.js', private: true }),
                );
                const deployed = await own.call('POST', '/api/admin/lifecycle/deploy', {
                    token: own.gateway.instructorToken,
                    body: { packageDir: upgraded, name: 'balances' },
                });
                expect(deployed.body).toMatchObject({ sequence: 2 });
                expect(deployed.body.sequence).toBe(2);

                const after = (await own.call('GET', '/api/openapi.json')).body;
                expect(after.paths['/api/balances/burn'].post).toBeDefined();
                // Plain JavaScript carries no parameter names: fabric-contract-api names them arg0, arg1, …
                const [parameter] =
                    after.paths['/api/balances/burn'].post.requestBody.content['application/json'].schema.properties
                        .args.required;
                const burned = await own.call('POST', '/api/balances/burn', {
                    as: 'PlatformMSP:alipay',
                    body: { args: { [parameter]: 'a' } },
                });
                expect(burned.body).toMatchObject({ validationCodeName: 'VALID' });
                expect(burned.body.event.name).toBe('balances.Burned');
            } finally {
                await own.close();
                await rm(upgraded, { recursive: true, force: true });
            }
        },
    );
});
