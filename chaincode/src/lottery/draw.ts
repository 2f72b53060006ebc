import { createHash } from 'node:crypto';
import { MerkleTree } from 'merkletreejs';
import { canonicalJson } from '../lib/json';

/**
 * The public, pure part of 区块链公证摇号: the entrant-list Merkle tree and the draw. The
 * chaincode uses it, and so does anyone who wants to check a result: everything it needs is in
 * the public draw record (`lottery:getDrawRecord`). No Fabric imports, no clock, no randomness.
 *
 * ```ts
 * import { computeDraw, merkleRoot, verifyMerkleProof } from 'zhelian/lottery/draw';
 * const record = JSON.parse(await contract.evaluateTransaction('getDrawRecord', 'tmall-1111'));
 * const again = computeDraw(record);                 // equals record.winners
 * verifyMerkleProof({ leaf: myEntrantId, proof, root: record.listRoot }); // my entry was in the list
 * ```
 */

export interface Prize {
    name: string;
    count: number;
}

export interface Winner {
    prize: string;
    /** 1-based order of the draw, across all prizes. */
    rank: number;
    entrantId: string;
}

export interface DrawInput {
    /** The seeds the notary and the sponsor revealed (hex), each matching its earlier commitment. */
    notarySeed: string;
    sponsorSeed: string;
    /** {@link merkleRoot} of the frozen entrant list. */
    listRoot: string;
    eventId: string;
    /** Entrant ids (any order; the draw sorts them). */
    entrants: readonly string[];
    /** Prizes in the order they are drawn. */
    prizes: readonly Prize[];
}

/** One step of an inclusion proof: the sibling hash and on which side it sits. */
export interface MerkleProofStep {
    position: 'left' | 'right';
    hash: string;
}

function sha256(data: Buffer | string): Buffer {
    return createHash('sha256').update(data).digest();
}

function sortedUnique(values: readonly string[]): string[] {
    return [...new Set(values)].sort();
}

function treeOf(leaves: readonly string[]): MerkleTree {
    // Leaves are hashed (domain: SHA-256 of the UTF-8 id), odd nodes are promoted, pairs keep
    // their order: the textbook tree, so a proof needs positions.
    return new MerkleTree(
        sortedUnique(leaves).map((leaf) => Buffer.from(leaf, 'utf8')),
        sha256,
        { hashLeaves: true },
    );
}

/** The root of the sorted, de-duplicated leaves as hex; the root of an empty list is SHA-256(""). */
export function merkleRoot(leaves: readonly string[]): string {
    if (leaves.length === 0) {
        return sha256('').toString('hex');
    }
    return treeOf(leaves).getRoot().toString('hex');
}

/** The inclusion proof of `leaf`, or `undefined` if it is not among the leaves. */
export function merkleProof(leaves: readonly string[], leaf: string): MerkleProofStep[] | undefined {
    if (!leaves.includes(leaf)) {
        return undefined;
    }
    return treeOf(leaves)
        .getProof(sha256(leaf))
        .map((step) => ({ position: step.position, hash: step.data.toString('hex') }));
}

export function verifyMerkleProof(input: { leaf: string; proof: readonly MerkleProofStep[]; root: string }): boolean {
    let hash = sha256(input.leaf);
    for (const step of input.proof) {
        const sibling = Buffer.from(step.hash, 'hex');
        hash = sha256(Buffer.concat(step.position === 'left' ? [sibling, hash] : [hash, sibling]));
    }
    return hash.toString('hex') === input.root;
}

/** SHA-256 hex of a seed's hex text: what each party commits to before the list is frozen. */
export function seedCommitment(seed: string): string {
    return sha256(seed).toString('hex');
}

/** H(notarySeed ‖ sponsorSeed ‖ listRoot ‖ eventId), `|`-separated so no two inputs collide. */
export function drawSeed(input: Pick<DrawInput, 'notarySeed' | 'sponsorSeed' | 'listRoot' | 'eventId'>): string {
    return sha256([input.notarySeed, input.sponsorSeed, input.listRoot, input.eventId].join('|')).toString('hex');
}

/**
 * The winners: a Fisher–Yates draw over the sorted entrants, where pick i takes index
 * `SHA-256(drawSeed | i) mod remaining`. A 256-bit value modulo a list size below 2^32 has a bias
 * under 2^-224, far below anything observable. Prizes are drawn in order; once the entrants run
 * out, the remaining prizes stay undrawn. Each entrant wins at most once.
 */
export function computeDraw(input: DrawInput): Winner[] {
    const seed = drawSeed(input);
    const pool = sortedUnique(input.entrants);
    const winners: Winner[] = [];
    for (const prize of input.prizes) {
        for (let i = 0; i < prize.count && pool.length > 0; i++) {
            const rank = winners.length + 1;
            const value = BigInt(`0x${sha256(`${seed}|${rank}`).toString('hex')}`);
            const index = Number(value % BigInt(pool.length));
            const [entrantId] = pool.splice(index, 1);
            winners.push({ prize: prize.name, rank, entrantId });
        }
    }
    return winners;
}

/** SHA-256 of the sorted-key JSON `{eventId, listRoot, winners}`: the result the notary signs. */
export function resultHash(input: { eventId: string; listRoot: string; winners: readonly Winner[] }): string {
    return sha256(canonicalJson({ eventId: input.eventId, listRoot: input.listRoot, winners: input.winners })).toString(
        'hex',
    );
}
