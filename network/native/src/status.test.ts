import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FabricBackend, type FabricConnection } from '@zhelian/fabric';
import { couchdbEnv } from './docker';
import { main } from './cli';
import { runDir, type RunDir } from './paths';
import { type NetworkState, writeState } from './state';
import { status } from './status';

const STATE: NetworkState = {
    fabricVersion: '3.1.5',
    binDir: '/opt/fabric/bin',
    ports: { orderers: [], peers: {}, chaincodeServers: 9050 },
    channel: 'zhelian',
    batchTimeout: '250ms',
    ordering: 'etcdraft',
};

describe("the Fabric network's state database", () => {
    let run: RunDir;

    beforeEach(async () => {
        run = runDir({ ZHELIAN_FABRIC_DIR: await mkdtemp(path.join(tmpdir(), 'zhelian-run-')) });
    });

    afterEach(async () => {
        await rm(run.root, { recursive: true, force: true });
    });

    it('is named by network:status: LevelDB unless the network was made with CouchDB', async () => {
        await writeState(run, STATE);
        expect((await status(run)).lines[0]).toBe(
            `Fabric 3.1.5 network in ${run.root} (Raft ordering, LevelDB state database; binaries /opt/fabric/bin)`,
        );
        await writeState(run, { ...STATE, stateDatabase: 'couchdb' });
        expect((await status(run)).lines[0]).toMatch(/\(Raft ordering, CouchDB state database; /);
    });

    it('is described by the Fabric backend from the connection description, LevelDB when it names none', () => {
        const connection = {
            format: 1,
            runtime: 'docker',
            fabricVersion: '3.1.5',
            channel: 'zhelian',
            defaultPolicy: 'MAJORITY Endorsement',
            ordering: { type: 'etcdraft', orderers: [] },
            organizations: [{ mspId: 'RegulatorMSP', name: '监管', domain: 'regulator', peers: [], ca: {} }],
            wallet: run.wallet,
            chaincodeServers: [],
        } as unknown as FabricConnection;
        expect(new FabricBackend(run.connectionFile, connection).describe().stateDatabase).toBe('leveldb');
        expect(
            new FabricBackend(run.connectionFile, { ...connection, stateDatabase: 'couchdb' }).describe().stateDatabase,
        ).toBe('couchdb');
    });

    it('keeps one CouchDB admin password per run dir, readable by its owner only', async () => {
        const saved = process.env.ZHELIAN_COUCHDB_PASSWORD;
        process.env.ZHELIAN_COUCHDB_PASSWORD = 'chosen-by-the-user';
        try {
            const first = await couchdbEnv(run);
            expect(first).toEqual({ ZHELIAN_COUCHDB_USER: 'admin', ZHELIAN_COUCHDB_PASSWORD: 'chosen-by-the-user' });
            process.env.ZHELIAN_COUCHDB_PASSWORD = 'changed-later';
            // Each CouchDB keeps the admin its volume was made with: the run dir's password stays.
            expect(await couchdbEnv(run)).toEqual(first);
            const file = path.join(run.root, 'docker', 'couchdb.env');
            expect((await stat(file)).mode & 0o777).toBe(0o600);
            expect(await readFile(file, 'utf8')).toBe(
                'ZHELIAN_COUCHDB_USER=admin\nZHELIAN_COUCHDB_PASSWORD=chosen-by-the-user\n',
            );
            delete process.env.ZHELIAN_COUCHDB_PASSWORD;
            const other = runDir({ ZHELIAN_FABRIC_DIR: path.join(run.root, 'other') });
            expect((await couchdbEnv(other)).ZHELIAN_COUCHDB_PASSWORD).toMatch(/^[A-Za-z0-9_-]{24}$/);
        } finally {
            if (saved === undefined) {
                delete process.env.ZHELIAN_COUCHDB_PASSWORD;
            } else {
                process.env.ZHELIAN_COUCHDB_PASSWORD = saved;
            }
        }
    });

    it('is LevelDB on the native network: up --couchdb without --docker is refused, nothing started', async () => {
        const saved = process.env.ZHELIAN_FABRIC_DIR;
        process.env.ZHELIAN_FABRIC_DIR = run.root;
        const written: string[] = [];
        const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
        try {
            expect(await main(['up', '--couchdb'])).toBe(1);
        } finally {
            stderr.mockRestore();
            if (saved === undefined) {
                delete process.env.ZHELIAN_FABRIC_DIR;
            } else {
                process.env.ZHELIAN_FABRIC_DIR = saved;
            }
        }
        expect(written.join('')).toMatch(
            /^network: The native network runs LevelDB only \(no CouchDB on this machine\): CouchDB needs --docker --couchdb\n$/,
        );
        await expect(stat(run.stateFile)).rejects.toThrow(/ENOENT/);
    });
});
