import { Command, CommanderError, Option } from 'commander';
import { DEFAULT_FABRIC_VERSION, FABRIC_RELEASES, fabricBinaries } from './binaries';
import { deploy } from './deploy';
import { dockerDown, dockerUp } from './docker';
import { down } from './down';
import { NativeNetworkError } from './errors';
import { runFabricTests } from './fabric-tests';
import { REPO_ROOT, runDir } from './paths';
import { consoleProgress } from './progress';
import { status } from './status';
import { stopAll, up } from './up';

/**
 * `npm run network:<verb>`: Zhelian's Fabric network of native binaries on 127.0.0.1.
 *
 *     npm run network:install              # Fabric's binaries: PATH, FABRIC_BIN, the cache, or built from source
 *     npm run network:up                   # orderer, four peers, channel zhelian, the zhelian chaincode
 *     npm run network:status
 *     npm run network:deploy -- <dir>      # another chaincode package, as a service
 *     npm run network:down [-- --wipe]
 */
export async function main(argv: string[]): Promise<number> {
    const run = runDir();
    const progress = consoleProgress();
    const version = new Option('--fabric-version <version>', 'Fabric release to run')
        .choices(Object.keys(FABRIC_RELEASES))
        .env('ZHELIAN_FABRIC_VERSION')
        .default(DEFAULT_FABRIC_VERSION);
    const program = new Command('network')
        .description(`Zhelian's Fabric network of native binaries on 127.0.0.1 (run dir ${run.root})`)
        .exitOverride();
    program
        .command('install')
        .description("find or build Fabric's binaries (peer, orderer, configtxgen, cryptogen, osnadmin)")
        .addOption(version)
        .action(async (options: { fabricVersion: string }) => {
            const binaries = await fabricBinaries({ version: options.fabricVersion, repoRoot: REPO_ROOT, progress });
            process.stdout.write(`${binaries.dir}\n`);
        });
    program
        .command('up')
        .description('start the network (or resume the one kept in the run dir) and deploy the zhelian chaincode')
        .addOption(version)
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
        .option('--docker', 'run the same network in Docker (network/docker)')
        .option('--bft', 'a new network orders with BFT, one orderer per organization (default: one Raft orderer)')
        .action(
            async (options: {
                fabricVersion: string;
                portBase: string;
                batchTimeout: string;
                docker?: boolean;
                bft?: boolean;
            }) => {
                const upOptions = {
                    run,
                    progress,
                    fabricVersion: options.fabricVersion,
                    portBase: Number(options.portBase),
                    batchTimeout: options.batchTimeout,
                    ordering: options.bft ? ('BFT' as const) : ('etcdraft' as const),
                };
                try {
                    await (options.docker ? dockerUp(upOptions) : up(upOptions));
                } catch (err) {
                    progress.step('up failed: stopping what it started (ledgers are kept)');
                    await (options.docker ? dockerDown(run, progress, { wipe: false }) : stopAll(run)).catch(
                        () => undefined,
                    );
                    throw err;
                }
                progress.step(
                    `Up in ${progress.elapsed().toFixed(1)} s. Connection description: ${run.connectionFile}`,
                );
                progress.step(
                    'Use it with ZHELIAN_NETWORK=fabric (e.g. `ZHELIAN_NETWORK=fabric npx zhelian identities`)',
                );
            },
        );
    program
        .command('down')
        .description('stop the processes up started; keep the ledgers unless --wipe')
        .option('--wipe', 'also remove the run dir: ledgers, certificates, wallet')
        .option('--docker', 'stop the Docker network (network/docker)')
        .action(async (options: { wipe?: boolean; docker?: boolean }) => {
            if (options.docker) {
                await dockerDown(run, progress, { wipe: options.wipe ?? false });
                return;
            }
            await down(run, progress, { wipe: options.wipe ?? false });
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
        .action(
            async (
                packageDir: string,
                options: { name?: string; label?: string; version?: string; policy?: string; collections?: string },
            ) => {
                const deployed = await deploy(run, progress, { packageDir, ...options });
                process.stdout.write(`${JSON.stringify(deployed, null, 2)}\n`);
            },
        );
    program
        .command('test')
        .description('run the conformance and scenario suites on the network (up and down around them when none runs)')
        .argument('[vitestArgs...]', 'test files or vitest options instead of tests/conformance tests/scenarios')
        .addOption(version)
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
        .option('--wipe', 'remove the network afterwards when this command started it')
        .option('--bft', 'a network this command starts orders with BFT, one orderer per organization')
        .action(
            async (
                vitestArgs: string[],
                options: {
                    fabricVersion: string;
                    portBase: string;
                    batchTimeout: string;
                    wipe?: boolean;
                    bft?: boolean;
                },
            ) => {
                process.exitCode = await runFabricTests({
                    run,
                    progress,
                    fabricVersion: options.fabricVersion,
                    portBase: Number(options.portBase),
                    batchTimeout: options.batchTimeout,
                    wipe: options.wipe ?? false,
                    ordering: options.bft ? 'BFT' : 'etcdraft',
                    vitestArgs,
                });
            },
        );
    try {
        await program.parseAsync(argv, { from: 'user' });
        return Number(process.exitCode ?? 0);
    } catch (err) {
        if (err instanceof CommanderError) {
            return err.exitCode;
        }
        if (err instanceof NativeNetworkError || err instanceof Error) {
            process.stderr.write(`network: ${err.message}\n`);
            return 1;
        }
        throw err;
    }
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
