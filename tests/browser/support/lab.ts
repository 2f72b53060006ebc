import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import type { LedgerBackend } from '@zhelian/api';
import { expect } from 'vitest';
import type { GatewayOptions, RunningGateway } from '@zhelian/gateway';
import { type ApiServer, startApiServer } from './api-server';

/** Debian's Chromium (`apt-get install chromium`); Playwright's own browser downloads cannot work here. */
export const CHROMIUM = process.env.ZHELIAN_CHROMIUM ?? '/usr/bin/chromium';

/** Where the screenshots go, one folder per language, for a person to look at (git-ignored). */
export const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');

export const WEB_DIST = path.join(__dirname, '..', '..', '..', 'web', 'dist');

/**
 * Whether this machine can run the browser tests: CI installs Chromium (`.ci/run`), so there a
 * missing browser is a failure, not a skip.
 */
export function browserAvailable(): boolean {
    if (existsSync(CHROMIUM)) {
        return true;
    }
    if (process.env.CI) {
        throw new Error(`${CHROMIUM} is missing: .ci/run installs it with apt-get install -y chromium`);
    }
    process.stdout.write(
        `browser tests skipped: ${CHROMIUM} is missing (apt-get update && apt-get install -y chromium)\n`,
    );
    return false;
}

const FLAGS = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
];

/** What went wrong in a page: console errors, uncaught exceptions, failed requests, 5xx answers. */
export interface PageProblems {
    problems: string[];
    /** 4xx answers the UI showed on purpose (refusals): counted apart, allowed. */
    refusals: string[];
}

/**
 * A gateway over a fresh embedded ledger with the zhelian chaincode deployed, serving the built
 * web UI, and one Chromium with a fresh profile.
 */
export class Lab {
    /** The pages `open` made, each watched for problems. */
    readonly #watched: ReturnType<typeof watch>[] = [];

    private constructor(
        readonly server: ApiServer,
        readonly browser: Browser,
    ) {}

    static async start(options: GatewayOptions = {}): Promise<Lab> {
        if (!existsSync(path.join(WEB_DIST, 'index.html'))) {
            throw new Error(`${WEB_DIST} has no build: run npm run build (it builds the web UI too)`);
        }
        const server = await startApiServer({ webRoot: WEB_DIST, ...options });
        try {
            const browser = await chromium.launch({
                executablePath: CHROMIUM,
                // A launch (not a persistent context) runs on a fresh --user-data-dir Playwright makes and removes.
                args: FLAGS,
                timeout: 60_000,
            });
            return new Lab(server, browser);
        } catch (err) {
            await server.close();
            throw err;
        }
    }

    get backend(): LedgerBackend {
        return this.server.backend;
    }

    get gateway(): RunningGateway {
        return this.server.gateway;
    }

    get url(): string {
        return this.gateway.url;
    }

    /** A browser context in a language; `phone` for a phone-sized screen. */
    async context(locale: 'zh-CN' | 'en' = 'zh-CN', options: BrowserContextOptions = {}): Promise<BrowserContext> {
        const context = await this.browser.newContext({ viewport: { width: 1366, height: 900 }, ...options });
        // The language a first visit starts in; the page's own switch wins after that.
        await context.addInitScript({
            content: `localStorage.getItem('zhelian.session') || localStorage.setItem('zhelian.session', '${JSON.stringify({ locale })}')`,
        });
        return context;
    }

    /** A new page, in a new context of `locale`, watched for problems (`problems()`), at `route` of the gateway. */
    async open(locale: 'zh-CN' | 'en', route: string): Promise<Page> {
        const page = await (await this.context(locale)).newPage();
        this.#watched.push(watch(page));
        await page.goto(`${this.url}${route}`);
        return page;
    }

    /** What went wrong in the pages `open` made: console errors, uncaught exceptions, failed requests, 5xx answers. */
    problems(): string[] {
        return this.#watched.flatMap((found) => found.problems);
    }

    /** Stops the gateway (for the gateway-down page) without closing the browser. */
    async stopGateway(): Promise<void> {
        await this.gateway.close();
    }

    async close(): Promise<void> {
        // Their event streams end with the browser: that is not a problem of the pages.
        this.#watched.forEach((found) => found.stop());
        await this.browser.close().catch(() => undefined);
        await this.server.close();
    }
}

/** Watches a page for anything that went wrong; `stop()` before closing it (its streams end then). */
export function watch(page: Page): PageProblems & { stop(): void } {
    const found: PageProblems = { problems: [], refusals: [] };
    let watching = true;
    page.on('console', (message) => {
        if (!watching || message.type() !== 'error') {
            return;
        }
        // Chromium logs every 4xx answer as an error; the refusals a page shows on purpose are
        // counted from the responses below, and a 4xx nothing asked for still fails there.
        if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) {
            return;
        }
        found.problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => watching && found.problems.push(`exception: ${error.message}`));
    page.on('requestfailed', (request) => {
        // A page that navigates away cancels what it was still reading (its block stream, a GET in
        // flight): that is the browser's doing, not a failure. A cancelled submission would be one.
        const cancelled = request.failure()?.errorText === 'net::ERR_ABORTED' && request.method() === 'GET';
        if (watching && !cancelled) {
            found.problems.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`);
        }
    });
    page.on('response', (response) => {
        if (!watching) {
            return;
        }
        if (response.status() >= 500) {
            found.problems.push(`${response.status()} ${response.url()}`);
        } else if (response.status() >= 400) {
            found.refusals.push(`${response.status()} ${response.url()}`);
        }
    });
    return {
        ...found,
        get problems() {
            return found.problems;
        },
        get refusals() {
            return found.refusals;
        },
        stop() {
            watching = false;
        },
    };
}

/** Saves a screenshot as `screenshots/<locale>/<name>.png`. */
export async function screenshot(page: Page, locale: string, name: string, fullPage = true): Promise<string> {
    const dir = path.join(SCREENSHOTS, locale);
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `${name}.png`);
    await page.screenshot({ path: file, fullPage });
    return file;
}

/** `expect.poll` with room for a busy two-core machine (30 s unless told). */
export function poll<T>(read: () => T | Promise<T>, options: { timeout?: number } = {}) {
    return expect.poll(read, { timeout: 30_000, ...options });
}
