import path from 'node:path';
import express, { type RequestHandler } from 'express';
import { route, RouteTable } from '../http/route-table';

/**
 * The API document and a page to browse and try it: Swagger UI, served from the `swagger-ui-dist`
 * package (no CDN: the page works offline, in a classroom without internet).
 */

const SWAGGER_UI_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="utf-8" />
    <title>浙链 Zhelian API</title>
    <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css" />
    <link rel="icon" type="image/png" href="/api/docs/assets/favicon-32x32.png" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/api/docs/init.js"></script>
  </body>
</html>
`;

// A file, not an inline script: the Content-Security-Policy allows scripts from this origin only.
const INIT = `window.ui = SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    tryItOutEnabled: true,
    persistAuthorization: true,
});
`;

/** The static files the page loads, from swagger-ui-dist. */
export const docsAssets: RequestHandler = express.static(SWAGGER_UI_DIR, {
    index: false,
    fallthrough: false,
    maxAge: '1h',
});

export function documentRoutes(document: () => Promise<object>): RouteTable {
    return new RouteTable().add(
        route({
            method: 'get',
            path: '/api/openapi.json',
            operationId: 'openapi',
            summary: 'This document: OpenAPI 3.1, generated from the schemas that validate the requests',
            tags: ['docs'],
            access: 'public',
            responses: { 200: { description: 'The OpenAPI document.', schema: { type: 'object' } } },
            handle: () => document(),
        }),
        route({
            method: 'get',
            path: '/api/docs',
            operationId: 'docs',
            summary: 'A page to browse the API and try it (Swagger UI)',
            tags: ['docs'],
            access: 'public',
            responses: { 200: { description: 'The page.', contentType: 'text/html', schema: { type: 'string' } } },
            async handle({ res }) {
                res.type('html').send(PAGE);
                return undefined;
            },
        }),
        route({
            method: 'get',
            path: '/api/docs/init.js',
            operationId: 'docs.script',
            summary: "The docs page's script",
            tags: ['docs'],
            access: 'public',
            responses: {
                200: { description: 'JavaScript.', contentType: 'text/javascript', schema: { type: 'string' } },
            },
            async handle({ res }) {
                res.type('text/javascript').send(INIT);
                return undefined;
            },
        }),
    );
}
