import { describe, expect, it } from 'vitest';
import { computeDraw, merkleProof, merkleRoot, resultHash, seedCommitment, verifyMerkleProof } from './draw';
import { sha256Hex } from '../lib/hash';

const entrants = Array.from({ length: 7 }, (_, i) => sha256Hex(`entrant-${i}`));
const base = {
    notarySeed: 'aa'.repeat(32),
    sponsorSeed: 'bb'.repeat(32),
    listRoot: merkleRoot(entrants),
    eventId: 'tmall-1111',
    entrants,
    prizes: [
        { name: '一等奖', count: 1 },
        { name: '二等奖', count: 2 },
    ],
};

describe('merkle tree', () => {
    it('has a root independent of leaf order', () => {
        expect(merkleRoot([...entrants].reverse())).toBe(merkleRoot(entrants));
        expect(merkleRoot(entrants)).toMatch(/^[0-9a-f]{64}$/);
    });

    it('proves every entrant, odd list sizes included', () => {
        for (const size of [1, 2, 3, 7]) {
            const leaves = entrants.slice(0, size);
            const root = merkleRoot(leaves);
            for (const leaf of leaves) {
                const proof = merkleProof(leaves, leaf);
                expect(proof).toBeDefined();
                expect(verifyMerkleProof({ leaf, proof: proof!, root })).toBe(true);
            }
        }
    });

    it('rejects a proof for another leaf or root', () => {
        const proof = merkleProof(entrants, entrants[2])!;
        expect(verifyMerkleProof({ leaf: entrants[3], proof, root: merkleRoot(entrants) })).toBe(false);
        expect(verifyMerkleProof({ leaf: entrants[2], proof, root: merkleRoot(entrants.slice(1)) })).toBe(false);
        expect(merkleProof(entrants, 'stranger')).toBeUndefined();
    });
});

describe('computeDraw', () => {
    it('is deterministic and independent of entrant order', () => {
        expect(computeDraw({ ...base, entrants: [...entrants].reverse() })).toEqual(computeDraw(base));
    });

    it('draws winners from the entrants, without duplicates, prize by prize', () => {
        const winners = computeDraw(base);
        expect(winners.map((w) => w.prize)).toEqual(['一等奖', '二等奖', '二等奖']);
        expect(winners.map((w) => w.rank)).toEqual([1, 2, 3]);
        expect(new Set(winners.map((w) => w.entrantId)).size).toBe(3);
        for (const winner of winners) {
            expect(entrants).toContain(winner.entrantId);
        }
    });

    it('changes when any seed, the list or the event changes', () => {
        const winners = JSON.stringify(computeDraw({ ...base, prizes: [{ name: 'x', count: 3 }] }));
        const variants = [
            { notarySeed: 'ab'.repeat(32) },
            { sponsorSeed: 'ba'.repeat(32) },
            { listRoot: merkleRoot(entrants.slice(1)) },
            { eventId: 'tmall-1112' },
        ];
        const differing = variants.filter(
            (variant) =>
                JSON.stringify(computeDraw({ ...base, ...variant, prizes: [{ name: 'x', count: 3 }] })) !== winners,
        );
        expect(differing.length).toBe(variants.length);
    });

    it('stops when entrants run out', () => {
        expect(computeDraw({ ...base, entrants: entrants.slice(0, 2) })).toHaveLength(2);
        expect(computeDraw({ ...base, entrants: [] })).toEqual([]);
    });
});

describe('commitments and result hash', () => {
    it('hash the seed text and the sorted-key result', () => {
        expect(seedCommitment('aa')).toBe(sha256Hex('aa'));
        const winners = computeDraw(base);
        expect(resultHash({ eventId: 'e', listRoot: 'r', winners })).toBe(
            resultHash({ listRoot: 'r', winners, eventId: 'e' }),
        );
    });
});
