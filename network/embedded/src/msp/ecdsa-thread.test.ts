import { generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isLowS, verifyLowS } from './ecdsa';
import { signOffThread, verifyOffThread } from './ecdsa-thread';

describe('the signing thread', () => {
    const alice = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const bob = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const message = (i: number) => new TextEncoder().encode(`背书 endorsement ${i}`);

    it('signs and verifies many requests made at once, each with its own key and answer', async () => {
        const keys = [alice, bob];
        const signatures = await Promise.all(
            Array.from({ length: 40 }, (_, i) => signOffThread(keys[i % 2].privateKey, message(i))),
        );
        signatures.forEach((signature, i) => {
            expect(isLowS(signature)).toBe(true);
            expect(verify('sha256', message(i), keys[i % 2].publicKey, signature)).toBe(true);
            expect(verifyLowS(keys[i % 2].publicKey, message(i), signature)).toBe(true);
        });
        const verdicts = await Promise.all(
            signatures.flatMap((signature, i) => [
                verifyOffThread(keys[i % 2].publicKey, message(i), signature),
                verifyOffThread(keys[(i + 1) % 2].publicKey, message(i), signature),
                verifyOffThread(keys[i % 2].publicKey, message(i + 1), signature),
            ]),
        );
        expect(verdicts).toEqual(signatures.flatMap(() => [true, false, false]));
    });

    it('reads a view of a larger buffer as just its bytes', async () => {
        const framed = new Uint8Array(64);
        framed.set(message(7), 8);
        const view = framed.subarray(8, 8 + message(7).length);
        const signature = await signOffThread(alice.privateKey, view);
        expect(await verifyOffThread(alice.publicKey, message(7), signature)).toBe(true);
    });

    it('fails a request it cannot run, and only that one', async () => {
        const edwards = generateKeyPairSync('ed25519');
        const [refused, signed] = await Promise.allSettled([
            signOffThread(edwards.privateKey, message(1)),
            signOffThread(alice.privateKey, message(1)),
        ]);
        expect(refused).toMatchObject({ status: 'rejected', reason: { message: /signing thread could not sign/ } });
        expect(signed.status).toBe('fulfilled');
    });
});
