/**
 * `npm start`: the server. Opens the network (the embedded ledger in `.zhelian/` unless
 * `ZHELIAN_NETWORK` says otherwise), serves the gateway on http://127.0.0.1:8080, then — in the
 * background — deploys the zhelian chaincode and seeds the demo on a fresh ledger. Ctrl-C (SIGINT)
 * or SIGTERM stops accepting, lets transactions in flight commit, and closes the data dir.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ErrorCode, notSupported, openBackend, ZhelianError } from '@zhelian/api';
import { readServerFile, startGateway } from '@zhelian/gateway';
import { banner } from './serve/banner';
import { fabricPeersLines } from './serve/fabric-peers';
import { serveOptions, USAGE } from './serve/options';
import { prepareLab } from './serve/prepare';
import { firstRunLines } from './workshop/first-run';

const say = (text: string): void => {
    process.stdout.write(`${text}\n`);
};

async function main(): Promise<void> {
    const options = serveOptions(process.argv.slice(2));
    if (!options) {
        process.stdout.write(USAGE);
        return;
    }
    let backend;
    try {
        backend = await openBackend({ dataDir: options.dataDir, viaServer: false });
    } catch (err) {
        if (err instanceof ZhelianError && err.code === ErrorCode.DATA_DIR_LOCKED) {
            const running = await readServerFile(options.dataDir);
            throw new Error(
                running
                    ? `a Zhelian server (pid ${running.pid}) already serves ${options.dataDir} at ${running.url}`
                    : err.message,
            );
        }
        throw err;
    }
    let gateway;
    try {
        gateway = await startGateway(backend, {
            host: options.host,
            port: options.port,
            ...(options.tokens ? { requireTokens: true } : {}),
            stateDir: options.dataDir,
            chaincodePending: true,
            ...(options.logToStdout ? {} : { logFile: path.join(options.dataDir, 'logs', 'gateway.log') }),
        });
    } catch (err) {
        await backend.close();
        throw err;
    }
    say(banner(backend.describe(), gateway, await backend.identities(), Math.round(performance.now())));
    say(firstRunLines(gateway.url, gateway.requireTokens ? gateway.instructorToken : undefined));
    if (options.fabric) {
        if (!backend.fabricProtocols) {
            throw notSupported("serving Fabric's protocols", backend.kind);
        }
        const endpoints = await backend.fabricProtocols.serve();
        const exported = await backend.fabricProtocols.exportOrganizations(path.join(options.dataDir, 'organizations'));
        say(fabricPeersLines(endpoints, exported));
    }

    const prepared = prepareLab(backend, gateway, say);
    let stopping = false;
    const stop = async (signal: string): Promise<void> => {
        if (stopping) {
            say(`${signal} again: exiting at once`);
            process.exit(130);
        }
        stopping = true;
        say(`${signal}: stopping — no new requests; transactions in flight finish first`);
        try {
            try {
                await gateway.close();
            } finally {
                await backend.close();
            }
        } catch (err) {
            process.stderr.write(`zhelian start: stopping failed: ${(err as Error).message}\n`);
            process.exit(1);
        }
        say('stopped; the data dir is closed');
        // A demo seed waiting for the draw's cutoff holds a timer: nothing is left to do.
        process.exit(0);
    };
    // The demo seeds run side by side (the draw waits for its cutoff while the others go on): when
    // the server stops under them, one may fail before anything awaits it. That is the stop, not a crash.
    process.on('unhandledRejection', (reason) => {
        if (gateway.closing) {
            return;
        }
        process.stderr.write(`zhelian start: ${reason instanceof Error ? reason.message : String(reason)}\n`);
        process.exit(1);
    });
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
    await prepared;
}

main().catch((err: unknown) => {
    process.stderr.write(`zhelian start: ${(err as Error).message}\n`);
    process.exit(1);
});
