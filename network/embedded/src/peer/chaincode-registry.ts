import { ErrorCode, ZhelianError } from '@zhelian/api';
import type { ChaincodeDefinition } from '../chaincode/definition';
import type { ChaincodeInvocation, ChaincodeResponse, ShimRequestHandler } from '../chaincode/handler';
import { type ChaincodeHost, type ChaincodeIsolation, type ChaincodePeer, startChaincode } from '../chaincode/host';
import type { RunnerPool } from '../chaincode/runner-pool';
import type { CollectionDefinition } from '../ledger/collections';
import type { StateDatabase } from '../ledger/couch/state-database';
import type { RunningChaincodes } from './endorser';
import type { DeployedChaincodes } from './gateway-service';
import type { ChannelPolicies } from './policies';

/**
 * What one organization's peer runs for a committed definition: an installed package, or the
 * reason it cannot run it (Fabric's words: not approved by this org, or not installed).
 */
export type PeerChaincode = { packageId: string; dir: string } | { refusal: string; code: ErrorCode };

export interface ChaincodeRegistryInit {
    policies: ChannelPolicies;
    channel: string;
    executionTimeoutMs: number;
    isolation: ChaincodeIsolation;
    /** The channel's peers, one per organization. */
    peers: ChaincodePeer[];
    output(chaincodeName: string, text: string): void;
    /** Where each peer's CouchDB indexes go when a package becomes what it runs (LevelDB has none). */
    stateDatabase?: StateDatabase;
    /** Fabric's `ledger.state.totalQueryLimit`; default 100000. */
    totalQueryLimit?: number;
    /** Chaincode runners started ahead, for the first instances to take. */
    runners?: RunnerPool;
}

interface Defined {
    definition: ChaincodeDefinition;
    collections: Map<string, CollectionDefinition>;
    /** By the peer's organization (MSP ID). */
    peers: Map<string, PeerChaincode>;
}

/**
 * The chaincode in force on the channel — committed definitions with their collections, and for
 * each organization's peer the installed package it runs — and the running chaincode hosts, one
 * per chaincode and package, started on first use. The lifecycle (`ChaincodeLifecycleImpl`)
 * decides what is in force; this registry runs it.
 *
 * ```ts
 * registry.define(definition, new Map([['Org1MSP', { packageId, dir }]]));
 * const host = await registry.host('basic');
 * await host.execute(org1Peer, invocation, handler); // Org2MSP's peer would refuse: not installed
 * ```
 */
export class ChaincodeRegistry implements RunningChaincodes, DeployedChaincodes {
    readonly #init: ChaincodeRegistryInit;
    readonly #defined = new Map<string, Defined>();
    /** Keyed by `name packageId`. */
    readonly #hosts = new Map<string, Promise<ChaincodeHost>>();

    constructor(init: ChaincodeRegistryInit) {
        this.#init = init;
    }

