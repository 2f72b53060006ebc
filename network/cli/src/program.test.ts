import type { BackendConfig, ChainVerification, Explorer, LedgerBackend } from '@zhelian/api';
import { describe, expect, it } from 'vitest';
import { runCli } from './program';

// The CLI in-process, over a backend that offers only what every backend must: what a verb
// does when a capability (lifecycle, chain verification) is missing, and what it passes on.

interface Outcome {
    status: number;
    stdout: string;
    stderr: string;
    configs: BackendConfig[];
    closed: number;
}

function minimalBackend(explorer: Partial<Explorer> = {}): LedgerBackend {
    return {
        kind: 'fabric',
        describe: () => ({
            kind: 'fabric',
            location: 'connection.json',
            channel: 'zhelian',
            organizations: [],
            orderers: [],
            chaincodes: [],
        }),
        identities: async () => [{ mspId: 'MemberMSP', name: 'zheyi', role: 'client', attrs: { role: 'hospital' } }],
        enroll: () => Promise.reject(new Error('not used')),
        connect: () => Promise.reject(new Error('not used')),
        explorer: {
            getHeight: async () => 0,
            getBlock: async () => undefined,
            getTransaction: async () => undefined,
            getKeyHistory: async () => [],
            getBlocks: () => Promise.reject(new Error('not used')),
            ...explorer,
        },
        close: async () => undefined,
    };
}

async function zhelian(backend: LedgerBackend, ...args: string[]): Promise<Outcome> {
    const outcome: Outcome = { status: -1, stdout: '', stderr: '', configs: [], closed: 0 };
    const close = backend.close.bind(backend);
    backend.close = async () => {
        outcome.closed++;
        await close();
    };
    const env = process.env.ZHELIAN_NETWORK;
    delete process.env.ZHELIAN_NETWORK;
    try {
        outcome.status = await runCli(args, {
            openBackend: async (config) => {
                outcome.configs.push(config);
                return backend;
            },
            stdout: (text) => (outcome.stdout += text),
            stderr: (text) => (outcome.stderr += text),
        });
    } finally {
        if (env !== undefined) {
            process.env.ZHELIAN_NETWORK = env;
        }
    }
    return outcome;
}

describe('zhelian over a backend without optional capabilities', () => {
    it('refuses deploy in one line when the backend has no lifecycle, and closes the backend', async () => {
        const refused = await zhelian(minimalBackend(), 'deploy', 'chaincode');
        expect(refused.status).toBe(1);
        expect(refused.stdout).toBe('');
        expect(refused.stderr).toBe('zhelian: The fabric network does not support deploy\n');
        expect(refused.closed).toBe(1);
    });

    it('refuses verify in one line when the backend cannot verify the chain', async () => {
        const refused = await zhelian(minimalBackend(), 'verify');
        expect(refused.status).toBe(1);
        expect(refused.stdout).toBe('');
        expect(refused.stderr).toBe('zhelian: The fabric network does not support chain verification\n');
    });

    it('still lists identities', async () => {
        const listed = await zhelian(minimalBackend(), 'identities');
        expect(listed.status).toBe(0);
        expect(JSON.parse(listed.stdout)).toEqual([
            { id: 'MemberMSP:zheyi', role: 'client', attrs: { role: 'hospital' } },
        ]);
    });

    it('exits with status 2 and prints the problems when the chain was tampered with', async () => {
        const tampered: ChainVerification = {
            ok: false,
            height: 3,
            problems: [{ blockNumber: 1, reason: 'data hash does not match the transactions' }],
        };
        const verified = await zhelian(minimalBackend({ verifyChain: async () => tampered }), 'verify');
        expect(verified.status).toBe(2);
        expect(JSON.parse(verified.stdout)).toEqual(tampered);
        expect(verified.stderr).toBe('');
    });

    it('passes --network, --data and --topology to openBackend', async () => {
        const run = await zhelian(
            minimalBackend(),
            '--network',
            'fabric',
            '--data',
            '.lab',
            '--topology',
            'test-network',
            'identities',
        );
        expect(run.status).toBe(0);
        expect(run.configs).toEqual([{ network: 'fabric', dataDir: '.lab', topology: 'test-network', create: false }]);
    });

    it('lets only the verbs that set up a ledger create one', async () => {
        const backend = minimalBackend();
        const setsUp = await zhelian(
            backend,
            '--data',
            '.lab',
            'lifecycle',
            'install',
            'basic.tar.gz',
            '--org',
            'Org1MSP',
        );
        const reads = await zhelian(backend, '--data', '.lab', 'blocks');
        expect(setsUp.configs).toEqual([{ dataDir: '.lab', create: true }]);
        expect(reads.configs).toEqual([{ dataDir: '.lab', create: false }]);
    });
});
