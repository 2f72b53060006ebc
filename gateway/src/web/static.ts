import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler } from 'express';

/** The built web UI: the `@zhelian/web` package's `dist/`, once `npm run build` has made it. */
function builtWebRoot(): string | undefined {
    try {
        const dist = path.join(path.dirname(require.resolve('@zhelian/web/package.json')), 'dist');
        return existsSync(path.join(dist, 'index.html')) ? dist : undefined;
    } catch {
        return undefined;
    }
}

/**
 * Serves the web UI at the API's address: its hashed assets for a year, every other page path
 * (`/explorer`, `/cake/PE-2019-000001` — what a QR code opens) as its `index.html`, which the UI's
 * router reads. Without a root (`false`, or no build yet: it is looked for again on each request
 * until found), `/` leads to the API docs as before.
 */
export function webUi(root: string | false | undefined): RequestHandler {
    let found = root === false ? undefined : root;
    const router = express.Router();
    router.use('/assets', (req, res, next) => {
        if (!found) {
            next();
            return;
        }
        express.static(path.join(found, 'assets'), { immutable: true, maxAge: '1y', index: false })(req, res, next);
    });
    router.get(/^\/(?!api(?:\/|$)).*/, (req, res, next) => {
        found ??= root === false ? undefined : builtWebRoot();
        if (!found) {
            if (req.path === '/') {
                res.redirect('/api/docs');
                return;
            }
            next();
            return;
        }
        if (req.path !== '/' && path.extname(req.path) !== '') {
            express.static(found, { index: false })(req, res, next);
            return;
        }
        if (!req.accepts('html')) {
            next();
            return;
        }
        res.set('Cache-Control', 'no-cache');
        res.sendFile(path.join(found, 'index.html'));
    });
    return router;
}
