import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** A Server-Sent Events stream read in a test: events as they come, and a way to stop. */
export interface EventReader {
    status: number;
    /** Waits until `count` events arrived (all of them since the start), at most `timeoutMs`. */
    take(count: number, timeoutMs?: number): Promise<EventSourceMessage[]>;
    close(): void;
}

export async function readEvents(url: string, headers: Record<string, string> = {}): Promise<EventReader> {
    const abort = new AbortController();
    const response = await fetch(url, { headers: { Accept: 'text/event-stream', ...headers }, signal: abort.signal });
    const events: EventSourceMessage[] = [];
    let arrived: (() => void) | undefined;
    const parser = createParser({
        onEvent(event) {
            events.push(event);
            arrived?.();
        },
    });
    if (response.body && response.headers.get('content-type')?.startsWith('text/event-stream')) {
        void (async () => {
            const decoder = new TextDecoder();
            try {
                for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
                    parser.feed(decoder.decode(chunk, { stream: true }));
                }
            } catch {
                // Aborted.
            }
        })();
    }
    return {
        status: response.status,
        async take(count, timeoutMs = 10_000) {
            const deadline = Date.now() + timeoutMs;
            while (events.length < count) {
                if (Date.now() > deadline) {
                    throw new Error(`${events.length} of ${count} events arrived in ${timeoutMs} ms`);
                }
                await new Promise<void>((resolve) => {
                    arrived = resolve;
                    setTimeout(resolve, 100);
                });
            }
            return events.slice(0, count);
        },
        close: () => abort.abort(),
    };
}
