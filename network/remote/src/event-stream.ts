import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { CloseableAsyncIterable } from '@zhelian/api';
import type { ServerClient } from './server-client';
import { errorFromAnswer, type ErrorBody } from './server-client';

/**
 * A gateway's Server-Sent Events stream as an async iterable: one item per event of the named
 * type, parsed from its JSON data. Closing aborts the request. The first answer is awaited before
 * this returns, so a refused stream (a bad start block, no token) fails here.
 */
export async function openEventStream<T>(
    client: ServerClient,
    route: string,
    query: Record<string, string | number | undefined>,
    eventType: string,
    toItem: (data: unknown) => T,
): Promise<CloseableAsyncIterable<T>> {
    const abort = new AbortController();
    const response = await fetch(client.urlOf(route, query), {
        headers: { ...client.headers(), Accept: 'text/event-stream' },
        signal: abort.signal,
    });
    if (!response.ok || !response.body) {
        const text = await response.text();
        let body: ErrorBody = {};
        try {
            body = JSON.parse(text) as ErrorBody;
        } catch {
            body = { error: { message: text.slice(0, 200) } };
        }
        throw errorFromAnswer(response.status, body);
    }
    const body = response.body;
    const items: T[] = [];
    let wake: (() => void) | undefined;
    let ended = false;
    let failure: unknown;
    const parser = createParser({
        onEvent(message: EventSourceMessage) {
            if (message.event === eventType) {
                items.push(toItem(JSON.parse(message.data)));
            }
        },
    });
    const finish = (): void => {
        ended = true;
        wake?.();
    };
    void (async () => {
        const decoder = new TextDecoder();
        try {
            for await (const chunk of body) {
                parser.feed(decoder.decode(chunk, { stream: true }));
                wake?.();
            }
        } catch (err) {
            if (!abort.signal.aborted) {
                failure = err;
            }
        } finally {
            finish();
        }
    })();
    return {
        close() {
            abort.abort();
            finish();
        },
        async *[Symbol.asyncIterator]() {
            try {
                for (;;) {
                    if (items.length > 0) {
                        yield items.shift() as T;
                        continue;
                    }
                    if (ended) {
                        if (failure && !abort.signal.aborted) {
                            throw failure;
                        }
                        return;
                    }
                    await new Promise<void>((resolve) => {
                        wake = resolve;
                    });
                    wake = undefined;
                }
            } finally {
                abort.abort();
            }
        },
    };
}
