import { commitError, notSupported, validationCodeName } from '@zhelian/api';
import type {
    BlockInfo,
    CloseableAsyncIterable,
    Contract,
    DeployRequest,
    Gateway,
    IdentityRef,
    LedgerBackend,
} from '@zhelian/api';
import { splitTransactionName } from './arguments';
import { decodeResult } from './output';

/**
 * A refusal the CLI itself makes (nothing to show, no such transaction): reported like the
 * network's errors, as one line and exit status 1.
 */
export class CliError extends Error {
    override name = 'CliError';
}

/** What a verb works with: an open network, and where its answer goes. */
export interface CommandContext {
    backend: LedgerBackend;
    print(value: unknown): void;
    /** Prints one value as one line of JSON: what a stream (`--follow`) prints as items arrive. */
    printLine(value: unknown): void;
    /** Calls `stop` on Ctrl-C (SIGINT); returns a function that stops listening. */
    onInterrupt(stop: () => void): () => void;
}

/** A verb's exit status: 0, or 2 for a chain that fails verification. */
export type ExitStatus = number;

export interface InvokeOptions {
    as?: IdentityRef;
    transient?: Record<string, string>;
    /** Endorse (or, for a query, evaluate) on these organizations' peers instead of the planned ones. */
    endorsingOrgs?: string[];
}

/** `--transient` and `--endorsing-orgs` as fabric-gateway's proposal options. */
function proposalOptions(args: string[], options: InvokeOptions) {
    return {
        arguments: args,
        ...(options.transient ? { transientData: options.transient } : {}),
        ...(options.endorsingOrgs ? { endorsingOrganizations: options.endorsingOrgs } : {}),
    };
}

/** Acts as `as`, else as the network's first client identity. */
async function connect(backend: LedgerBackend, as: IdentityRef | undefined): Promise<Gateway> {
    const identity = as ?? (await backend.identities()).find((candidate) => candidate.role === 'client');
    if (!identity) {
        throw new CliError('the network has no client identity; pass --as MSP:user');
    }
    return backend.connect({ mspId: identity.mspId, name: identity.name });
}

async function withContract<T>(
    { backend }: CommandContext,
    chaincode: string,
    fn: string,
    as: IdentityRef | undefined,
    work: (contract: Contract, name: string) => Promise<T>,
): Promise<T> {
    const { contract, name } = splitTransactionName(fn);
    const gateway = await connect(backend, as);
    try {
        return await work(gateway.getNetwork(backend.describe().channel).getContract(chaincode, contract), name);
    } finally {
        gateway.close();
    }
}

export async function deploy(context: CommandContext, request: DeployRequest): Promise<ExitStatus> {
    const { backend } = context;
    if (!backend.lifecycle) {
        throw notSupported('deploy', backend.kind);
    }
    const deployed = await backend.lifecycle.deploy(request);
    context.print({
        name: deployed.name,
        sequence: deployed.sequence,
        version: deployed.version,
        packageId: deployed.packageId,
        policy: deployed.policy,
        collections: deployed.collections,
    });
    return 0;
}

/** Submits and waits for the block; prints the verdict, then fails when the transaction is invalid. */
export async function invoke(
    context: CommandContext,
    chaincode: string,
    fn: string,
    args: string[],
    options: InvokeOptions,
): Promise<ExitStatus> {
    return withContract(context, chaincode, fn, options.as, async (contract, name) => {
        const submitted = await contract.submitAsync(name, proposalOptions(args, options));
        const status = await submitted.getStatus();
        context.print({
            txId: status.transactionId,
            blockNumber: Number(status.blockNumber),
            validationCode: status.code,
            validationCodeName: validationCodeName(status.code),
            result: decodeResult(submitted.getResult()),
        });
        if (!status.successful) {
            throw commitError(status);
        }
        return 0;
    });
}

/** Evaluates on one peer; nothing is ordered. */
export async function query(
    context: CommandContext,
    chaincode: string,
    fn: string,
    args: string[],
    options: InvokeOptions,
): Promise<ExitStatus> {
    return withContract(context, chaincode, fn, options.as, async (contract, name) => {
        context.print(decodeResult(await contract.evaluate(name, proposalOptions(args, options))));
        return 0;
    });
}

