import { performance } from 'node:perf_hooks';
import { BENCH_CHAINCODE_DIR, report } from './measure';

/**
 * Child process of the benchmark: time from process start to the first committed transaction.
 * `node start.js <dataDir> cold` opens a fresh data dir with the zhelian topology and deploys the
 * benchmark chaincode; `warm` reopens a data dir where it is deployed. Module loading counts:
 * the ledger is imported only once the clock runs.
 */
async function main(): Promise<void> {
    const bootMs = performance.now();
    const [dataDir, mode] = process.argv.slice(2);
    if (!dataDir || (mode !== 'cold' && mode !== 'warm')) {
        throw new Error('usage: start.js <dataDir> cold|warm');
    }
    let mark = bootMs;
    const lap = (): number => {
        const now = performance.now();
        const elapsed = now - mark;
        mark = now;
        return elapsed;
    };

    const { EmbeddedLedger } = await import('@zhelian/embedded');
    const loadModulesMs = lap();
    const ledger = await EmbeddedLedger.open({ dataDir, topology: 'zhelian' });
    try {
        const openMs = lap();
        let deployMs: number | undefined;
        if (mode === 'cold') {
            await ledger.deploy({ packageDir: BENCH_CHAINCODE_DIR, name: 'bench' });
            deployMs = lap();
        }
        const contract = (await ledger.connect({ mspId: 'MemberMSP', name: 'zheyi' }))
            .getNetwork(ledger.channel)
            .getContract('bench', 'bench');
        await contract.submitTransaction('put', `${mode}-start`, 'v');
        const firstTxMs = lap();
        await report({ kind: 'start', bootMs, loadModulesMs, openMs, deployMs, firstTxMs, totalMs: performance.now() });
    } finally {
        await ledger.close();
    }
}

main().catch((err: unknown) => {
    process.stderr.write(`bench start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
});
