import type { RichQueryReport, RichQueryResult } from './rich-query';
import type { Row } from './table';

const ms = (value: number): string => `${value.toFixed(1)} ms`;
const times = (value: number): string => `${value.toFixed(2)}×`;
const count = (value: number): string => value.toLocaleString('en-US');

/**
 * The rich-query rows: each query's median time, its p99 and the CPU it used, the rich queries
 * as ratios of the range query that finds the same records, the index as a ratio of no index,
 * and LevelDB's range query as a ratio of CouchDB's, each in time and in CPU.
 */
export function richQueryRows(report: RichQueryReport): Row[] {
    const result = (name: RichQueryResult['name']): RichQueryResult => {
        const found = report.results.find((r) => r.name === name);
        if (!found) {
            throw new Error(`the rich-query child reported no ${name}`);
        }
        return found;
    };
    const noIndex = result('rich query, no usable index');
    const index = result('rich query, index');
    const range = result('range query');
    const levelRange = result('range query, LevelDB');
    const over = `${count(report.records)} JSON records, ${count(report.found)} found`;
    const row = (measure: string, query: RichQueryResult, ratio: string): Row => ({
        measure,
        value: ms(query.p50Ms),
        p50: ms(query.p50Ms),
        p99: ms(query.p99Ms),
        cpu: `${query.cpuMicros.toFixed(0)} µs`,
        ratio,
    });
    // Time and CPU side by side: on a busy machine the CPU ratio moves less between runs.
    const of = (query: RichQueryResult, base: RichQueryResult, label: string): string =>
        `${times(query.p50Ms / base.p50Ms)} of ${label} (CPU ${times(query.cpuMicros / base.cpuMicros)})`;
    return [
        row(`rich query over ${over}, CouchDB, no usable index (owner)`, noIndex, of(noIndex, range, 'range query')),
        row(
            `rich query over ${over}, CouchDB, index indexOwner (docType, owner)`,
            index,
            `${of(index, noIndex, 'no index')}; ${of(index, range, 'range query')}`,
        ),
        row(`range query over the same ${count(report.found)} keys, CouchDB`, range, ''),
        row(
            `range query over the same ${count(report.found)} keys, LevelDB`,
            levelRange,
            of(levelRange, range, 'CouchDB'),
        ),
    ];
}
