import { describe, expect, it } from 'vitest';
import * as chaincode from 'zhelian/lottery/draw';
import * as browser from '../src/lib/draw';

/**
 * The browser's check of a draw (`src/lib/draw.ts`, Web Crypto) and the chaincode's own module
 * (`zhelian/lottery/draw`, Node crypto and merkletreejs) must agree on everything a verifier
 * computes: roots, proofs, the draw and the result hash.
 */
const ids = (n: number, salt = ''): string[] =>
    Array.from({ length: n }, (_, i) => chaincode.seedCommitment(`entrant ${salt}${i}`));

describe('the browser draw check agrees with zhelian/lottery/draw', () => {
    it('computes the same Merkle roots, for every list size from 0 to 17 and with duplicates', async () => {
        for (let n = 0; n <= 17; n++) {
            const leaves = ids(n);
            expect(await browser.merkleRoot(leaves)).toBe(chaincode.merkleRoot(leaves));
        }
        const duplicated = [...ids(5), ...ids(3)];
        expect(await browser.merkleRoot(duplicated)).toBe(chaincode.merkleRoot(duplicated));
    });

    it('builds the same proofs and verifies the chaincode’s proofs, and rejects a wrong leaf or root', async () => {
        for (const n of [1, 2, 3, 5, 8, 13]) {
            const leaves = ids(n, 'p');
            const root = chaincode.merkleRoot(leaves);
            for (const leaf of leaves) {
                const proof = chaincode.merkleProof(leaves, leaf)!;
                expect(await browser.merkleProof(leaves, leaf)).toEqual(proof);
                expect(await browser.verifyMerkleProof({ leaf, proof, root })).toBe(true);
                expect(await browser.verifyMerkleProof({ leaf: `${leaf}x`, proof, root })).toBe(false);
                expect(await browser.verifyMerkleProof({ leaf, proof, root: chaincode.merkleRoot(ids(n + 1)) })).toBe(
                    n + 1 === 1,
                );
            }
        }
        expect(await browser.merkleProof(ids(3), 'nobody')).toBeUndefined();
    });

    it('draws the same winners and result hash', async () => {
        for (const n of [0, 1, 2, 3, 7, 30]) {
            const entrants = ids(n, 'd');
            const input = {
                notarySeed: chaincode.seedCommitment('notary'),
                sponsorSeed: chaincode.seedCommitment('sponsor'),
                listRoot: chaincode.merkleRoot(entrants),
                eventId: `event-${n}`,
                entrants,
                prizes: [
                    { name: '一等奖', count: 1 },
                    { name: '二等奖', count: 3 },
                ],
            };
            const winners = chaincode.computeDraw(input);
            expect(await browser.computeDraw(input)).toEqual(winners);
            const hashed = { eventId: input.eventId, listRoot: input.listRoot, winners };
            expect(await browser.resultHash(hashed)).toBe(chaincode.resultHash(hashed));
        }
    });

    it('writes sorted-key JSON as the chaincode does', () => {
        const value = { b: 1, a: [2, { d: 3, c: '中' }], e: null, f: { h: true, g: 'x' } };
        expect(browser.canonicalJson(value)).toBe('{"a":[2,{"c":"中","d":3}],"b":1,"e":null,"f":{"g":"x","h":true}}');
    });
});
