import { Command, CommanderError, Option } from 'commander';
import { DEFAULT_FABRIC_VERSION, FABRIC_RELEASES, fabricBinaries } from './binaries';
import { deploy, type DeployOptions } from './deploy';
import { dockerDown, dockerUp } from './docker';
import { down } from './down';
import { NativeNetworkError } from './errors';
import { runFabricTests } from './fabric-tests';
import { REPO_ROOT, type RunDir, runDir } from './paths';
import { consoleProgress, type Progress } from './progress';
import { status } from './status';
import { up, type UpOptions } from './up';

/**
 * `npm run network:<verb>`: Zhelian's Fabric network of native binaries on 127.0.0.1.
 *
 *     npm run network:install              # Fabric's binaries: PATH, FABRIC_BIN, the cache, or built from source
 *     npm run network:up [-- --bft]        # orderer(s), four peers, channel zhelian, the zhelian chaincode
 *     npm run network:up -- --docker [--couchdb]   # the same in Docker; CouchDB as the state database
 *     npm run network:status
 *     npm run network:deploy -- <dir>      # another chaincode package, as a service
 *     npm run network:down [-- --wipe]
 *     npm run test:fabric                  # the conformance and scenario suites on the network
 */
export async function main(argv: string[]): Promise<number> {
    const run = runDir();
    const progress = consoleProgress();
    const program = new Command('network')
        .description(`Zhelian's Fabric network of native binaries on 127.0.0.1 (run dir ${run.root})`)
        .exitOverride();
    program
        .command('install')
        .description("find or build Fabric's binaries (peer, orderer, configtxgen, cryptogen, osnadmin)")
        .addOption(versionOption())
        .action(async (options: { fabricVersion: string }) => {
            const binaries = await fabricBinaries({ version: options.fabricVersion, repoRoot: REPO_ROOT, progress });
            process.stdout.write(`${binaries.dir}\n`);
        });
    withNetworkOptions(program.command('up'))
        .description('start the network (or resume the one kept in the run dir) and deploy the zhelian chaincode')
        .option('--docker', 'run the same network in Docker (network/docker)')
        .option(
            '--couchdb',
            "with --docker: a new network's peers keep their state in CouchDB, one container each (rich queries)",
        )
        .action(async (options: NetworkOptions & { docker?: boolean; couchdb?: boolean }) => {
            if (options.couchdb && !options.docker) {
                throw new NativeNetworkError(
                    'The native network runs LevelDB only (no CouchDB on this machine): CouchDB needs --docker --couchdb',
                );
            }
            const upOptions = {
                ...upOptionsOf(run, progress, options),
                ...(options.couchdb ? { stateDatabase: 'couchdb' as const } : {}),
            };
            await (options.docker ? dockerUp(upOptions) : up(upOptions));
            progress.step(`Up in ${progress.elapsed().toFixed(1)} s. Connection description: ${run.connectionFile}`);
            progress.step('Use it with ZHELIAN_NETWORK=fabric (e.g. `ZHELIAN_NETWORK=fabric npx zhelian identities`)');
        });
    program
        .command('down')
        .description('stop the processes up started; keep the ledgers unless --wipe')
        .option('--wipe', 'also remove the run dir: ledgers, certificates, wallet')
        .option('--docker', 'stop the Docker network (network/docker)')
        .action(async (options: { wipe?: boolean; docker?: boolean }) => {
            const wipe = options.wipe ?? false;
            await (options.docker ? dockerDown(run, progress, { wipe }) : down(run, progress, { wipe }));
        });
    program
        .command('status')
        .description('what runs, and what the channel holds')
        .action(async () => {
            const report = await status(run);
            process.stdout.write(`${report.lines.join('\n')}\n`);
            process.exitCode = report.running ? 0 : 3;
        });
    program
        .command('deploy')
        .description('deploy a chaincode package directory as a service (default: the zhelian chaincode)')
        .argument('[packageDir]', 'a Fabric Node chaincode package directory', 'chaincode')
        .option('--name <name>', 'chaincode name (default: package.json name)')
        .option('--label <label>', 'install package label for a new chaincode server (default: the name)')
        .option('--version <version>', 'definition version (default: package.json version)')
        .option('--policy <policy>', 'endorsement policy (default: MAJORITY Endorsement)')
        .option('--collections <file>', 'collections_config.json')
        .option(
            '--per-org',
            'one chaincode server per organization, each approving its own package (getMspID answers per organization)',
        )
        .action(async (packageDir: string, options: Omit<DeployOptions, 'packageDir'>) => {
            const deployed = await deploy(run, progress, { packageDir, ...options });
            process.stdout.write(`${JSON.stringify(deployed, null, 2)}\n`);
        });
    withNetworkOptions(program.command('test'))
        .description('run the conformance and scenario suites on the network (up and down around them when none runs)')
        .argument('[vitestArgs...]', 'test files or vitest options instead of tests/conformance tests/scenarios')
        .option('--wipe', 'remove the network afterwards when this command started it')
        .action(async (vitestArgs: string[], options: NetworkOptions & { wipe?: boolean }) => {
            process.exitCode = await runFabricTests({
                ...upOptionsOf(run, progress, options),
                wipe: options.wipe ?? false,
                vitestArgs,
            });
        });
    try {
        await program.parseAsync(argv, { from: 'user' });
        return Number(process.exitCode ?? 0);
    } catch (err) {
        if (err instanceof CommanderError) {
            return err.exitCode;
        }
        process.stderr.write(`network: ${err instanceof Error ? err.message : String(err)}\n`);
        return 1;
    }
}

/** What a command that may start a network takes: the release, ports, block cutting, ordering. */
interface NetworkOptions {
    fabricVersion: string;
    portBase: string;
    batchTimeout: string;
    bft?: boolean;
}

function versionOption(): Option {
    return new Option('--fabric-version <version>', 'Fabric release to run')
        .choices(Object.keys(FABRIC_RELEASES))
        .env('ZHELIAN_FABRIC_VERSION')
        .default(DEFAULT_FABRIC_VERSION);
}

function withNetworkOptions(command: Command): Command {
    return command
        .addOption(versionOption())
        .addOption(
            new Option('--port-base <port>', 'first port of the network')
                .env('ZHELIAN_FABRIC_PORT_BASE')
                .default('7050'),
        )
        .addOption(
            new Option('--batch-timeout <duration>', "a new channel's block cutting timeout")
                .env('ZHELIAN_FABRIC_BATCH_TIMEOUT')
                .default('250ms'),
        )
        .option('--bft', 'a new network orders with BFT, one orderer per organization (default: one Raft orderer)');
}

function upOptionsOf(run: RunDir, progress: Progress, options: NetworkOptions): UpOptions {
    return {
        run,
        progress,
        fabricVersion: options.fabricVersion,
        portBase: Number(options.portBase),
        batchTimeout: options.batchTimeout,
        ordering: options.bft ? 'BFT' : undefined,
    };
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (err: unknown) => {
            process.stderr.write(`${String(err)}\n`);
            process.exit(1);
        },
    );
}
