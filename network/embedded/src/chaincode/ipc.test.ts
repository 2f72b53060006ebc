import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { handedOver, type ToRunner } from './ipc';

describe('handedOver', () => {
    it("hands over each frame's own buffer once, and copies small frames and views into larger buffers", () => {
        const own = new Uint8Array(2048);
        const small = new Uint8Array(100);
        const shared = new Uint8Array(8192);
        const message: ToRunner = {
            kind: 'shim',
            frames: [
                { peerId: 'peer0', bytes: own },
                { peerId: 'peer1', bytes: shared.subarray(2, 4000) },
                { peerId: 'peer2', bytes: own },
                { peerId: 'peer3', bytes: small },
            ],
        };
        expect(handedOver(message)).toEqual([own.buffer]);
    });

    it('hands over nothing but shim frames', () => {
        expect(handedOver({ kind: 'connect', peerId: 'peer0' })).toEqual([]);
        expect(handedOver({ kind: 'ping', id: 1 })).toEqual([]);
    });

    it('delivers the bytes whole, and a view into a larger buffer stays with its sender', async () => {
        const { port1, port2 } = new MessageChannel();
        const own = new Uint8Array(2048).fill(1);
        const larger = new Uint8Array(4096).fill(9);
        const message: ToRunner = {
            kind: 'shim',
            frames: [
                { peerId: 'peer0', bytes: own },
                { peerId: 'peer1', bytes: larger.subarray(1, 3000) },
            ],
        };
        const received = new Promise<ToRunner>((resolve) => port2.once('message', resolve));
        port1.postMessage(message, handedOver(message));
        const arrived = await received;
        port1.close();
        expect(arrived.kind === 'shim' && arrived.frames.map((frame) => frame.bytes)).toEqual([
            new Uint8Array(2048).fill(1),
            new Uint8Array(2999).fill(9),
        ]);
        // Handed over: the sender's view is empty now; copied: the sender keeps its bytes.
        expect(own.byteLength).toBe(0);
        expect(larger.byteLength).toBe(4096);
    });
});
