import { Command, CommanderError, Option } from 'commander';
import type { BackendConfig, BackendKind, DeployRequest, LedgerBackend } from '@zhelian/api';
import {
    parseBlockNumber,
    parseIdentity,
    parseOrganizations,
    parsePortAssignment,
    parsePositive,
    parseTransient,
} from './arguments';
import * as commands from './commands';
import type { CommandContext, ExitStatus } from './commands';
import * as fabricProtocols from './fabric-protocol-commands';
import * as lifecycle from './lifecycle-commands';
import * as maintenance from './maintenance-commands';
import { formatJson } from './output';

/** What the CLI runs against: how to open a network, and where its output goes. */
export interface CliEnvironment {
    openBackend(config: BackendConfig): Promise<LedgerBackend>;
    stdout(text: string): void;
    stderr(text: string): void;
    /** Calls `listener` on Ctrl-C, for streams (`--follow`) to end cleanly; returns a function that stops listening. */
    onInterrupt?(listener: () => void): () => void;
}

interface GlobalOptions {
    network?: BackendKind;
    data?: string;
    topology?: string;
    stateDatabase?: 'leveldb' | 'couchdb';
}

const NETWORKS: readonly BackendKind[] = ['embedded', 'fabric', 'remote'];

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
        .addOption(
            new Option(
                '--state-database <kind>',
                "embedded: a new data dir's state database, over the topology's (couchdb: rich queries)",
            ).choices(['leveldb', 'couchdb']),
        )
        .configureOutput({ writeOut: environment.stdout, writeErr: environment.stderr })
        .showHelpAfterError('(run with --help for usage)')
        .exitOverride();

    /**
     * Opens the network the global options name, runs a verb on it, and closes it. Only verbs that
     * set up a ledger (`setsUp`) may create one: any other refuses a data dir that holds none.
     */
    const onNetwork =
        <A extends unknown[]>(
            verb: (context: CommandContext, ...args: A) => Promise<ExitStatus>,
            { setsUp = false }: { setsUp?: boolean } = {},
        ) =>
        async (...args: A): Promise<void> => {
            const { network, data, topology, stateDatabase } = program.opts<GlobalOptions>();
            const backend = await environment.openBackend({
                ...(network ? { network } : {}),
                ...(data ? { dataDir: data } : {}),
                ...(topology ? { topology } : {}),
                ...(stateDatabase ? { stateDatabase } : {}),
                create: setsUp,
            });
            try {
                status = await verb(
                    {
                        backend,
                        print: (value) => environment.stdout(formatJson(value)),
                        printLine: (value) => environment.stdout(formatJson(value, 0)),
                        onInterrupt: (stop) => environment.onInterrupt?.(stop) ?? (() => undefined),
                    },
                    ...args,
                );
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
        .option('--version <version>', 'definition version (default: package.json version)')
        .option(
            '--policy <expr>',
            "endorsement policy, e.g. \"OR('Org1MSP.peer','Org2MSP.peer')\" (default: MAJORITY Endorsement)",
        )
        .action(
            onNetwork(
                (context, packageDir: string, options: Omit<DeployRequest, 'packageDir'>) =>
                    commands.deploy(context, { packageDir, ...options }),
                { setsUp: true },
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
        .option('--endorsing-orgs <MSP,...>', "endorse on these organizations' peers", parseOrganizations)
        .action(onNetwork(commands.invoke));

    program
        .command('query')
        .description('evaluate a transaction on one peer without ordering it')
        .argument('<name>', 'chaincode name')
        .argument('<fn>', 'transaction function, e.g. einvoice:verifyReceipt')
        .argument('[args...]', 'arguments')
        .option('--as <MSP:user>', 'identity to act as (default: the first client user)', parseIdentity)
        .option('--transient <json>', 'transient data as a JSON object', parseTransient)
        .option(
            '--endorsing-orgs <MSP,...>',
            'evaluate on the peer of the first of these organizations',
            parseOrganizations,
        )
        .action(onNetwork(commands.query));

    program
        .command('blocks')
        .description('list blocks: number, hashes, transactions and validation codes')
        .option('--from <n>', 'first block', parseBlockNumber, 0)
        .option('--follow', 'then print each new block as one JSON line as it commits, until Ctrl-C')
        .option('--limit <n>', 'stop after this many blocks', parsePositive)
        .action(onNetwork(commands.blocks));

    program
        .command('events')
        .description("a chaincode's events (of valid transactions), one JSON line each, replayed from a block")
        .argument('<name>', 'chaincode name')
        .option('--from <n>', 'first block', parseBlockNumber, 0)
        .option('--follow', 'then print each new event as it commits, until Ctrl-C')
        .option('--limit <n>', 'stop after this many events', parsePositive)
        .action(onNetwork(commands.events));

    addLifecycle(program, onNetwork);

    program
        .command('tx')
        .description('show one transaction: creator, input, endorsers, read-write set, verdict')
        .argument('<txId>')
        .action(onNetwork(commands.tx));

    program
        .command('verify')
        .description(
            'recompute every block hash and replay the blocks against the world state; exit status 2 when anything does not match',
        )
        .action(onNetwork(maintenance.verify));

    program
        .command('rebuild')
        .description(
            "re-derive world state, private data hashes, history and indexes from the blocks (Fabric's peer node rebuild-dbs)",
        )
        .action(onNetwork(maintenance.rebuild));

    program
        .command('tamper')
        .description(
            'for the lesson on tamper detection: change one stored byte of a block (a digit of a value it writes), ' +
                'or put it back; without options, show the tampering not yet undone',
        )
        .option('--block <n>', 'the block to change a byte of', parseBlockNumber)
        .option('--undo', 'put the changed byte back, clear the damage verification found, and verify again')
        .action(onNetwork(maintenance.tamper));

    program
        .command('status')
        .description(
            'what the network is made of: kind, location, channel, state database, organizations and their peers, orderers, chaincodes, height',
        )
        .action(onNetwork(commands.status));

    program
        .command('identities')
        .description('list the users of every organization with their attributes')
        .action(onNetwork(commands.identities));

    program
        .command('serve')
        .description(
            "embedded: serve each organization's peer over gRPC+TLS (Fabric's Gateway and Deliver) for fabric-gateway applications, until Ctrl-C",
        )
        .option('--bind <address>', 'address to listen on (default: 127.0.0.1)')
        .option('--port <MSP=port>', "a peer's port, repeatable (default: the topology's)", parsePortAssignment)
        .option('--export <dir>', "also write the organizations' crypto material there (as export does)")
        .action(onNetwork(fabricProtocols.serve));

    program
        .command('export')
        .description(
            "embedded: write the organizations' certificates and users' keys in cryptogen's layout (<dir>/peerOrganizations/…) and a connection profile each",
        )
        .argument('<dir>', 'directory to write, e.g. organizations')
        .action(onNetwork(fabricProtocols.exportOrganizations));

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

type OnNetwork = <A extends unknown[]>(
    verb: (context: CommandContext, ...args: A) => Promise<ExitStatus>,
    options?: { setsUp?: boolean },
) => (...args: A) => Promise<void>;

/** The definition flags of `approveformyorg`, `checkcommitreadiness` and `commit`. */
function definitionFlags(command: Command): Command {
    return command
        .requiredOption('--name <name>', 'chaincode name')
        .requiredOption('--sequence <n>', 'definition sequence: the committed one + 1 (1 at first)', parsePositive)
        .option('--version <version>', 'definition version (default: 1.0)')
        .option('--policy <expr>', "endorsement policy (default: the channel's, MAJORITY Endorsement)")
        .option('--collections <file>', 'private data collections config (Fabric JSON)');
}

/** `zhelian lifecycle …`: Fabric's `peer lifecycle chaincode …`, one step at a time. */
function addLifecycle(program: Command, onNetwork: OnNetwork): void {
    const group = program
        .command('lifecycle')
        .description("Fabric's chaincode lifecycle step by step: package, install, approve, commit (deploy does all)");
    const org = () => new Option('--org <MSP>', 'the organization acting (as its admin)').makeOptionMandatory();

    group
        .command('package')
        .description('write a chaincode install package (.tar.gz) and print its package id')
        .argument('<file>', 'package file to write')
        .requiredOption('--path <dir>', 'chaincode package directory (package.json main exports contracts)')
        .requiredOption('--label <label>', 'package label, e.g. basic_1.0')
        .action(onNetwork(lifecycle.packageChaincode, { setsUp: true }));

    group
        .command('install')
        .description("install a package file on an organization's peer")
        .argument('<file>', 'package file')
        .addOption(org())
        .action(onNetwork(lifecycle.install, { setsUp: true }));

    group
        .command('queryinstalled')
        .description("packages installed on an organization's peer")
        .addOption(org())
        .action(onNetwork(lifecycle.queryInstalled));

    definitionFlags(
        group
            .command('approveformyorg')
            .alias('approve')
            .description('approve a chaincode definition for one organization, with the package its peer runs'),
    )
        .addOption(org())
        .option('--package-id <id>', 'installed package its peer runs (label:hash)')
        .action(onNetwork(lifecycle.approve));

    definitionFlags(
        group
            .command('checkcommitreadiness')
            .description('which organizations approved this definition, and whether it can be committed'),
    ).action(onNetwork(lifecycle.checkCommitReadiness));

    definitionFlags(
        group
            .command('commit')
            .description("commit a definition that the channel's LifecycleEndorsement policy approves"),
    ).action(onNetwork(lifecycle.commit));

    group
        .command('querycommitted')
        .description('committed chaincode definitions with their approvals')
        .option('--name <name>', 'only this chaincode')
        .action(onNetwork(lifecycle.queryCommitted));
}
