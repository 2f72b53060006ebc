#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Identity } from './msp';
import { CommitError, GatewayError } from './gateway/errors';
import { validationCodeName } from './ledger/codes';
import { EmbeddedLedger } from './embedded-ledger';
import type { EmbeddedLedgerOptions } from './embedded-ledger';

/** Errors the CLI reports as one line and exit status 1 (never a stack trace). */
class CliError extends Error {}

interface GlobalOptions {
    data?: string;
    topology?: string;
}

const program = new Command('zhelian')
    .description(
        'Zhelian (浙链) embedded Fabric ledger: deploy and run unmodified Fabric Node chaincode without Docker',
    )
    .addOption(new Option('--data <dir>', 'data directory').env('ZHELIAN_DATA').default('.zhelian'))
    .addOption(
        new Option(
            '--topology <nameOrFile>',
            "topology: zhelian, test-network or a JSON file (default: the data dir's, else zhelian)",
        ),
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

function ledgerOptions(): EmbeddedLedgerOptions {
    const { data, topology } = program.opts<GlobalOptions>();
    return { dataDir: data, ...(topology ? { topology } : {}) };
}

async function withLedger<T>(work: (ledger: EmbeddedLedger) => Promise<T>): Promise<T> {
    const ledger = await EmbeddedLedger.open(ledgerOptions());
    try {
        return await work(ledger);
    } finally {
        await ledger.close();
    }
}

function parseAs(value: string): { mspId: string; name: string } {
    const match = /^([^:]+):(.+)$/.exec(value);
    if (!match) {
        throw new InvalidArgumentError('expected MSP:user, e.g. MemberMSP:zheyi');
    }
    return { mspId: match[1], name: match[2] };
}

function parseTransient(value: string): Record<string, string> {
    let parsed: unknown;
    try {
        parsed = JSON.parse(value);
    } catch {
        throw new InvalidArgumentError('expected a JSON object of strings, e.g. {"patient":"{\\"name\\":\\"张三\\"}"}');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new InvalidArgumentError('expected a JSON object');
    }
    return Object.fromEntries(
        Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    );
}

function chooseIdentity(ledger: EmbeddedLedger, as?: { mspId: string; name: string }): Identity {
    if (as) {
        return ledger.identity(as.mspId, as.name);
    }
    const first = ledger.identities().find((identity) => identity.role === 'client');
    if (!first) {
        throw new CliError('the topology has no client user; pass --as MSP:user');
    }
    return first;
}

/** Chaincode results are usually JSON; show them decoded when they are. */
function decodeResult(bytes: Uint8Array): unknown {
    const text = Buffer.from(bytes).toString('utf8');
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/** Bytes (e.g. rwset values) as text when they are printable UTF-8, else as `{ base64 }`; never as `{"0":118,…}`. */
function displayBytes(bytes: Uint8Array): string | { base64: string } {
    try {
        const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        // eslint-disable-next-line no-control-regex -- control characters mark binary values such as a VALIDATION_PARAMETER protobuf
        if (!/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text)) {
            return text;
        }
    } catch {
        // not UTF-8: fall through to base64
    }
    return { base64: Buffer.from(bytes).toString('base64') };
}

function print(value: unknown): void {
    const replacer = (_k: string, v: unknown): unknown =>
        typeof v === 'bigint' ? Number(v) : v instanceof Uint8Array ? displayBytes(v) : v;
    process.stdout.write(JSON.stringify(value, replacer, 2) + '\n');
}

function splitFunction(fn: string): { contract?: string; name: string } {
    const index = fn.indexOf(':');
    return index < 0 ? { name: fn } : { contract: fn.slice(0, index), name: fn.slice(index + 1) };
}

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
    .action(async (dir: string, options: { name?: string; collections?: string; policy?: string }) => {
        await withLedger(async (ledger) => {
            const definition = await ledger.deploy({ packageDir: dir, ...options });
            print({
                name: definition.name,
                sequence: definition.sequence,
                policy: definition.policy,
                collections: definition.collections.map((c) => c.name),
                packageDir: definition.packageDir,
            });
        });
    });

program
    .command('invoke')
    .description('submit a transaction and wait for its block; fn may be contract:function')
    .argument('<name>', 'chaincode name')
    .argument('<fn>', 'transaction function, e.g. einvoice:issueReceipt')
    .argument('[args...]', 'arguments')
    .option('--as <MSP:user>', 'identity to act as', parseAs)
    .option('--transient <json>', 'transient data as a JSON object', parseTransient)
    .action(
        async (
            name: string,
            fn: string,
            args: string[],
            options: { as?: { mspId: string; name: string }; transient?: Record<string, string> },
        ) => {
            await withLedger(async (ledger) => {
                const { contract, name: fnName } = splitFunction(fn);
                const gateway = ledger.connect(chooseIdentity(ledger, options.as));
                const submitted = await gateway
                    .getNetwork(ledger.channel)
                    .getContract(name, contract)
                    .submitAsync(fnName, {
                        arguments: args,
                        ...(options.transient ? { transientData: options.transient } : {}),
                    });
                const status = await submitted.getStatus();
                const report = {
                    txId: status.transactionId,
                    blockNumber: Number(status.blockNumber),
                    validationCode: status.code,
                    validationCodeName: validationCodeName(status.code),
                    result: decodeResult(submitted.getResult()),
                };
                print(report);
                if (!status.successful) {
                    throw new CommitError(
                        status.transactionId,
                        status.code,
                        validationCodeName(status.code),
                        status.blockNumber,
                    );
                }
            });
        },
    );

program
    .command('query')
    .description('evaluate a transaction on one peer without ordering it')
    .argument('<name>', 'chaincode name')
    .argument('<fn>', 'transaction function, e.g. einvoice:verifyReceipt')
    .argument('[args...]', 'arguments')
    .option('--as <MSP:user>', 'identity to act as', parseAs)
    .action(async (name: string, fn: string, args: string[], options: { as?: { mspId: string; name: string } }) => {
        await withLedger(async (ledger) => {
            const { contract, name: fnName } = splitFunction(fn);
            const gateway = ledger.connect(chooseIdentity(ledger, options.as));
            print(
                decodeResult(
                    await gateway
                        .getNetwork(ledger.channel)
                        .getContract(name, contract)
                        .evaluate(fnName, { arguments: args }),
                ),
            );
        });
    });

program
    .command('blocks')
    .description('list blocks: number, hashes, transactions and validation codes')
    .option('--from <n>', 'first block', (v) => Number.parseInt(v, 10), 0)
    .action(async (options: { from: number }) => {
        await withLedger(async (ledger) => {
            const rows = [];
            for (let n = options.from; n < ledger.height; n++) {
                const block = await ledger.getBlock(n);
                const txs = await ledger.getBlockTransactions(n);
                rows.push({
                    number: n,
                    previousHash: block?.header.previousHash,
                    dataHash: block?.header.dataHash,
                    transactions: txs.map((tx) => ({
                        txId: tx.txId,
                        chaincode: tx.chaincodeName,
                        fn: tx.args[0],
                        code: tx.validationCodeName,
                    })),
                });
            }
            print({ height: ledger.height, blocks: rows });
        });
    });

program
    .command('tx')
    .description('show one transaction: creator, input, endorsers, read-write set, verdict')
    .argument('<txId>')
    .action(async (txId: string) => {
        await withLedger(async (ledger) => {
            const tx = await ledger.getTransaction(txId);
            if (!tx) {
                throw new CliError(`transaction ${txId} is not on the ledger`);
            }
            print(tx);
        });
    });

program
    .command('verify')
    .description('recompute every block hash; exit status 2 when the chain was tampered with')
    .action(async () => {
        await withLedger(async (ledger) => {
            const result = await ledger.verifyChain();
            print(result);
            if (!result.ok) {
                process.exitCode = 2;
            }
        });
    });

program
    .command('identities')
    .description('list the users of every organization with their attributes')
    .action(async () => {
        await withLedger(async (ledger) => {
            print(
                ledger.identities().map((identity) => ({
                    id: `${identity.mspId}:${identity.name}`,
                    role: identity.role,
                    attrs: identity.attrs,
                })),
            );
        });
    });

async function main(): Promise<void> {
    try {
        await program.parseAsync(process.argv);
    } catch (err) {
        if (err instanceof CommanderError) {
            process.exitCode = err.exitCode;
            return;
        }
        const message =
            err instanceof GatewayError || err instanceof CommitError || err instanceof Error
                ? err.message
                : String(err);
        process.stderr.write(`zhelian: ${message}\n`);
        process.exitCode = 1;
    }
}

void main();
