import { readFile, writeFile } from 'node:fs/promises';
import type { FabricConnection } from '@zhelian/fabric';
import type { RunDir } from './paths';
import type { Ordering } from './nodes';
import type { PortPlan } from './ports';

/** What `up` decided for a run dir, so that `down`, `status`, `deploy` and a resumed `up` agree. */
export interface NetworkState {
    fabricVersion: string;
    binDir: string;
    ports: PortPlan;
    channel: string;
    /** Seconds, as configtx.yaml's BatchTimeout. */
    batchTimeout: string;
    ordering: Ordering;
    /**
     * The peers' state database: `couchdb` only for the Docker network with its CouchDB override
     * (`up --docker --couchdb`); absent means LevelDB, as every network before CouchDB was offered.
     */
    stateDatabase?: 'leveldb' | 'couchdb';
}

export async function readState(run: RunDir): Promise<NetworkState | undefined> {
    try {
        return JSON.parse(await readFile(run.stateFile, 'utf8')) as NetworkState;
    } catch {
        return undefined;
    }
}

export async function writeState(run: RunDir, state: NetworkState): Promise<void> {
    await writeFile(run.stateFile, `${JSON.stringify(state, null, 2)}\n`);
}

/** The connection description as written (paths relative to it), for the next chaincode server. */
export async function readRawConnection(run: RunDir): Promise<FabricConnection | undefined> {
    try {
        return JSON.parse(await readFile(run.connectionFile, 'utf8')) as FabricConnection;
    } catch {
        return undefined;
    }
}

export async function writeConnection(run: RunDir, connection: FabricConnection): Promise<void> {
    await writeFile(run.connectionFile, `${JSON.stringify(connection, null, 2)}\n`);
}
