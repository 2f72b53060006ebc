import { spawn } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTestInvocation, createTestIdentity, type TestIdentity } from '../../test/support/test-proposal';
import { chaincodeEnvironment } from './chaincode-runtime';
import type { ChaincodeResponse, ShimRequestHandler } from './handler';
import { startChaincode, type ChaincodeHost, type ChaincodePeer } from './host';
import { RunnerPool } from './runner-pool';

const SURROUNDINGS = path.resolve(__dirname, '../../test/fixtures/chaincode/surroundings');
/** The fabric-shim the fixture resolves, as a pool of this installation loads it. */
const SHIM = createRequire(path.join(SURROUNDINGS, 'package.json')).resolve('fabric-shim');
const ORG1: ChaincodePeer = { id: 'peer0.org1', mspId: 'Org1MSP' };
const ORG2: ChaincodePeer = { id: 'peer0.org2', mspId: 'Org2MSP' };

/** The fixture touches no state: a simulator that has none. */
const noState = {} as ShimRequestHandler;

describe('chaincode runners started ahead (a pool)', () => {
    let identity: TestIdentity;
    const opened: { close(): Promise<void> }[] = [];

    beforeAll(async () => {
        identity = await createTestIdentity('Org1MSP', 'alice');
    });

    afterEach(async () => {
        await Promise.all(opened.splice(0).map((resource) => resource.close()));
    });

    afterAll(async () => {
        await Promise.all(opened.map((resource) => resource.close()));
    });

    const pool = (options: { shimEntry?: string; idleMs?: number; size?: number } = {}): RunnerPool => {
        const started = RunnerPool.start({ shimEntry: SHIM, env: chaincodeEnvironment(), size: 2, ...options });
        opened.push(started);
        return started;
    };
    const start = async (runners: RunnerPool, env: Record<string, string> = {}): Promise<ChaincodeHost> => {
        const host = await startChaincode({
            name: 'surroundings',
            packageDir: SURROUNDINGS,
            peers: [ORG1, ORG2],
            env,
            runners,
            output: () => undefined,
        });
        opened.push(host);
        return host;
    };
    /** Waits until the pool has started all its runners (one after another). */
    const allStarted = (runners: RunnerPool): Promise<void> =>
        vi.waitFor(() => expect(runners.idle).toBe(2), { timeout: 20_000 });
    const call = async (host: ChaincodeHost, peer: ChaincodePeer, args: string[]): Promise<string> => {
        const invocation = buildTestInvocation({ identity, channelId: 'zhelian', chaincodeName: host.name, args });
        const response: ChaincodeResponse = await host.execute(peer, invocation, noState);
        expect(response.status).toBe(200);
        return Buffer.from(response.payload).toString();
    };

    it("gives each peer's instance a runner of its own that learns its chaincode and peer before the package loads", async () => {
        const runners = pool();
        const host = await start(runners);
        expect(runners.idle).toBe(1);
        await host.start(ORG2);
        expect(runners.idle).toBe(0);
        for (const peer of [ORG1, ORG2]) {
            expect(await call(host, peer, ['mspIdAtLoad'])).toBe(peer.mspId);
            expect(await call(host, peer, ['mspId'])).toBe(peer.mspId);
            expect(await call(host, peer, ['env', 'CORE_CHAINCODE_ID_NAME'])).toBe('surroundings');
            expect(await call(host, peer, ['env', 'CORE_CHAINCODE_LOGGING_LEVEL'])).toBe('WARNING');
        }
        await call(host, ORG1, ['setGlobal', 'set on org1']);
        expect(await call(host, ORG2, ['getGlobal'])).toBe('');
        // A peer beyond the pool starts its own runner.
        const org3 = { id: 'peer0.org3', mspId: 'Org3MSP' };
        expect(await call(host, org3, ['mspIdAtLoad'])).toBe('Org3MSP');
    });

    it('leaves its runners to instances of packages that resolve the same fabric-shim', async () => {
        const elsewhere = await mkdtemp(path.join(tmpdir(), 'zhelian-shim-'));
        opened.push({ close: () => rm(elsewhere, { recursive: true, force: true }) });
        // The same files under another path: to Node, another fabric-shim.
        await symlink(path.dirname(SHIM), path.join(elsewhere, 'fabric-shim'), 'junction');
        const runners = pool({ shimEntry: path.join(elsewhere, 'fabric-shim', path.basename(SHIM)) });
        await allStarted(runners);
        const host = await start(runners);
        expect(runners.idle).toBe(2);
        expect(await call(host, ORG1, ['mspIdAtLoad'])).toBe('Org1MSP');
    });

    it('leaves its runners to instances whose environment is what they started with', async () => {
        const runners = pool();
        await allStarted(runners);
        const host = await start(runners, { ZHELIAN_PROBE: 'set by the host' });
        expect(runners.idle).toBe(2);
        expect(await call(host, ORG1, ['env', 'ZHELIAN_PROBE'])).toBe('set by the host');
    });

    it("starts no more runners at once than the cores beside the opening ledger's own, the rest once it is open, and ends those no instance took once idle too long and when closed", async () => {
        const idle = pool({ idleMs: 1000 });
        expect(idle.idle).toBe(Math.min(2, Math.max(1, availableParallelism() - 1)));
        await vi.waitFor(() => expect(idle.idle).toBe(0), { timeout: 20_000 });
        const opened = pool({ size: 3 });
        opened.opened();
        expect(opened.idle).toBe(3);
        const closed = pool({ size: 1 });
        await closed.close();
        expect(closed.idle).toBe(0);
    });

    it('does not keep the process alive while its runners wait: a ledger left open with nothing running lets it end', async () => {
        const dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-pool-'));
        opened.push({ close: () => rm(dataDir, { recursive: true, force: true }) });
        const child = spawn(process.execPath, [path.resolve(__dirname, '../../test/fixtures/leave-open.js'), dataDir], {
            stdio: ['ignore', 'pipe', 'inherit'],
        });
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        // The pool ends runners nobody took after a minute: a process they kept alive would last that long.
        const exit = await new Promise<number | string>((resolve) => {
            const timer = setTimeout(() => {
                child.kill();
                resolve('still running after 30 s');
            }, 30_000);
            child.on('exit', (code) => {
                clearTimeout(timer);
                resolve(code ?? 'killed');
            });
        });
        expect(stdout).toBe('open\n');
        expect(exit).toBe(0);
    }, 40_000);
});
