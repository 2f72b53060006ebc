import type { ChainProblem, ChainVerification } from '@zhelian/api';
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
    const problems: ChainProblem[] = [];
    let previousHeaderHash = '';
    let previousCommitHash = '';
    for (let n = 0; n < store.height; n++) {
        let block: Block | undefined;
        try {
            block = await store.getBlock(n);
        } catch (err) {
            problems.push({ blockNumber: n, reason: `block cannot be decoded: ${(err as Error).message}` });
            previousHeaderHash = '';
            continue;
        }
        if (!block) {
            problems.push({ blockNumber: n, reason: 'block is missing' });
            continue;
        }
        const reasons: string[] = [];
        if (block.header.number !== n) {
            reasons.push(`header says block ${block.header.number}`);
        }
        if (computeDataHash(block.data) !== block.header.dataHash) {
            reasons.push('data hash does not match the transactions');
        }
        if (n > 0 && previousHeaderHash !== '' && block.header.previousHash !== previousHeaderHash) {
            reasons.push('previous hash does not match block ' + (n - 1));
        }
        const headerHash = computeHeaderHash(block.header);
        const commitHash = computeCommitHash(
            previousCommitHash,
            headerHash,
            block.metadata.validationCodes,
            block.metadata.committedAt,
        );
        if (commitHash !== block.metadata.commitHash) {
            reasons.push('commit hash does not match the validation codes');
        }
        if (reasons.length > 0) {
            problems.push({ blockNumber: n, reason: reasons.join('; ') });
        }
        previousHeaderHash = headerHash;
        previousCommitHash = block.metadata.commitHash;
    }
    if (store.height > 0 && previousHeaderHash !== '' && previousHeaderHash !== store.lastHeaderHash) {
        problems.push({ blockNumber: store.height - 1, reason: 'header hash does not match the recorded chain tip' });
    }
    return { ok: problems.length === 0, height: store.height, problems };
}
