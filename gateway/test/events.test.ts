import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEvents } from './support/event-source';
import { startTestServer, type TestServer } from './support/server';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Server-Sent Events: blocks and chaincode events, live and replayed, resumed with Last-Event-ID. */
describe('event streams', () => {
    let server: TestServer;
    /** The channel's height before this suite's first transaction: a network other suites share holds earlier events. */
    let startHeight: number;
    const deposit = (id: string) =>
        server.call('POST', '/api/evidence/depositEvidence', {
            as: 'MemberMSP:litigant',
            body: { args: { evidenceId: id, hash: sha256(id), title: '聊天记录', type: 'chat-log', sizeBytes: 10 } },
        });

    beforeAll(async () => {
        server = await startTestServer({ heartbeatMs: 200 });
        startHeight = (await server.call('GET', '/api/explorer')).body.height;
    });

    afterAll(async () => {
        await server?.close();
    });

    it('delivers each new block as it commits, with its transactions and verdicts', async () => {
        const stream = await readEvents(`${server.url}/api/events/blocks`);
        expect(stream.status).toBe(200);
        try {
            const committed = (await deposit('EV-SSE-0001')).body;
            const [block] = await stream.take(1);
            expect(block.event).toBe('block');
            expect(block.id).toBe(String(committed.blockNumber));
            const data = JSON.parse(block.data);
            expect(data.transactions).toContainEqual(
                expect.objectContaining({
                    txId: committed.txId,
                    validationCodeName: 'VALID',
                    function: 'evidence:depositEvidence',
                }),
            );
        } finally {
            stream.close();
        }
    });

    it('delivers chaincode events of valid transactions, filtered by contract, with <block>:<txId> ids', async () => {
        const stream = await readEvents(`${server.url}/api/events/chaincode/${server.chaincode}?contract=evidence`);
        try {
            const txIds = [];
            for (const id of ['EV-SSE-0002', 'EV-SSE-0003']) {
                txIds.push((await deposit(id)).body.txId);
            }
            await server.call('POST', '/api/einvoice/registerHospital', { as: 'MemberMSP:zheyi' });
            const events = await stream.take(2);
            expect(events.map((event) => event.event)).toEqual(['chaincode', 'chaincode']);
            expect(events.map((event) => JSON.parse(event.data).transactionId)).toEqual(txIds);
            const first = JSON.parse(events[0].data);
            expect(first).toMatchObject({
                eventName: 'evidence.Deposited',
                chaincodeName: server.chaincode,
                payload: { evidenceId: 'EV-SSE-0002' },
            });
            expect(events[0].id).toBe(`${first.blockNumber}:${first.transactionId}`);
        } finally {
            stream.close();
        }
    });

    it('replays from a block, and resumes exactly after the last event received (Last-Event-ID)', async () => {
        const replay = await readEvents(
            `${server.url}/api/events/chaincode/${server.chaincode}?from=${startHeight}&event=evidence.Deposited`,
        );
        let all;
        try {
            all = await replay.take(3);
        } finally {
            replay.close();
        }
        expect(all.map((event) => JSON.parse(event.data).payload.evidenceId)).toEqual([
            'EV-SSE-0001',
            'EV-SSE-0002',
            'EV-SSE-0003',
        ]);

        const resumed = await readEvents(
            `${server.url}/api/events/chaincode/${server.chaincode}?event=evidence.Deposited`,
            {
                'Last-Event-ID': all[0].id ?? '',
            },
        );
        try {
            await deposit('EV-SSE-0004');
            const next = await resumed.take(3);
            expect(next.map((event) => JSON.parse(event.data).payload.evidenceId)).toEqual([
                'EV-SSE-0002',
                'EV-SSE-0003',
                'EV-SSE-0004',
            ]);
        } finally {
            resumed.close();
        }
    });

    it('resumes blocks after the block number in Last-Event-ID, and sends them in full on request', async () => {
        const height = (await server.call('GET', '/api/explorer')).body.height;
        const resumed = await readEvents(`${server.url}/api/events/blocks?detail=full`, {
            'Last-Event-ID': String(height - 3),
        });
        try {
            const blocks = await resumed.take(2);
            expect(blocks.map((block) => block.id)).toEqual([String(height - 2), String(height - 1)]);
            const full = JSON.parse(blocks[1].data);
            const write = full.transactions[0].readWriteSets.find(
                (set: { namespace: string }) => set.namespace === server.chaincode,
            ).writes[0];
            expect(write.value.base64).toBeTypeOf('string');
            expect(JSON.parse(write.value.text).docType).toBe('evidence.item');
        } finally {
            resumed.close();
        }
    });

    it('refuses a Last-Event-ID it cannot resume from (400)', async () => {
        const answer = await server.call('GET', '/api/events/blocks', { headers: { 'Last-Event-ID': 'yesterday' } });
        expect(answer.status).toBe(400);
        expect(answer.body.error.code).toBe('BAD_LAST_EVENT_ID');
    });

    it('keeps an idle stream alive with comments, and ends streams when the server stops', async () => {
        const own = await startTestServer({ heartbeatMs: 100 });
        const response = await fetch(`${own.url}/api/events/blocks`);
        const reader = (response.body as ReadableStream<Uint8Array>).getReader();
        let text = '';
        while (!text.includes(': keep-alive')) {
            const { value } = await reader.read();
            text += new TextDecoder().decode(value);
        }
        const closing = own.close();
        let ended = false;
        while (!ended) {
            ended = (await reader.read()).done;
        }
        await closing;
        expect(ended).toBe(true);
    });
});
