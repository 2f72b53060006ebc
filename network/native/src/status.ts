import { existsSync } from 'node:fs';
import { FabricBackend, readConnection } from '@zhelian/fabric';
import type { RunDir } from './paths';
import { listProcesses } from './processes';
import { readState } from './state';

/** What runs, from the run dir's pid files, and what the channel holds when the peers answer. */
export async function status(run: RunDir): Promise<{ running: boolean; lines: string[] }> {
    const state = await readState(run);
    if (!state) {
        return { running: false, lines: [`No network in ${run.root}: \`npm run network:up\` starts one`] };
    }
    const processes = await listProcesses(run);
    const stateDatabase = state.stateDatabase === 'couchdb' ? 'CouchDB' : 'LevelDB';
    const ordering = state.ordering === 'BFT' ? 'BFT' : 'Raft';
    const lines = [
        `Fabric ${state.fabricVersion} network in ${run.root} (${ordering} ordering, ${stateDatabase} state database; binaries ${state.binDir})`,
    ];
    for (const p of processes) {
        lines.push(`  ${p.alive ? 'running' : 'stopped'}  ${p.name.padEnd(24)} pid ${p.pid}  log ${p.log}`);
    }
    const running = processes.length > 0 && processes.every((p) => p.alive);
    if (running && existsSync(run.connectionFile)) {
        const backend = new FabricBackend(run.connectionFile, await readConnection(run.connectionFile));
        try {
            await backend.refreshChaincodes();
            const info = backend.describe();
            lines.push(`  channel ${info.channel}: height ${await backend.explorer.getHeight()}`);
            for (const cc of info.chaincodes) {
                lines.push(
                    `  chaincode ${cc.name} sequence ${cc.sequence} (${cc.policy}; ${cc.collections.length} collections)`,
                );
            }
            lines.push(`  connection description: ${run.connectionFile}`);
        } catch (err) {
            lines.push(`  the peers do not answer: ${(err as Error).message}`);
        } finally {
            await backend.close();
        }
    } else if (processes.some((p) => p.alive)) {
        lines.push('  some processes are stopped: `npm run network:down` then `npm run network:up` restarts them');
    } else {
        lines.push('  stopped; `npm run network:up` resumes it');
    }
    return { running, lines };
}
