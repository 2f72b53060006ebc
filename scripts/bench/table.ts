/** One line of the benchmark's table; empty cells may be left out. */
export interface Row {
    measure: string;
    value: string;
    p50?: string;
    p99?: string;
    /** CPU time per transaction, all threads of the measuring process. */
    cpu?: string;
    ratio?: string;
    aim?: string;
}

const COLUMNS: { key: keyof Row; title: string; align: 'left' | 'right' }[] = [
    { key: 'measure', title: 'measure', align: 'left' },
    { key: 'value', title: 'value', align: 'right' },
    { key: 'p50', title: 'p50', align: 'right' },
    { key: 'p99', title: 'p99', align: 'right' },
    { key: 'cpu', title: 'CPU/tx', align: 'right' },
    { key: 'ratio', title: 'ratio', align: 'left' },
    { key: 'aim', title: 'vs aim', align: 'left' },
];

/** Plain aligned text: fits a terminal, a CI log and a report pasted as code. */
export function formatTable(rows: Row[]): string {
    const cells = [Object.fromEntries(COLUMNS.map((c) => [c.key, c.title])) as unknown as Row, ...rows].map((row) =>
        COLUMNS.map((c) => row[c.key] ?? ''),
    );
    const widths = COLUMNS.map((_, i) => Math.max(...cells.map((line) => line[i].length)));
    const lines = cells.map((line) =>
        line
            .map((cell, i) => (COLUMNS[i].align === 'left' ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
            .join('  ')
            .trimEnd(),
    );
    lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
    return lines.join('\n') + '\n';
}
