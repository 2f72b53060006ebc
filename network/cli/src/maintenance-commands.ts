import { notSupported } from '@zhelian/api';
import { CliError, type CommandContext, type ExitStatus } from './commands';

/**
 * The ledger's own files, checked and repaired: `verify`, `rebuild`, and `tamper` for the lesson on
 * tamper detection. Each needs what only some backends have (`verifyChain`, `maintenance`).
 */

/**
 * Recomputes the chain's hashes where the backend holds the blocks, and checks the world state
 * against them where it can; exit status 2 when anything does not match.
 */
export async function verify(context: CommandContext): Promise<ExitStatus> {
    const { backend } = context;
    if (!backend.explorer.verifyChain) {
        throw notSupported('chain verification', backend.kind);
    }
    const verification = await backend.explorer.verifyChain();
    context.print(verification);
    return verification.ok ? 0 : 2;
}

/** Re-derives world state, history and indexes from the blocks where the backend keeps the ledger's files. */
export async function rebuild(context: CommandContext): Promise<ExitStatus> {
    const { backend } = context;
    if (!backend.maintenance) {
        throw notSupported('rebuild', backend.kind);
    }
    context.print(await backend.maintenance.rebuild());
    return 0;
}

/**
 * Changes one stored byte of a block, puts it back (`--undo`), or shows what is changed: the
 * embedded ledger's tool for teaching tamper detection. `verify` then names the block.
 */
export async function tamper(
    context: CommandContext,
    options: { block?: number; undo?: boolean },
): Promise<ExitStatus> {
    const { backend } = context;
    if (!backend.maintenance) {
        throw notSupported("tampering (the embedded ledger's maintenance capability)", backend.kind);
    }
    if (options.undo && options.block !== undefined) {
        throw new CliError('choose one: --block <n> changes a byte, --undo puts it back');
    }
    if (options.undo) {
        const undone = await backend.maintenance.undoTamper();
        context.print(undone);
        return undone.verification.ok ? 0 : 2;
    }
    if (options.block !== undefined) {
        context.print(await backend.maintenance.tamperBlock(options.block));
        return 0;
    }
    context.print({ pending: (await backend.maintenance.pendingTamper()) ?? null });
    return 0;
}
