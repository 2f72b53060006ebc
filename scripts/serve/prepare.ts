import path from 'node:path';
import type { Contract, Gateway, LedgerBackend, ProposalOptions } from '@zhelian/api';
import type { RunningGateway } from '@zhelian/gateway';
import { seedAll } from '../demo';

export const CHAINCODE_DIR = path.join(__dirname, '..', '..', '..', 'chaincode');

/** Where the preparation reports what it does, for people. */
export type Say = (text: string) => void;

/**
 * Deploys this checkout's zhelian chaincode package: the first time, or as sequence + 1 when the
 * package changed since (deploying the package already in force changes nothing).
 */
async function ensureChaincode(backend: LedgerBackend, say: Say): Promise<void> {
    const deployed = backend.describe().chaincodes.find((chaincode) => chaincode.name === 'zhelian');
    if (!backend.lifecycle) {
        if (!deployed) {
            throw new Error(
                `chaincode zhelian is not deployed on the ${backend.kind} network, and it cannot deploy it`,
            );
        }
        return;
    }
    const definition = await backend.lifecycle.deploy({
        packageDir: CHAINCODE_DIR,
        name: 'zhelian',
        collections: path.join(CHAINCODE_DIR, 'collections_config.json'),
    });
    if (definition.sequence !== deployed?.sequence) {
        say(
            `deployed chaincode zhelian (sequence ${definition.sequence}, package ${definition.packageId}, ${definition.collections.length} private data collections)`,
        );
    }
}

/**
 * A contract whose submissions the gateway tracks (a shutdown waits for them, and refuses new
 * ones) and counts, for the demo seed's progress.
 */
function trackedContract(contract: Contract, gateway: RunningGateway, committed: (name: string) => void): Contract {
    const track = async (name: string, work: () => Promise<Uint8Array>): Promise<Uint8Array> => {
        const result = await gateway.track(work);
        committed(name);
        return result;
    };
    return {
        getChaincodeName: () => contract.getChaincodeName(),
        getContractName: () => contract.getContractName(),
        evaluateTransaction: (name, ...args) => gateway.track(() => contract.evaluateTransaction(name, ...args)),
        evaluate: (name, options?: ProposalOptions) => gateway.track(() => contract.evaluate(name, options)),
        submitTransaction: (name, ...args) => track(name, () => contract.submitTransaction(name, ...args)),
        submit: (name, options?: ProposalOptions) => track(name, () => contract.submit(name, options)),
        submitAsync: (name, options) =>
            gateway.track(async () => {
                const submitted = await contract.submitAsync(name, options);
                await submitted.getStatus();
                committed(name);
                return submitted;
            }),
        newProposal: (name, options) => contract.newProposal(name, options),
    };
}

/**
 * Seeds the five demo scenarios on a fresh ledger, in the background of a running server, with
 * progress in `/api/health` (task `demo`) and on the console.
 */
async function seedDemo(backend: LedgerBackend, gateway: RunningGateway, say: Say): Promise<void> {
    const gateways = new Map<string, Gateway>();
    let done = 0;
    const started = Date.now();
    const report = (state: 'running' | 'done' | 'failed' | 'interrupted', detail: string, error?: string): void =>
        gateway.status.setTask('demo', { state, detail, done, ...(error ? { error } : {}) });
    const seen = new Set<string>();
    const channel = backend.describe().channel;
    try {
        for (const identity of await backend.identities()) {
            gateways.set(`${identity.mspId}:${identity.name}`, await backend.connect(identity));
        }
        report('running', 'starting');
        say(
            'demo: seeding 浙一 receipts, 天猫 draw, 普洱 cake, 滨江 time bank, 杭州互联网法院 evidence in the background',
        );
        say(
            'demo: the 天猫 draw closes at the next whole minute of transaction time, so seeding takes up to about a minute',
        );
        await seedAll((who) => (contractName) => {
            const connected = gateways.get(who);
            if (!connected) {
                throw new Error(`the network has no user ${who}`);
            }
            const contract = connected.getNetwork(channel).getContract('zhelian', contractName);
            return trackedContract(contract, gateway, (name) => {
                done++;
                report('running', `${contractName}:${name}`);
                if (!seen.has(contractName)) {
                    seen.add(contractName);
                    say(`demo: ${contractName} …`);
                }
            });
        });
        report('done', `${done} transactions in ${Math.round((Date.now() - started) / 1000)} s`);
        say(`demo: seeded, ${done} transactions in ${Math.round((Date.now() - started) / 1000)} s`);
    } catch (err) {
        if (gateway.closing) {
            report('interrupted', 'the server stopped while seeding; the data dir holds part of the demo');
            return;
        }
        report('failed', 'seeding failed', (err as Error).message);
        say(`demo: seeding failed: ${(err as Error).message}`);
    } finally {
        gateways.forEach((connected) => connected.close());
    }
}

/**
 * What `npm start` does after it listens: deploy the chaincode (its routes appear then), and on a
 * fresh ledger seed the demo. Never throws: failures are reported.
 */
export async function prepareLab(backend: LedgerBackend, gateway: RunningGateway, say: Say): Promise<void> {
    try {
        await ensureChaincode(backend, say);
        await gateway.reloadChaincode();
    } catch (err) {
        if (!gateway.closing) {
            gateway.status.setTask('deploy', {
                state: 'failed',
                detail: 'deploying zhelian',
                done: 0,
                error: (err as Error).message,
            });
            say(`deploying the zhelian chaincode failed: ${(err as Error).message}`);
        }
        return;
    }
    if (gateway.closing) {
        return;
    }
    if ((await backend.explorer.getHeight()) === 0) {
        await seedDemo(backend, gateway, say);
    } else {
        gateway.status.setTask('demo', {
            state: 'done',
            detail: 'the ledger already holds blocks: not seeded again',
            done: 0,
        });
    }
}