    definitions(): ChaincodeDefinition[] {
        return [...this.#defined.values()].map((d) => d.definition);
    }

    definition(name: string): ChaincodeDefinition | undefined {
        return this.#defined.get(name)?.definition;
    }

    collections(name: string): ReadonlyMap<string, CollectionDefinition> {
        return this.#defined.get(name)?.collections ?? new Map();
    }

    runs(name: string, mspId: string): boolean {
        const run = this.#defined.get(name)?.peers.get(mspId);
        return run !== undefined && 'packageId' in run;
    }

    /** What each organization's peer runs for a committed chaincode. */
    peers(name: string): ReadonlyMap<string, PeerChaincode> {
        return this.#defined.get(name)?.peers ?? new Map();
    }

    /**
     * Puts a committed definition in force (or updates what the peers run); stops hosts no peer needs
     * any more. As Fabric does when a chaincode becomes invocable on a peer, each organization's
     * peer creates the CouchDB indexes of the package it runs.
     */
    async define(definition: ChaincodeDefinition, peers: Map<string, PeerChaincode>): Promise<void> {
        for (const [mspId, run] of peers) {
            if ('packageId' in run) {
                await this.#init.stateDatabase?.deployIndexes(
                    mspId,
                    definition.name,
                    definition.collections.map((c) => c.name),
                    run.dir,
                    (line) => this.#init.output(definition.name, `[peer of ${mspId}] ${line}\n`),
                );
            }
        }
        this.#defined.set(definition.name, {
            definition,
            collections: this.#init.policies.collectionDefinitions(definition.collections),
            peers,
        });
        const inUse = new Set(
            [...this.#defined.values()].flatMap(({ definition: d, peers: p }) =>
                [...p.values()].flatMap((run) => ('packageId' in run ? [hostKey(d.name, run.packageId)] : [])),
            ),
        );
        await Promise.all([...this.#hosts.keys()].filter((key) => !inUse.has(key)).map((key) => this.#stop(key)));
    }

    /** Starts every runnable chaincode in the background; the first transaction waits for it. */
    startAll(): void {
        for (const [name, { peers }] of this.#defined) {
            for (const run of peers.values()) {
                if ('packageId' in run) {
                    this.#start(name, run).catch(() => undefined);
                }
            }
        }
    }

    /** Starts a package's host ahead of its definition, e.g. to check that it loads before approving it. */
    async prepare(name: string, run: { packageId: string; dir: string }): Promise<void> {
        await this.#start(name, run);
    }

    /**
     * A committed chaincode, as the endorser reaches it. Each execution runs on the host of the
     * package that the executing peer's organization approved and installed, or fails with
     * Fabric's reason when that peer cannot run it.
     */
    host(name: string): Promise<ChaincodeHost> {
        if (!this.#defined.has(name)) {
            return Promise.reject(
                new ZhelianError(
                    ErrorCode.CHAINCODE_NOT_DEPLOYED,
                    `chaincode ${name} is not deployed on channel ${this.#init.channel}`,
                ),
            );
        }
        return Promise.resolve({
            name,
            execute: (peer: ChaincodePeer, invocation: ChaincodeInvocation, handler: ShimRequestHandler) =>
                this.#execute(name, peer, invocation, handler),
            start: async (peer: ChaincodePeer) => {
                const run = this.#defined.get(name)?.peers.get(peer.mspId);
                if (run && 'packageId' in run) {
                    await (await this.#start(name, run)).start(peer);
                }
            },
            close: async () => undefined,
        });
    }

    /**
     * Starts, in the background, the instances of a chaincode that the given organizations' peers
     * run and that are not running yet. A failed start is left for their first execution to report.
     */
    prestart(name: string, mspIds: readonly string[]): void {
        const runs = this.#defined.get(name)?.peers;
        for (const peer of this.#init.peers.filter((p) => mspIds.includes(p.mspId))) {
            const run = runs?.get(peer.mspId);
            if (run && 'packageId' in run) {
                this.#start(name, run)
                    .then((host) => host.start(peer))
                    .catch(() => undefined);
            }
        }
    }

    /** Stops every chaincode host, and the runners no instance took. */
    async close(): Promise<void> {
        await this.#init.runners?.close();
        await Promise.all([...this.#hosts.keys()].map((key) => this.#stop(key)));
    }

    async #execute(
        name: string,
        peer: ChaincodePeer,
        invocation: ChaincodeInvocation,
        handler: ShimRequestHandler,
    ): Promise<ChaincodeResponse> {
        const run = this.#defined.get(name)?.peers.get(peer.mspId);
        if (!run) {
            throw new ZhelianError(
                ErrorCode.CHAINCODE_NOT_DEPLOYED,
                `chaincode ${name} is not deployed on channel ${this.#init.channel}`,
            );
        }
        if ('refusal' in run) {
            throw new ZhelianError(run.code, run.refusal);
        }
        return (await this.#start(name, run)).execute(peer, invocation, handler);
    }

    #start(name: string, run: { packageId: string; dir: string }): Promise<ChaincodeHost> {
        const key = hostKey(name, run.packageId);
        let host = this.#hosts.get(key);
        if (!host) {
            // The peers whose organizations run this package start together; another peer's
            // instance would start on its first execution.
            const runs = this.#defined.get(name)?.peers;
            const peers = this.#init.peers.filter((peer) => {
                const other = runs?.get(peer.mspId);
                return other && 'packageId' in other && other.packageId === run.packageId;
            });
            host = startChaincode({
                name,
                packageDir: run.dir,
                peers: peers.length > 0 ? peers : this.#init.peers.slice(0, 1),
                executionTimeoutMs: this.#init.executionTimeoutMs,
                isolation: this.#init.isolation,
                ...(this.#init.totalQueryLimit !== undefined ? { totalQueryLimit: this.#init.totalQueryLimit } : {}),
                ...(this.#init.runners ? { runners: this.#init.runners } : {}),
                output: (text) => this.#init.output(name, text),
            });
            host.catch(() => this.#hosts.delete(key));
            this.#hosts.set(key, host);
        }
        return host;
    }

    async #stop(key: string): Promise<void> {
        const host = this.#hosts.get(key);
        this.#hosts.delete(key);
        if (host) {
            await (await host.catch(() => undefined))?.close();
        }
    }
}

function hostKey(name: string, packageId: string): string {
    return `${name} ${packageId}`;
}
