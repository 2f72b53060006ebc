import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LESSON_STEPS } from '../src';
import { startTestServer, type TestServer } from './support/server';

interface TransactionMetadata {
    name: string;
    tag?: string[];
}

/**
 * The lesson steps the gateway checks evidence against name transactions the chaincode has, and
 * ask for what those transactions leave: a submitted one is on the ledger, an evaluated one is
 * only answered. A step that asked for an answered call of a submitted transaction would accept a
 * simulation in place of a commit.
 */
describe("the lessons' steps against the chaincode's metadata", () => {
    let server: TestServer;
    let transactions: Map<string, TransactionMetadata>;

    beforeAll(async () => {
        server = await startTestServer({ webRoot: false });
        const metadata = (await server.call('GET', `/api/chaincode/${server.chaincode}/metadata`)).body as {
            contracts: Record<string, { transactions: TransactionMetadata[] }>;
        };
        transactions = new Map(
            Object.entries(metadata.contracts).flatMap(([contract, { transactions: list }]) =>
                list.map((tx) => [`${contract}:${tx.name}`, tx] as const),
            ),
        );
    }, 120_000);
    afterAll(() => server?.close());

    it('name existing transactions, asking the ledger for submitted ones and an answer for evaluated ones', () => {
        const steps = Object.entries(LESSON_STEPS).flatMap(([lesson, list]) =>
            list.map((step, index) => ({ lesson, index, ...step })),
        );
        expect(steps.length).toBeGreaterThan(60);
        for (const step of steps) {
            const where = `${step.lesson} ${step.index} (${step.key})`;
            if (step.kind === 'verify') {
                expect(
                    step.done.every((outcome) => 'verification' in outcome),
                    where,
                ).toBe(true);
                continue;
            }
            const tx = transactions.get(`${step.contract}:${step.fn}`);
            expect(tx, where).toBeDefined();
            const submitted = !(tx!.tag ?? []).some((tag) => tag === 'EVALUATE' || tag === 'evaluateTx');
            for (const outcome of step.done) {
                if ('ledger' in outcome) {
                    expect(submitted, `${where}: ${outcome.ledger} of an evaluated transaction`).toBe(true);
                }
                if ('answered' in outcome) {
                    expect(submitted, `${where}: an answer of a submitted transaction`).toBe(false);
                }
            }
        }
    });
});
