import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Contract } from '../../network/embedded/src/gateway/api';
import { EmbeddedLedger } from '../../network/embedded/src/embedded-ledger';

/** The zhelian chaincode package, deployed as is (its built `dist/`). */
export const CHAINCODE_DIR = path.join(__dirname, '..', '..', 'chaincode');

/**
 * A network for scenario tests: the zhelian chaincode deployed with its collections on the
 * four-organization topology, and contract handles acting as the demo users.
 */
export interface ScenarioNetwork {
    /** A contract handle acting as a demo user, e.g. contract('MemberMSP:zheyi', 'einvoice'). */
    contract(who: string, contractName: string): Contract;
    /** The ledger underneath, for checks on blocks and transactions. */
    ledger: EmbeddedLedger;
    close(): Promise<void>;
}

/** A fresh embedded ledger in a temporary data dir. */
export async function openScenarioNetwork(): Promise<ScenarioNetwork> {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-scenario-'));
    const ledger = await EmbeddedLedger.open({ dataDir, topology: 'zhelian' });
    await ledger.deploy({
        packageDir: CHAINCODE_DIR,
        name: 'zhelian',
        collections: path.join(CHAINCODE_DIR, 'collections_config.json'),
    });
    return {
        ledger,
        contract(who, contractName) {
            const [mspId, name] = who.split(':');
            return ledger
                .connect(ledger.identity(mspId, name))
                .getNetwork(ledger.channel)
                .getContract('zhelian', contractName);
        },
        async close() {
            await ledger.close();
            await rm(dataDir, { recursive: true, force: true });
        },
    };
}
