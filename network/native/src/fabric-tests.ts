import { spawn } from 'node:child_process';
import path from 'node:path';
import { deploy } from './deploy';
import { down } from './down';
import { REPO_ROOT, type RunDir } from './paths';
import { listProcesses } from './processes';
import { type UpOptions, up } from './up';

/**
 * The suites that run on both backends (through `@zhelian/api` only, each in a namespace of its
 * own), the fabric-gateway application suite's native half, which reads the same connection
 * description, and the gateway's HTTP suite (through `openBackend`; its embedded-only tests skip).
 */
const FABRIC_SUITES = ['tests/conformance', 'tests/scenarios', 'tests/fabric-clients/native.test.ts', 'gateway/test'];
const FIXTURE = path.join(REPO_ROOT, 'tests', 'conformance', 'fixture');
/** The gateway suite's own chaincode (its generic route and its MVCC race), deployed under its name. */
const GATEWAY_FIXTURE = path.join(REPO_ROOT, 'gateway', 'test', 'fixtures', 'balances');

/**
 * `npm run test:fabric`: the conformance, scenario and gateway suites on the native Fabric network with
 * `ZHELIAN_NETWORK=fabric`. Brings the network up when none runs (and down again afterwards,
 * wiping it when `wipe`), serves the conformance and gateway fixture chaincodes, and runs the suites one file
 * at a time: they share one channel, and some compare its height before and after a refusal.
 */
export async function runFabricTests(options: UpOptions & { wipe: boolean; vitestArgs: string[] }): Promise<number> {
    const { run, progress } = options;
    const running = (await listProcesses(run)).some((p) => p.alive);
    try {
        if (!running) {
            await up(options);
        }
        await deploy(run, progress, {
            packageDir: FIXTURE,
            name: 'conformance',
            collections: path.join(FIXTURE, 'collections_config.json'),
            // Each organization runs its own, so that getMspID() answers per organization.
            perOrg: true,
        });
        await deploy(run, progress, { packageDir: GATEWAY_FIXTURE, name: 'balances' });
        const suites = options.vitestArgs.length > 0 ? options.vitestArgs : FABRIC_SUITES;
        progress.step(`Running ${suites.join(' ')} on Fabric (ZHELIAN_NETWORK=fabric)`);
        return await vitest(run, suites);
    } finally {
        if (!running) {
            await down(run, progress, { wipe: options.wipe });
        }
    }
}

/**
 * Runs vitest's `zhelian` project only: its `couchdb` project asks the embedded ledger for a CouchDB
 * state database, which this network's peers (LevelDB) do not have.
 */
function vitest(run: RunDir, args: string[]): Promise<number> {
    const bin = require.resolve('vitest/vitest.mjs', { paths: [REPO_ROOT] });
    const child = spawn(process.execPath, [bin, 'run', '--project', 'zhelian', '--no-file-parallelism', ...args], {
        cwd: REPO_ROOT,
        stdio: 'inherit',
        env: { ...process.env, ZHELIAN_NETWORK: 'fabric', ZHELIAN_FABRIC_CONNECTION: run.connectionFile },
    });
    return new Promise((resolve, reject) => {
        child.once('error', reject);
        child.once('close', (code) => resolve(code ?? 1));
    });
}
