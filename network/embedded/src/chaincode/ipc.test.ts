import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { handedOver, type ToRunner } from './ipc';

describe('handedOver', () => {
    it("hands over each frame's own buffer once and copies views into larger buffers", () => {
        const own = Uint8Array.from([1, 2, 3]);
        const shared = new Uint8Array(8);
        const message: ToRunner = {
            kind: 'shim',
            frames: [
                { peerId: 'peer0', bytes: own },
                { peerId: 'peer1', bytes: shared.subarray(2, 5) },
                { peerId: 'peer2', bytes: own },
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
        const own = Uint8Array.from([1, 2, 3]);
        const larger = Uint8Array.from([9, 8, 7, 6]);
        const message: ToRunner = {
            kind: 'shim',
            frames: [
                { peerId: 'peer0', bytes: own },
                { peerId: 'peer1', bytes: larger.subarray(1, 3) },
            ],
        };
        const received = new Promise<ToRunner>((resolve) => port2.once('message', resolve));
        port1.postMessage(message, handedOver(message));
        const arrived = await received;
        port1.close();
        expect(arrived.kind === 'shim' && arrived.frames.map((frame) => [...frame.bytes])).toEqual([
            [1, 2, 3],
            [8, 7],
        ]);
        // Handed over: the sender's view is empty now; copied: the sender keeps its bytes.
        expect(own.byteLength).toBe(0);
        expect([...larger]).toEqual([9, 8, 7, 6]);
    });
});
