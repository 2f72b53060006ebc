import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// A smoke test: the benchmark runs end to end and prints every row. Timings are never asserted.
const bench = path.join(__dirname, '..', 'dist', 'bench', 'embedded.js');

describe('embedded benchmark --quick', () => {
    it('prints one table with every measurement', async () => {
        if (!existsSync(bench)) {
            throw new Error(`${bench} is missing: build with \`npx tsc -b\` first`);
        }
        const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
            execFile(process.execPath, [bench, '--quick'], { timeout: 170_000 }, (err, out, errOut) =>
                err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve({ stdout: out, stderr: errOut }),
            );
        });
        expect(stderr).not.toMatch(/^ {4}at /m);
        const lines = stdout.trimEnd().split('\n');
        expect(lines[0].split(/\s{2,}/)).toEqual(['measure', 'value', 'p50', 'p99', 'CPU/tx', 'ratio', 'vs aim']);
        const expectRow = (measure: RegExp): void => {
            expect(
                lines.filter((line) => measure.test(line)),
                `one row matching ${measure}`,
            ).toHaveLength(1);
        };
        for (const phase of ['node boot', 'load modules', 'open data dir', 'deploy chaincode', 'first tx committed']) {
            expectRow(new RegExp(`^cold start: ${phase} +\\d+ ms$`));
        }
        expectRow(/^cold start: total, spawn to committed +\d+ ms .*of 1 s/);
        expectRow(/^warm restart: total, spawn to committed +\d+ ms .*of 1 s/);
        expect(lines.filter((line) => line.startsWith('warm restart: deploy'))).toEqual([]);

        const load = '\\d+ tx/s +\\d+ ms +\\d+ ms +\\d+ µs';
        const met = '\\((met|missed)\\)';
        expectRow(
            new RegExp(`^zhelian c1, 3 endorsements, blocks ≤100, \\d+ txs +${load} +p50 [\\d.]+× of 5 ms ${met}$`),
        );
        expectRow(new RegExp(`^zhelian c16, 3 endorsements, blocks ≤100, \\d+ txs +${load} +[\\d.]+× of c1$`));
        expectRow(
            new RegExp(
                `^zhelian c64, 3 endorsements, blocks ≤100, \\d+ txs +${load} +[\\d.]+× of c1 +[\\d.]+× of 1200 tx/s ${met}; p99 [\\d.]+× of 100 ms ${met}; CPU [\\d.]+× of 1300 µs ${met}$`,
            ),
        );
        for (const concurrency of [1, 64]) {
            expectRow(
                new RegExp(
                    `^zhelian c${concurrency}, 3 endorsements, blocks ≤100, \\d+ txs, commits not synced +${load} +[\\d.]+× of synced c${concurrency}$`,
                ),
            );
        }
        expectRow(
            new RegExp(
                `^zhelian c64, 3 endorsements, blocks ≤100, \\d+ txs, on one core +${load} +[\\d.]+× of \\d+ cores$`,
            ),
        );
        expectRow(
            new RegExp(
                `^test-network c64, 2 endorsements, blocks ≤10, \\d+ txs +${load} +[\\d.]+× of zhelian c64 +[\\d.]+× of 1800 tx/s ${met}$`,
            ),
        );
        expectRow(
            new RegExp(`^test-network c64, 2 endorsements, blocks ≤100, \\d+ txs +${load} +[\\d.]+× of zhelian c64$`),
        );
        expect(stdout).not.toMatch(/invalid/);

        for (const concurrency of [1, 16, 64]) {
            for (const [kind, transaction] of [
                ['write', 'evidence:depositEvidence'],
                ['read', 'evidence:verifyEvidence'],
            ]) {
                const aim =
                    kind === 'write' && concurrency === 64
                        ? ' +[\\d.]+× of 85 % of in-process \\((met|missed)\\)'
                        : kind === 'read' && concurrency === 16
                          ? ' +[\\d.]+× of 10 ms p99 \\((met|missed)\\)'
                          : '';
                expectRow(
                    new RegExp(
                        `^gateway ${kind} c${concurrency}, ${transaction} over HTTP, \\d+ calls +\\d+ tx/s +\\d+ ms +\\d+ ms +[\\d.]+× of in-process \\d+ tx/s \\(p99 \\d+ ms\\)${aim}$`,
                    ),
                );
            }
        }

        const query = '[\\d.]+ ms +[\\d.]+ ms +[\\d.]+ ms +\\d+ µs';
        const of = (what: string) => `[\\d.]+× of ${what} \\(CPU [\\d.]+×\\)`;
        const over = 'over 1,000 JSON records, 100 found, CouchDB';
        expectRow(new RegExp(`^rich query ${over}, no usable index \\(owner\\) +${query} +${of('range query')}$`));
        expectRow(
            new RegExp(
                `^rich query ${over}, index indexOwner \\(docType, owner\\) +${query} +${of('no index')}; ${of('range query')}$`,
            ),
        );
        expectRow(new RegExp(`^range query over the same 100 keys, CouchDB +${query}$`));
        expectRow(new RegExp(`^range query over the same 100 keys, LevelDB +${query} +${of('CouchDB')}$`));

        for (const topology of ['zhelian', 'test-network']) {
            expectRow(
                new RegExp(
                    `^peak RSS, ${topology} ledger process, chaincode in worker threads \\(one per endorsing peer\\) +\\d+ MB +[\\d.]+× of 300 MB`,
                ),
            );
        }
        expect(lines[lines.length - 1]).toMatch(/^one round; load average [\d.]+ before, [\d.]+ after, on \d+ CPUs$/);
        expect(lines).toHaveLength(2 + 6 + 5 + 6 + 2 + 6 + 4 + 2 + 1);
    }, 180_000);
});
