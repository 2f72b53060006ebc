import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { type Contract, type Gateway, type LedgerBackend, openBackend } from '@zhelian/api';
import { deployForSuite } from './namespace';

declare module 'vitest' {
    export interface ProvidedContext {
        /**
         * The embedded ledger's state database for scenario suites: vitest.config.ts's `couchdb`
         * project runs the five applications' suites again with `couchdb`; unset, the topology's.
         */
        stateDatabase?: 'leveldb' | 'couchdb';
    }
}

/** The zhelian chaincode package, deployed as is (its built `dist/`). */
export const CHAINCODE_DIR = path.join(__dirname, '..', '..', 'chaincode');

/**
 * A network for scenario tests: the zhelian chaincode deployed with its collections on the
 * four-organization topology, and contract handles acting as the demo users.
 */
export interface ScenarioNetwork {
    /** A contract handle acting as a demo user, e.g. contract('MemberMSP:zheyi', 'einvoice'). */
    contract(who: string, contractName: string): Contract;
    /** The network underneath, for checks on blocks and transactions through its explorer. */
    backend: LedgerBackend;
    /** The chaincode's name: `zhelian`, or the suite's own on a shared network (see deployForSuite). */
    chaincode: string;
    close(): Promise<void>;
}

/**
 * A fresh network (the configured backend, embedded by default) in a temporary data dir; on the
 * embedded ledger, with the state database the vitest project provides (see vitest.config.ts).
 */
export async function openScenarioNetwork(): Promise<ScenarioNetwork> {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-scenario-'));
    const stateDatabase = inject('stateDatabase');
    const backend = await openBackend({
        dataDir,
        topology: 'zhelian',
        wallet: path.join(dataDir, 'wallet'),
        ...(stateDatabase ? { stateDatabase } : {}),
    });
    const runsOn = backend.describe().stateDatabase;
    if (stateDatabase && runsOn !== stateDatabase) {
        await backend.close();
        throw new Error(
            `the scenario asks for a ${stateDatabase} state database; the ${backend.kind} network has ${runsOn}`,
        );
    }
    const { name: chaincode } = await deployForSuite(backend, {
        packageDir: CHAINCODE_DIR,
        name: 'zhelian',
        collections: path.join(CHAINCODE_DIR, 'collections_config.json'),
    });
    const { channel } = backend.describe();
    const gateways = new Map<string, Gateway>();
    for (const identity of await backend.identities()) {
        gateways.set(`${identity.mspId}:${identity.name}`, await backend.connect(identity));
    }
    return {
        backend,
        chaincode,
        contract(who, contractName) {
            const gateway = gateways.get(who);
            if (!gateway) {
                throw new Error(`no demo user ${who}; the topology has ${[...gateways.keys()].join(', ')}`);
            }
            return gateway.getNetwork(channel).getContract(chaincode, contractName);
        },
        async close() {
            gateways.forEach((gateway) => gateway.close());
            await backend.close();
            await rm(dataDir, { recursive: true, force: true });
        },
    };
}
