import { once } from 'node:events';
import type { Request, Response } from 'express';
import type { CloseableAsyncIterable } from '@zhelian/api';

/** One Server-Sent Event: its type, its id (what `Last-Event-ID` returns on reconnect), its JSON data. */
export interface ServerSentEvent {
    event: string;
    id?: string;
    data: unknown;
}

/**
 * The open event streams, so that a shutdown can end them: a stream never finishes by itself, and
 * the server would otherwise wait for it forever.
 */
export class EventStreams {
    readonly #open = new Set<() => void>();
    readonly #heartbeatMs: number;

    constructor(heartbeatMs = 15_000) {
        this.#heartbeatMs = heartbeatMs;
    }

    get count(): number {
        return this.#open.size;
    }

    /**
     * Streams `source` to the response as Server-Sent Events, `toEvents` turning each item into
     * zero or more events, until the client goes away, the source ends, or the server stops.
     */
    async stream<T>(
        req: Request,
        res: Response,
        source: CloseableAsyncIterable<T>,
        toEvents: (item: T) => ServerSentEvent[],
    ): Promise<void> {
        res.status(200).set({
            'Content-Type': 'text/event-stream; charset=utf-8',
            'Cache-Control': 'no-cache, no-transform',
            Connection: 'keep-alive',
            'X-Accel-Buffering': 'no',
        });
        res.flushHeaders();
        res.write('retry: 2000\n\n');
        const stop = (): void => source.close();
        this.#open.add(stop);
        req.on('close', stop);
        const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), this.#heartbeatMs);
        try {
            for await (const item of source) {
                const text = toEvents(item).map(format).join('');
                if (text && !res.write(text) && !res.destroyed) {
                    await Promise.race([once(res, 'drain'), once(res, 'close')]);
                }
                if (res.destroyed) {
                    break;
                }
            }
        } finally {
            clearInterval(heartbeat);
            req.off('close', stop);
            this.#open.delete(stop);
            source.close();
            res.end();
        }
    }

    /** Ends every open stream (their clients reconnect elsewhere, or to this server once it is back). */
    closeAll(): void {
        for (const stop of this.#open) {
            stop();
        }
    }
}

function format(event: ServerSentEvent): string {
    const id = event.id === undefined ? '' : `id: ${event.id}\n`;
    return `${id}event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}
