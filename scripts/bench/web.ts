/**
 * `npm run bench:web`: the web UI's figures, measured side by side in one run — the built bundle's
 * size (gzip, what a browser downloads for the first page, and everything) and the time from
 * navigation to the home page showing the live block height, in Debian's Chromium against a
 * gateway on a fresh embedded ledger over loopback (cold: a new browser context each time; warm:
 * the same context again). Aims (issue 11): initial JS ≤ 250 KB gzip, home ready < 1 s.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { chromium } from 'playwright-core';
import { openBackend } from '@zhelian/api';
import { startGateway } from '@zhelian/gateway';
import { median } from './measure';
import { formatTable, type Row } from './table';

const ROOT = path.join(__dirname, '..', '..', '..');
const DIST = path.join(ROOT, 'web', 'dist');
const CHROMIUM = process.env.ZHELIAN_CHROMIUM ?? '/usr/bin/chromium';
const ROUNDS = 7;
const AIM_JS_KB = 250;
const AIM_READY_MS = 1000;

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const gzipped = async (file: string): Promise<number> => gzipSync(await readFile(file)).length;

/** The first page's scripts and styles (entry and preloads, as index.html names them), and all assets. */
async function bundle(): Promise<{ initialJs: number; initialCss: number; allJs: number; chunks: number }> {
    const html = await readFile(path.join(DIST, 'index.html'), 'utf8');
    const named = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((match) => match[1]);
    const sizes = async (files: string[]) =>
        (await Promise.all(files.map((file) => gzipped(path.join(DIST, file))))).reduce((a, b) => a + b, 0);
    const assets = (await readdir(path.join(DIST, 'assets'))).filter((file) => file.endsWith('.js'));
    return {
        initialJs: await sizes(named.filter((file) => file.endsWith('.js'))),
        initialCss: await sizes(named.filter((file) => file.endsWith('.css'))),
        allJs: await sizes(assets.map((file) => `assets/${file}`)),
        chunks: assets.length,
    };
}

/** Milliseconds from navigation start to the home page showing a block height, per round. */
async function homeReady(url: string): Promise<{ cold: number[]; warm: number[] }> {
    const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const ready = async (page: import('playwright-core').Page): Promise<number> => {
        await page.goto(url);
        // Evaluated in the page: the height the home page shows, once it is a number.
        await page.waitForFunction(
            "/^\\d+$/.test(document.querySelector('[data-test=live-height] strong')?.textContent ?? '')",
        );
        return page.evaluate<number>('performance.now()');
    };
    const cold: number[] = [];
    const warm: number[] = [];
    try {
        for (let round = 0; round < ROUNDS; round++) {
            const context = await browser.newContext();
            const page = await context.newPage();
            cold.push(await ready(page));
            warm.push(await ready(page));
            await context.close();
        }
    } finally {
        await browser.close();
    }
    return { cold, warm };
}

async function main(): Promise<void> {
    if (!existsSync(path.join(DIST, 'index.html'))) {
        throw new Error('web/dist has no build: npm run build makes it');
    }
    const size = await bundle();
    const rows: Row[] = [
        {
            measure: 'initial JS (gzip)',
            value: kb(size.initialJs),
            ratio: `${((size.initialJs / 1024 / AIM_JS_KB) * 100).toFixed(0)}% of the aim`,
            aim: `≤ ${AIM_JS_KB} KB ${size.initialJs / 1024 <= AIM_JS_KB ? 'met' : 'MISSED'}`,
        },
        { measure: 'initial CSS (gzip)', value: kb(size.initialCss) },
        {
            measure: `all JS, ${size.chunks} chunks (gzip)`,
            value: kb(size.allJs),
            ratio: `initial = ${((size.initialJs / size.allJs) * 100).toFixed(0)}% of all`,
        },
    ];
    if (!existsSync(CHROMIUM)) {
        process.stdout.write(formatTable(rows));
        process.stdout.write(`home-ready time not measured: ${CHROMIUM} is missing (apt-get install chromium)\n`);
        return;
    }
    const dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-bench-web-'));
    const backend = await openBackend({ dataDir, topology: 'zhelian', viaServer: false });
    try {
        const chaincode = path.join(ROOT, 'chaincode');
        await backend.lifecycle!.deploy({
            packageDir: chaincode,
            name: 'zhelian',
            collections: path.join(chaincode, 'collections_config.json'),
        });
        const gateway = await startGateway(backend, { port: 0, logger: pino({ level: 'silent' }), webRoot: DIST });
        try {
            await gateway.chaincodeReady;
            const { cold, warm } = await homeReady(`${gateway.url}/`);
            const [coldMs, warmMs] = [median(cold), median(warm)];
            rows.push(
                {
                    measure: `home ready, cold (median of ${ROUNDS})`,
                    value: `${coldMs.toFixed(0)} ms`,
                    p99: `${Math.max(...cold).toFixed(0)} ms max`,
                    aim: `< ${AIM_READY_MS} ms ${coldMs < AIM_READY_MS ? 'met' : 'MISSED'}`,
                },
                {
                    measure: `home ready, warm (median of ${ROUNDS})`,
                    value: `${warmMs.toFixed(0)} ms`,
                    p99: `${Math.max(...warm).toFixed(0)} ms max`,
                    ratio: `${(coldMs / warmMs).toFixed(1)}× faster than cold`,
                },
            );
        } finally {
            await gateway.close();
        }
    } finally {
        await backend.close();
        await rm(dataDir, { recursive: true, force: true });
    }
    process.stdout.write(
        `浙链 web UI — bundle from web/dist, home page in ${CHROMIUM} over loopback (fresh embedded ledger)\n\n`,
    );
    process.stdout.write(formatTable(rows));
}

main().catch((err: unknown) => {
    process.stderr.write(`bench:web: ${(err as Error).message}\n`);
    process.exitCode = 1;
});
