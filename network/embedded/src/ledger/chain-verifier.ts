import { type ChainProblem, type ChainVerification, ZhelianError } from '@zhelian/api';
import type { Block } from './block';
import { computeCommitHash, computeDataHash, computeHeaderHash } from './block';
import type { LedgerStore } from './store';

/**
 * Recomputes every block's data hash, the hash chain of headers and the chain of commit hashes,
 * and reports each block whose stored bytes no longer match what was committed.
 *
 * ```ts
 * const { ok, problems } = await verifyChain(store);
 * problems.forEach((p) => console.log(`block ${p.blockNumber}: ${p.reason}`));
 * ```
 */
export async function verifyChain(store: LedgerStore): Promise<ChainVerification> {
    const { problems, lastHeaderHash } = await verifyBlocks(store, store.height);
    if (store.height > 0 && lastHeaderHash !== '' && lastHeaderHash !== store.lastHeaderHash) {
        problems.push({ blockNumber: store.height - 1, reason: 'header hash does not match the recorded chain tip' });
    }
    problems.push(...(await blocksBeyondSavepoint(store)));
    return { ok: problems.length === 0, height: store.height, problems };
}

/**
 * Checks blocks 0 … height − 1 against each other, whatever the savepoint says: each is there,
 * its data hash, the header chain and the commit hash chain hold. Returns the problems and the
 * last header's hash (empty when it could not be read).
 */
export async function verifyBlocks(
    store: LedgerStore,
    height: number,
): Promise<{ problems: ChainProblem[]; lastHeaderHash: string }> {
    const problems: ChainProblem[] = [];
    // Undefined after a block that could not be read: the next one's links cannot be checked.
    let previousHeaderHash: string | undefined = '';
    let previousCommitHash: string | undefined = '';
    for (let n = 0; n < height; n++) {
        let block: Block | undefined;
        try {
            block = await store.getBlock(n);
        } catch (err) {
            const reason =
                err instanceof ZhelianError
                    ? 'block cannot be read: LevelDB reports corruption'
                    : `block cannot be decoded: ${(err as Error).message}`;
            problems.push({ blockNumber: n, reason });
            previousHeaderHash = previousCommitHash = undefined;
            continue;
        }
        if (!block) {
            problems.push({ blockNumber: n, reason: 'block is missing' });
            previousHeaderHash = previousCommitHash = undefined;
            continue;
        }
        const reasons: string[] = [];
        if (block.header.number !== n) {
            reasons.push(`header says block ${block.header.number}`);
        }
        if (computeDataHash(block.data) !== block.header.dataHash) {
            reasons.push('data hash does not match the transactions');
        }
        if (n > 0 && previousHeaderHash !== undefined && block.header.previousHash !== previousHeaderHash) {
            reasons.push('previous hash does not match block ' + (n - 1));
        }
        const headerHash = computeHeaderHash(block.header);
        if (
            previousCommitHash !== undefined &&
            computeCommitHash(
                previousCommitHash,
                headerHash,
                block.metadata.validationCodes,
                block.metadata.committedAt,
            ) !== block.metadata.commitHash
        ) {
            reasons.push('commit hash does not match the validation codes');
        }
        if (reasons.length > 0) {
            problems.push({ blockNumber: n, reason: reasons.join('; ') });
        }
        previousHeaderHash = headerHash;
        previousCommitHash = block.metadata.commitHash;
    }
    return { problems, lastHeaderHash: previousHeaderHash ?? '' };
}

/**
 * The checks a peer can afford on every start: the last block the savepoint names is there and
 * is the block the savepoint recorded, and no block is stored beyond it. Everything else is
 * {@link verifyChain}'s job.
 */
export async function verifyTail(store: LedgerStore): Promise<ChainProblem[]> {
    const problems = await blocksBeyondSavepoint(store);
    const last = store.height - 1;
    if (last < 0) {
        return problems;
    }
    let block: Block | undefined;
    try {
        block = await store.getBlock(last);
    } catch (err) {
        if (err instanceof ZhelianError) {
            throw err;
        }
        return [
            ...problems,
            { blockNumber: last, reason: `block ${last} cannot be decoded: ${(err as Error).message}` },
        ];
    }
    if (!block) {
        problems.push({ blockNumber: last, reason: `block ${last}, the last one the savepoint names, is missing` });
    } else if (computeHeaderHash(block.header) !== store.lastHeaderHash) {
        problems.push({
            blockNumber: last,
            reason: `block ${last} is not the block the savepoint recorded (header hash)`,
        });
    } else if (block.metadata.commitHash !== store.lastCommitHash) {
        problems.push({
            blockNumber: last,
            reason: `block ${last} is not the block the savepoint recorded (commit hash)`,
        });
    }
    return problems;
}

async function blocksBeyondSavepoint(store: LedgerStore): Promise<ChainProblem[]> {
    const last = await store.lastStoredBlock();
    if (last === undefined || last < store.height) {
        return [];
    }
    const blocks = last === store.height ? `block ${last} is` : `blocks ${store.height}–${last} are`;
    return [
        {
            blockNumber: store.height,
            reason: `${blocks} stored beyond the savepoint (${store.height} blocks applied): their changes never reached the state`,
        },
    ];
}