export interface StreamOptions {
    from: number;
    /** After what is committed, go on with each new block until Ctrl-C (or `limit`). */
    follow?: boolean;
    /** Stop after this many items (blocks, or events). */
    limit?: number;
}

function blockRow(block: BlockInfo) {
    return {
        number: block.number,
        previousHash: block.previousHash,
        dataHash: block.dataHash,
        transactions: block.transactions.map((tx) => ({
            txId: tx.txId,
            chaincode: tx.chaincodeName,
            fn: tx.args[0],
            code: tx.validationCodeName,
        })),
    };
}

/** Refuses a start block beyond the chain when there is nothing to wait for. */
function checkFrom(options: StreamOptions, height: number): void {
    if (!options.follow && options.from > height) {
        throw new CliError(
            `block ${options.from} is not on the ledger: its height is ${height} (add --follow to wait for it)`,
        );
    }
}

/**
 * Committed blocks from `from` through the current height, each as one JSON line, then — with
 * `follow` — each new block as it commits, until Ctrl-C or `limit` items were printed.
 */
async function streamBlocks(
    context: CommandContext,
    options: StreamOptions,
    lines: (block: BlockInfo) => unknown[],
): Promise<void> {
    const { explorer } = context.backend;
    const height = await explorer.getHeight();
    checkFrom(options, height);
    if (!options.follow && options.from >= height) {
        return;
    }
    const blocks: CloseableAsyncIterable<BlockInfo> = await explorer.getBlocks({ startBlock: options.from });
    const stopListening = context.onInterrupt(() => blocks.close());
    let printed = 0;
    try {
        for await (const block of blocks) {
            for (const line of lines(block)) {
                context.printLine(line);
                if (++printed === options.limit) {
                    return;
                }
            }
            if (!options.follow && block.number >= height - 1) {
                return;
            }
        }
    } finally {
        stopListening();
        blocks.close();
    }
}

export async function blocks(context: CommandContext, options: StreamOptions): Promise<ExitStatus> {
    if (options.follow) {
        await streamBlocks(context, options, (block) => [blockRow(block)]);
        return 0;
    }
    const { explorer } = context.backend;
    const height = await explorer.getHeight();
    checkFrom(options, height);
    const end = options.limit === undefined ? height : Math.min(height, options.from + options.limit);
    const rows = [];
    for (let n = options.from; n < end; n++) {
        const block = await explorer.getBlock(n);
        if (!block) {
            throw new CliError(`block ${n} is not on the ledger`);
        }
        rows.push(blockRow(block));
    }
    context.print({ height, blocks: rows });
    return 0;
}

/**
 * A chaincode's events, one JSON line each: those of its valid transactions (as
 * `Network.getChaincodeEvents` delivers them), replayed from block `from`, then live with `follow`.
 */
export async function events(context: CommandContext, chaincode: string, options: StreamOptions): Promise<ExitStatus> {
    await streamBlocks(context, options, (block) =>
        block.transactions
            .filter((tx) => tx.validationCode === 0 && tx.event && tx.chaincodeName === chaincode)
            .map((tx) => ({
                blockNumber: tx.blockNumber,
                transactionId: tx.txId,
                chaincodeName: tx.chaincodeName,
                eventName: tx.event!.eventName,
                payload: tx.event!.payload,
            })),
    );
    return 0;
}

/** One transaction as the explorer describes it. */
export async function tx(context: CommandContext, txId: string): Promise<ExitStatus> {
    const transaction = await context.backend.explorer.getTransaction(txId);
    if (!transaction) {
        throw new CliError(`transaction ${txId} is not on the ledger`);
    }
    context.print(transaction);
    return 0;
}

/** The network as its backend describes it, with the chain's height. */
export async function status({ backend, print }: CommandContext): Promise<ExitStatus> {
    const { kind, location, channel, stateDatabase, organizations, orderers, chaincodes } = backend.describe();
    print({
        kind,
        location,
        channel,
        stateDatabase: stateDatabase ?? null,
        height: await backend.explorer.getHeight(),
        organizations,
        orderers,
        chaincodes,
    });
    return 0;
}

export async function identities(context: CommandContext): Promise<ExitStatus> {
    context.print(
        (await context.backend.identities()).map((identity) => ({
            id: `${identity.mspId}:${identity.name}`,
            role: identity.role,
            attrs: identity.attrs,
        })),
    );
    return 0;
}
