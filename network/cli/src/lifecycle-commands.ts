import { type ChaincodeLifecycle, notSupported } from '@zhelian/api';
import { CliError, type CommandContext, type ExitStatus } from './commands';

/** A definition as the `lifecycle` verbs take it, as `peer lifecycle chaincode …` flags. */
export interface DefinitionOptions {
    name: string;
    sequence: number;
    version?: string;
    policy?: string;
    collections?: string;
}

/** The organization a verb acts for (its admin, as on Fabric). */
export interface OrgOptions {
    org: string;
}

function lifecycleOf(context: CommandContext, step: string): ChaincodeLifecycle {
    const { backend } = context;
    if (!backend.lifecycle) {
        throw notSupported(`lifecycle ${step}`, backend.kind);
    }
    return backend.lifecycle;
}

function definitionOf(options: DefinitionOptions) {
    return {
        name: options.name,
        sequence: options.sequence,
        ...(options.version !== undefined ? { version: options.version } : {}),
        ...(options.policy !== undefined ? { policy: options.policy } : {}),
        ...(options.collections !== undefined ? { collections: options.collections } : {}),
    };
}

/** `peer lifecycle chaincode package <file> --path <dir> --label <label>`. */
export async function packageChaincode(
    context: CommandContext,
    file: string,
    options: { path: string; label: string },
): Promise<ExitStatus> {
    context.print(
        await lifecycleOf(context, 'package').package({ packageDir: options.path, label: options.label, file }),
    );
    return 0;
}

/** `peer lifecycle chaincode install <file>` on one organization's peers. */
export async function install(context: CommandContext, file: string, options: OrgOptions): Promise<ExitStatus> {
    const installed = await lifecycleOf(context, 'install').install(options.org, file);
    context.print({ packageId: installed.packageId, label: installed.label });
    return 0;
}

export async function queryInstalled(context: CommandContext, options: OrgOptions): Promise<ExitStatus> {
    context.print(await lifecycleOf(context, 'queryinstalled').queryInstalled(options.org));
    return 0;
}

/** `peer lifecycle chaincode approveformyorg`. */
export async function approve(
    context: CommandContext,
    options: DefinitionOptions & OrgOptions & { packageId?: string },
): Promise<ExitStatus> {
    await lifecycleOf(context, 'approveformyorg').approve(options.org, {
        ...definitionOf(options),
        ...(options.packageId !== undefined ? { packageId: options.packageId } : {}),
    });
    context.print({ approved: { org: options.org, name: options.name, sequence: options.sequence } });
    return 0;
}

/** `peer lifecycle chaincode checkcommitreadiness`: which organizations approved this definition. */
export async function checkCommitReadiness(context: CommandContext, options: DefinitionOptions): Promise<ExitStatus> {
    context.print(await lifecycleOf(context, 'checkcommitreadiness').checkCommitReadiness(definitionOf(options)));
    return 0;
}

/** `peer lifecycle chaincode commit`: refused (exit 1) until enough organizations approved. */
export async function commit(context: CommandContext, options: DefinitionOptions): Promise<ExitStatus> {
    context.print(await lifecycleOf(context, 'commit').commit(definitionOf(options)));
    return 0;
}

export async function queryCommitted(context: CommandContext, options: { name?: string }): Promise<ExitStatus> {
    const committed = await lifecycleOf(context, 'querycommitted').queryCommitted(options.name);
    if (options.name !== undefined && committed.length === 0) {
        throw new CliError(`chaincode ${options.name} is not committed`);
    }
    context.print(committed);
    return 0;
}
