import { Command, CommanderError, Option } from 'commander';
import type { BackendConfig, BackendKind, DeployRequest, LedgerBackend } from '@zhelian/api';
import { parseBlockNumber, parseIdentity, parseTransient } from './arguments';
import * as commands from './commands';
import type { CommandContext, ExitStatus } from './commands';
import { formatJson } from './output';

/** What the CLI runs against: how to open a network, and where its output goes. */
export interface CliEnvironment {
    openBackend(config: BackendConfig): Promise<LedgerBackend>;
    stdout(text: string): void;
    stderr(text: string): void;
}

interface GlobalOptions {
    network?: BackendKind;
    data?: string;
    topology?: string;
}

const NETWORKS: readonly BackendKind[] = ['embedded', 'fabric'];

/**
 * Runs one `zhelian` command line (the arguments after the program name) and returns its exit
 * status. Errors become one line on stderr and status 1, never a stack trace.
 *
 * ```ts
 * process.exitCode = await runCli(['--data', '.lab', 'blocks'], { openBackend, stdout, stderr });
 * ```
 */
export async function runCli(args: readonly string[], environment: CliEnvironment): Promise<number> {
    let status: ExitStatus = 0;
    const program = new Command('zhelian')
        .description(
            'Zhelian (浙链): deploy, invoke, query and explore Fabric chaincode on the embedded ledger or a Fabric network',
        )
        .addOption(
            new Option('--network <kind>', 'which network runs the ledger (default: embedded)')
                .choices(NETWORKS)
                .env('ZHELIAN_NETWORK'),
        )
        .addOption(new Option('--data <dir>', 'embedded: data directory').env('ZHELIAN_DATA').default('.zhelian'))
        .addOption(
            new Option(
                '--topology <nameOrFile>',
                "embedded: zhelian, test-network or a JSON file (default: the data dir's, else zhelian)",
            ),
        )
        .configureOutput({ writeOut: environment.stdout, writeErr: environment.stderr })
        .showHelpAfterError('(run with --help for usage)')
        .exitOverride();

    /** Opens the network the global options name, runs a verb on it, and closes it. */
    const onNetwork =
        <A extends unknown[]>(verb: (context: CommandContext, ...args: A) => Promise<ExitStatus>) =>
        async (...args: A): Promise<void> => {
            const { network, data, topology } = program.opts<GlobalOptions>();
            const backend = await environment.openBackend({
                ...(network ? { network } : {}),
                ...(data ? { dataDir: data } : {}),
                ...(topology ? { topology } : {}),
            });
            try {
                status = await verb({ backend, print: (value) => environment.stdout(formatJson(value)) }, ...args);
            } finally {
                await backend.close();
            }
        };

    program
        .command('deploy')
        .description('deploy (or upgrade) a Fabric Node chaincode package directory')
        .argument('<chaincodeDir>', 'package directory whose package.json main exports contracts')
        .option('--name <name>', 'chaincode name (default: package.json name)')
        .option('--collections <file>', 'private data collections config (Fabric JSON)')
        .option(
            '--policy <expr>',
            "endorsement policy, e.g. \"OR('Org1MSP.peer','Org2MSP.peer')\" (default: MAJORITY Endorsement)",
        )
        .action(
            onNetwork((context, packageDir: string, options: Omit<DeployRequest, 'packageDir'>) =>
                commands.deploy(context, { packageDir, ...options }),
            ),
        );

    program
        .command('invoke')
        .description('submit a transaction and wait for its block; fn may be contract:function')
        .argument('<name>', 'chaincode name')
        .argument('<fn>', 'transaction function, e.g. einvoice:issueReceipt')
        .argument('[args...]', 'arguments')
        .option('--as <MSP:user>', 'identity to act as (default: the first client user)', parseIdentity)
        .option('--transient <json>', 'transient data as a JSON object', parseTransient)
        .action(onNetwork(commands.invoke));

    program
        .command('query')
        .description('evaluate a transaction on one peer without ordering it')
        .argument('<name>', 'chaincode name')
        .argument('<fn>', 'transaction function, e.g. einvoice:verifyReceipt')
        .argument('[args...]', 'arguments')
        .option('--as <MSP:user>', 'identity to act as (default: the first client user)', parseIdentity)
        .action(onNetwork(commands.query));

    program
        .command('blocks')
        .description('list blocks: number, hashes, transactions and validation codes')
        .option('--from <n>', 'first block', parseBlockNumber, 0)
        .action(onNetwork(commands.blocks));

    program
        .command('tx')
        .description('show one transaction: creator, input, endorsers, read-write set, verdict')
        .argument('<txId>')
        .action(onNetwork(commands.tx));

    program
        .command('verify')
        .description('recompute every block hash; exit status 2 when the chain was tampered with')
        .action(onNetwork(commands.verify));

    program
        .command('identities')
        .description('list the users of every organization with their attributes')
        .action(onNetwork(commands.identities));

    try {
        await program.parseAsync(args, { from: 'user' });
        return status;
    } catch (err) {
        if (err instanceof CommanderError) {
            return err.exitCode;
        }
        environment.stderr(`zhelian: ${err instanceof Error ? err.message : String(err)}\n`);
        return 1;
    }
}
