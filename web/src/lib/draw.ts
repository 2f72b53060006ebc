import type { DrawInput, MerkleProofStep, Prize, Winner } from 'zhelian/lottery/draw';
import { fromHex, sha256Bytes, sha256Hex, toHex } from './hash';

/**
 * The public check of a notarized draw, in the browser: the algorithm of `zhelian/lottery/draw`
 * (the chaincode's own module) rewritten over Web Crypto, which is asynchronous. The chaincode's
 * module runs on Node's crypto and merkletreejs; `web/test/draw.test.ts` checks that both agree on
 * roots, proofs, draws and result hashes.
 *
 * - Merkle tree: leaves are the sorted, de-duplicated entrant ids, each hashed (SHA-256 of UTF-8);
 *   a pair hashes as SHA-256(left ‖ right), an odd last node is promoted unchanged; the root of no
 *   leaves is SHA-256("").
 * - Draw seed: SHA-256 of `notarySeed|sponsorSeed|listRoot|eventId` (hex text).
 * - Pick `rank` (1-based) takes index SHA-256(`seed|rank`) mod the entrants left (Fisher–Yates).
 * - Result hash: SHA-256 of the sorted-key JSON `{eventId, listRoot, winners}`.
 */

export type { DrawInput, MerkleProofStep, Prize, Winner };

const sortedUnique = (values: readonly string[]): string[] => [...new Set(values)].sort();

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
    const joined = new Uint8Array(a.length + b.length);
    joined.set(a);
    joined.set(b, a.length);
    return joined;
}

async function layers(leaves: readonly string[]): Promise<Uint8Array<ArrayBuffer>[][]> {
    const levels: Uint8Array<ArrayBuffer>[][] = [
        await Promise.all(sortedUnique(leaves).map((leaf) => sha256Bytes(leaf))),
    ];
    while (levels[levels.length - 1].length > 1) {
        const level = levels[levels.length - 1];
        const next: Uint8Array<ArrayBuffer>[] = [];
        for (let i = 0; i < level.length; i += 2) {
            next.push(i + 1 < level.length ? await sha256Bytes(concat(level[i], level[i + 1])) : level[i]);
        }
        levels.push(next);
    }
    return levels;
}

export async function merkleRoot(leaves: readonly string[]): Promise<string> {
    if (leaves.length === 0) {
        return sha256Hex('');
    }
    const levels = await layers(leaves);
    return toHex(levels[levels.length - 1][0]);
}

/** The inclusion proof of `leaf`, or `undefined` when it is not a leaf. */
export async function merkleProof(leaves: readonly string[], leaf: string): Promise<MerkleProofStep[] | undefined> {
    let index = sortedUnique(leaves).indexOf(leaf);
    if (index < 0) {
        return undefined;
    }
    const levels = await layers(leaves);
    const proof: MerkleProofStep[] = [];
    for (const level of levels.slice(0, -1)) {
        const sibling = index % 2 === 0 ? index + 1 : index - 1;
        if (sibling < level.length) {
            proof.push({ position: index % 2 === 0 ? 'right' : 'left', hash: toHex(level[sibling]) });
        }
        index = Math.floor(index / 2);
    }
    return proof;
}

/** Whether `proof` leads from `leaf` to `root`; `steps` receives each hash on the way, to show it. */
export async function verifyMerkleProof(
    input: { leaf: string; proof: readonly MerkleProofStep[]; root: string },
    steps: string[] = [],
): Promise<boolean> {
    let hash = await sha256Bytes(input.leaf);
    steps.push(toHex(hash));
    for (const step of input.proof) {
        const sibling = fromHex(step.hash);
        hash = await sha256Bytes(step.position === 'left' ? concat(sibling, hash) : concat(hash, sibling));
        steps.push(toHex(hash));
    }
    return toHex(hash) === input.root;
}

export function drawSeed(
    input: Pick<DrawInput, 'notarySeed' | 'sponsorSeed' | 'listRoot' | 'eventId'>,
): Promise<string> {
    return sha256Hex([input.notarySeed, input.sponsorSeed, input.listRoot, input.eventId].join('|'));
}

export async function computeDraw(input: DrawInput): Promise<Winner[]> {
    const seed = await drawSeed(input);
    const pool = sortedUnique(input.entrants);
    const winners: Winner[] = [];
    for (const prize of input.prizes) {
        for (let i = 0; i < prize.count && pool.length > 0; i++) {
            const rank = winners.length + 1;
            const value = BigInt(`0x${await sha256Hex(`${seed}|${rank}`)}`);
            const index = Number(value % BigInt(pool.length));
            const [entrantId] = pool.splice(index, 1);
            winners.push({ prize: prize.name, rank, entrantId });
        }
    }
    return winners;
}

/** JSON with object keys sorted at every level, as the chaincode writes records (fast-json-stable-stringify). */
export function canonicalJson(value: unknown): string {
    if (Array.isArray(value)) {
        return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
    }
    if (value !== null && typeof value === 'object') {
        const entries = Object.keys(value)
            .sort()
            .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
            .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
        return `{${entries.join(',')}}`;
    }
    return JSON.stringify(value);
}

export function resultHash(input: { eventId: string; listRoot: string; winners: readonly Winner[] }): Promise<string> {
    return sha256Hex(canonicalJson({ eventId: input.eventId, listRoot: input.listRoot, winners: input.winners }));
}
