import { commitError, notSupported, validationCodeName } from '@zhelian/api';
import type { Contract, DeployRequest, Gateway, IdentityRef, LedgerBackend } from '@zhelian/api';
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
}

/** A verb's exit status: 0, or 2 for a chain that fails verification. */
export type ExitStatus = number;

export interface InvokeOptions {
    as?: IdentityRef;
    transient?: Record<string, string>;
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
        policy: deployed.policy,
        collections: deployed.collections,
        packageDir: deployed.packageDir,
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
        const submitted = await contract.submitAsync(name, {
            arguments: args,
            ...(options.transient ? { transientData: options.transient } : {}),
        });
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
    options: { as?: IdentityRef },
): Promise<ExitStatus> {
    return withContract(context, chaincode, fn, options.as, async (contract, name) => {
        context.print(decodeResult(await contract.evaluate(name, { arguments: args })));
        return 0;
    });
}

export async function blocks(context: CommandContext, options: { from: number }): Promise<ExitStatus> {
    const { explorer } = context.backend;
    const height = await explorer.getHeight();
    const rows = [];
    for (let n = options.from; n < height; n++) {
        const block = await explorer.getBlock(n);
        if (!block) {
            throw new CliError(`block ${n} is not on the ledger`);
        }
        rows.push({
            number: block.number,
            previousHash: block.previousHash,
            dataHash: block.dataHash,
            transactions: block.transactions.map((tx) => ({
                txId: tx.txId,
                chaincode: tx.chaincodeName,
                fn: tx.args[0],
                code: tx.validationCodeName,
            })),
        });
    }
    context.print({ height, blocks: rows });
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

/** Recomputes the chain's hashes where the backend holds the blocks; exit status 2 when tampered with. */
export async function verify(context: CommandContext): Promise<ExitStatus> {
    const { backend } = context;
    if (!backend.explorer.verifyChain) {
        throw notSupported('chain verification', backend.kind);
    }
    const verification = await backend.explorer.verifyChain();
    context.print(verification);
    return verification.ok ? 0 : 2;
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
