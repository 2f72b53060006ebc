/**
 * `npm start`: prepares the network (the embedded ledger in `.zhelian/` unless `ZHELIAN_NETWORK`
 * says otherwise) — deploys the zhelian chaincode with its collections, seeds the five demo
 * scenarios on a fresh ledger — then walks one transaction from proposal to block and shows the
 * ledger refusing a fraud.
 */
import path from 'node:path';
import {
    chaincodeErrorCode,
    type Contract,
    EndorseError,
    type Gateway,
    type LedgerBackend,
    openBackend,
    type TransactionInfo,
} from '@zhelian/api';
import { seedAll } from './demo';

const CHAINCODE_DIR = path.join(__dirname, '..', '..', 'chaincode');

function line(text = ''): void {
    process.stdout.write(`${text}\n`);
}

function describeJourney(tx: TransactionInfo): void {
    line(`  proposal     ${tx.txId}`);
    line(
        `               ${tx.creator.mspId} calls ${tx.chaincodeName} ${tx.args[0]}(${tx.args.slice(1).join(', ').slice(0, 80)})`,
    );
    line(
        `  endorsement  executed and signed by ${tx.endorsers.map((e) => e.mspId).join(', ')} — each peer ran the chaincode; results matched`,
    );
    const writes = tx.readWriteSets.flatMap((ns) =>
        ns.writes.map((w) => `${ns.namespace}/${w.key.replaceAll('\u0000', '·')}`),
    );
    const reads = tx.readWriteSets.reduce((n, ns) => n + ns.reads.length, 0);
    line(
        `  read-write   ${reads} reads, ${writes.length} writes${writes.length ? `: ${writes.slice(0, 3).join(', ')}${writes.length > 3 ? ', …' : ''}` : ''}`,
    );
    line(`  ordering     block ${tx.blockNumber}, position ${tx.txNumber}`);
    line(`  validation   ${tx.validationCode} ${tx.validationCodeName}`);
}

/**
 * Deploys this checkout's zhelian chaincode package: the first time, or as sequence + 1 when the
 * package changed since (deploying the package already in force changes nothing).
 */
async function ensureChaincode(backend: LedgerBackend): Promise<void> {
    const deployed = backend.describe().chaincodes.find((c) => c.name === 'zhelian');
    if (!backend.lifecycle) {
        if (deployed) {
            return;
        }
        throw new Error(`chaincode zhelian is not deployed on the ${backend.kind} network, and it cannot deploy it`);
    }
    const definition = await backend.lifecycle.deploy({
        packageDir: CHAINCODE_DIR,
        name: 'zhelian',
        collections: path.join(CHAINCODE_DIR, 'collections_config.json'),
    });
    if (definition.sequence !== deployed?.sequence) {
        line(
            `deployed chaincode zhelian (sequence ${definition.sequence}, package ${definition.packageId}, policy ${definition.policy}, ${definition.collections.length} private data collections)`,
        );
    }
}

async function main(): Promise<void> {
    const started = Date.now();
    const backend = await openBackend();
    try {
        const network = backend.describe();
        line(`浙链 Zhelian — ${network.kind} network in ${network.location}`);
        line(`channel ${network.channel}: ${network.organizations.map((o) => `${o.mspId} (${o.name})`).join(', ')}`);
        await ensureChaincode(backend);

        const gateways = new Map<string, Gateway>();
        for (const identity of await backend.identities()) {
            gateways.set(`${identity.mspId}:${identity.name}`, await backend.connect(identity));
        }
        const as =
            (who: string) =>
            (contractName: string): Contract => {
                const gateway = gateways.get(who);
                if (!gateway) {
                    throw new Error(`the network has no user ${who}`);
                }
                return gateway.getNetwork(network.channel).getContract('zhelian', contractName);
            };
        const { explorer } = backend;
        if ((await explorer.getHeight()) === 0) {
            line(
                'seeding the demo scenarios (浙一 receipts, 天猫 draw, 普洱 cake, 滨江 time bank, 杭州互联网法院 evidence)…',
            );
            line(
                'the 天猫 draw closes at the next whole minute of transaction time: the first start takes up to a minute',
            );
            await seedAll(as);
        }
        const height = await explorer.getHeight();
        line(`ready in ${Date.now() - started} ms: ${height} blocks`);

        const last = (await explorer.getBlock(height - 1))?.transactions.at(-1);
        if (last) {
            line('');
            line('the last transaction, from proposal to block:');
            describeJourney(last);
        }

        line('');
        line('医保局 tries to reimburse receipt 33010125-1 a second time:');
        try {
            await as('RegulatorMSP:medicare')('einvoice').submitTransaction('reimburseReceipt', '33010125', '1');
            line('  accepted — this should never happen');
            process.exitCode = 1;
        } catch (err) {
            const reason =
                err instanceof EndorseError ? (err.details[0]?.message ?? err.message) : (err as Error).message;
            line(
                `  refused at endorsement (${chaincodeErrorCode(err) ?? 'no chaincode code'}): ${reason.replace(/^chaincode response 500, /, '')}`,
            );
        }

        const verification = await explorer.verifyChain?.();
        line('');
        if (verification) {
            line(
                verification.ok
                    ? `chain check: all ${verification.height} blocks verify${verification.state ? ', and the world state matches them' : ''}`
                    : `chain check: PROBLEMS ${JSON.stringify([...verification.problems, ...(verification.state?.problems ?? [])])} ${verification.remedy ?? ''}`,
            );
        }
        line('');
        line('explore it: npx zhelian blocks | npx zhelian tx <txId> | npx zhelian identities | npx zhelian verify');
    } finally {
        await backend.close();
    }
}

main().catch((err: unknown) => {
    process.stderr.write(`zhelian start: ${(err as Error).message}\n`);
    process.exitCode = 1;
});
