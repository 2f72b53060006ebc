import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
    type Contract,
    type Gateway,
    type LedgerBackend,
    openBackend,
    type Status,
    type Transaction,
} from '@zhelian/api';
import { deployForSuite } from './namespace';

/** The conformance suite's chaincode: one transaction per Fabric behaviour (tests/conformance/fixture). */
export const FIXTURE_DIR = path.join(__dirname, '..', 'conformance', 'fixture');

/** All four organizations of the zhelian topology, and a majority of them. */
export const ORGS = ['RegulatorMSP', 'CourtMSP', 'PlatformMSP', 'MemberMSP'];
export const MAJORITY = ['RegulatorMSP', 'PlatformMSP', 'MemberMSP'];

/**
 * The configured backend (`ZHELIAN_NETWORK`) with the fixture chaincode deployed for one suite, on
 * the zhelian topology: on the embedded ledger a new ledger, on Fabric a namespace of its own.
 */
export interface ConformanceNetwork {
    backend: LedgerBackend;
    chaincode: string;
    channel: string;
    /** The fixture contract acting as a topology user, e.g. `MemberMSP:zheyi`. */
    contract(who: string): Contract;
    gateway(who: string): Gateway;
    /** Endorses on the named organizations' peers, submits, and returns the commit status (valid or not). */
    commitWith(who: string, fn: string, args: string[], endorsingOrganizations?: string[]): Promise<Status>;
    close(): Promise<void>;
}

export async function openConformanceNetwork(): Promise<ConformanceNetwork> {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-conformance-'));
    const backend = await openBackend({ dataDir, topology: 'zhelian', wallet: path.join(dataDir, 'wallet') });
    const { name: chaincode } = await deployForSuite(backend, {
        packageDir: FIXTURE_DIR,
        name: 'conformance',
        collections: path.join(FIXTURE_DIR, 'collections_config.json'),
    });
    const { channel } = backend.describe();
    const gateways = new Map<string, Gateway>();
    const gateway = (who: string): Gateway => {
        const found = gateways.get(who);
        if (!found) {
            throw new Error(`no user ${who}; the topology has ${[...gateways.keys()].join(', ')}`);
        }
        return found;
    };
    for (const identity of await backend.identities()) {
        gateways.set(`${identity.mspId}:${identity.name}`, await backend.connect(identity));
    }
    const contract = (who: string) => gateway(who).getNetwork(channel).getContract(chaincode);
    return {
        backend,
        chaincode,
        channel,
        contract,
        gateway,
        async commitWith(who, fn, args, endorsingOrganizations) {
            const transaction: Transaction = await contract(who)
                .newProposal(fn, { arguments: args, endorsingOrganizations })
                .endorse();
            return (await transaction.submit()).getStatus();
        },
        async close() {
            gateways.forEach((g) => g.close());
            await backend.close();
            await rm(dataDir, { recursive: true, force: true });
        },
    };
}

export const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
