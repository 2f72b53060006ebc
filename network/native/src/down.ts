import { rm } from 'node:fs/promises';
import type { RunDir } from './paths';
import { listProcesses } from './processes';
import type { Progress } from './progress';
import { stopAll } from './runner';

/**
 * Stops exactly the processes `up` started (by their pid files): chaincode servers, then peers,
 * then the orderer. The ledgers stay for the next `up` to resume, unless `wipe` removes the run dir.
 */
export async function down(run: RunDir, progress: Progress, { wipe = false } = {}): Promise<void> {
    const processes = await listProcesses(run);
    const alive = processes.filter((p) => p.alive);
    progress.step(
        alive.length > 0 ? `Stopping ${alive.map((p) => `${p.name} (${p.pid})`).join(', ')}` : 'Nothing is running',
    );
    await stopAll(run);
    if (wipe) {
        await rm(run.root, { recursive: true, force: true });
        progress.step(`Removed ${run.root}: the next \`network:up\` starts a new network`);
    } else if (processes.length > 0) {
        progress.step(
            `Ledgers kept in ${run.root}: \`network:up\` resumes them, \`network:down -- --wipe\` removes them`,
        );
    }
}
