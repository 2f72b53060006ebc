/**
 * `npm start`: prepares the embedded network in the data dir (default `.zhelian/`) — deploys the
 * zhelian chaincode with its collections, seeds the five demo scenarios on a fresh ledger — then
 * walks one transaction from proposal to block and shows the ledger refusing a fraud.
 */
import path from 'node:path';
import { EmbeddedLedger, EndorseError } from '@zhelian/embedded';
import type { Contract, TransactionDetails } from '@zhelian/embedded';
import { seedAll } from './demo';

const CHAINCODE_DIR = path.join(__dirname, '..', '..', 'chaincode');

function line(text = ''): void {
    process.stdout.write(`${text}\n`);
}

function describeJourney(tx: TransactionDetails): void {
    line(`  proposal     ${tx.txId}`);
    line(
        `               ${tx.creator.mspId} calls ${tx.chaincodeName} ${tx.args[0]}(${tx.args.slice(1).join(', ').slice(0, 80)})`,
    );
    line(
        `  endorsement  executed and signed by ${tx.endorsers.join(', ')} — each peer ran the chaincode; results matched`,
    );
    const writes = tx.rwset.flatMap((ns) => ns.writes.map((w) => `${ns.namespace}/${w.key.replaceAll('\u0000', '·')}`));
    line(
        `  read-write   ${tx.rwset.reduce((n, ns) => n + ns.reads.length, 0)} reads, ${writes.length} writes${writes.length ? `: ${writes.slice(0, 3).join(', ')}${writes.length > 3 ? ', …' : ''}` : ''}`,
    );
    line(`  ordering     block ${tx.blockNumber}, position ${tx.txNum}`);
    line(`  validation   ${tx.validationCode} ${tx.validationCodeName}`);
}

async function main(): Promise<void> {
    const started = Date.now();
    const ledger = await EmbeddedLedger.open({ dataDir: process.env.ZHELIAN_DATA ?? '.zhelian' });
    try {
        line(`浙链 Zhelian — embedded ledger in ${ledger.dataDir}`);
        line(`channel ${ledger.channel}: ${ledger.topology.orgs.map((o) => `${o.mspId} (${o.name})`).join(', ')}`);

        const deployed = ledger.chaincodes().find((c) => c.name === 'zhelian');
        if (!deployed || deployed.packageDir !== CHAINCODE_DIR) {
            const definition = await ledger.deploy({
                packageDir: CHAINCODE_DIR,
                name: 'zhelian',
                collections: path.join(CHAINCODE_DIR, 'collections_config.json'),
            });
            line(
                `deployed chaincode zhelian (sequence ${definition.sequence}, policy ${definition.policy}, ${definition.collections.length} private data collections)`,
            );
        }
        const as =
            (who: string) =>
            (contractName: string): Contract => {
                const [mspId, name] = who.split(':');
                return ledger
                    .connect(ledger.identity(mspId, name))
                    .getNetwork(ledger.channel)
                    .getContract('zhelian', contractName);
            };
        if (ledger.height === 0) {
            line(
                'seeding the demo scenarios (浙一 receipts, 天猫 draw, 普洱 cake, 滨江 time bank, 杭州互联网法院 evidence)…',
            );
            line(
                'the 天猫 draw closes at the next whole minute of transaction time: the first start takes up to a minute',
            );
            await seedAll(as);
        }
        line(`ready in ${Date.now() - started} ms: ${ledger.height} blocks`);

        const last = (await ledger.getBlockTransactions(ledger.height - 1)).at(-1);
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
            line(`  refused at endorsement: ${reason.replace(/^chaincode response 500, /, '')}`);
        }

        const verification = await ledger.verifyChain();
        line('');
        line(
            `chain check: ${verification.ok ? `all ${verification.height} blocks verify` : `PROBLEMS ${JSON.stringify(verification.problems)}`}`,
        );
        line('');
        line('explore it: npx zhelian blocks | npx zhelian tx <txId> | npx zhelian identities | npx zhelian verify');
    } finally {
        await ledger.close();
    }
}

main().catch((err: unknown) => {
    process.stderr.write(`zhelian start: ${(err as Error).message}\n`);
    process.exitCode = 1;
});
