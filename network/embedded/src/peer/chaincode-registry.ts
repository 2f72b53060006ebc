import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode, ZhelianError } from '@zhelian/api';
import type { ChaincodeDefinition, CollectionConfigJson } from '../chaincode/definition';
import { type ChaincodeHost, type ChaincodeIsolation, startChaincode } from '../chaincode/host';
import type { CollectionDefinition } from '../ledger/collections';
import type { LedgerStore } from '../ledger/store';
import type { RunningChaincodes } from './endorser';
import type { DeployedChaincodes } from './gateway-service';
import type { ChannelPolicies } from './policies';

export interface DeployOptions {
    packageDir: string;
    /** Default: the package.json name. */
    name?: string;
    /** Default: the channel's default policy (`MAJORITY Endorsement`). */
    policy?: string;
    /** Fabric collections config, as an array or a JSON file path. */
    collections?: CollectionConfigJson[] | string;
}

export interface ChaincodeRegistryInit {
    store: LedgerStore;
    policies: ChannelPolicies;
    channel: string;
    defaultPolicy: string;
    definitions: ChaincodeDefinition[];
    executionTimeoutMs: number;
    isolation: ChaincodeIsolation;
    output(chaincodeName: string, text: string): void;
}

const META_KEY = 'chaincodes';

/**
 * The chaincode deployed on the channel: definitions (persisted with the ledger), their
 * collections as the peers read them, and the running chaincode hosts, started on first use.
 *
 * ```ts
 * const registry = new ChaincodeRegistry({ …, definitions: await ChaincodeRegistry.stored(store) });
 * await registry.deploy({ packageDir: 'chaincode', collections: 'chaincode/collections_config.json' });
 * const host = await registry.host('zhelian');
 * ```
 */
export class ChaincodeRegistry implements RunningChaincodes, DeployedChaincodes {
    readonly #init: ChaincodeRegistryInit;
    readonly #definitions: Map<string, ChaincodeDefinition>;
    readonly #collections = new Map<string, Map<string, CollectionDefinition>>();
    readonly #hosts = new Map<string, Promise<ChaincodeHost>>();

    constructor(init: ChaincodeRegistryInit) {
        this.#init = init;
        this.#definitions = new Map(init.definitions.map((d) => [d.name, d]));
        for (const definition of init.definitions) {
            this.#collections.set(definition.name, init.policies.collectionDefinitions(definition.collections));
        }
    }

    /** The definitions recorded in a ledger's store. */
    static async stored(store: LedgerStore): Promise<ChaincodeDefinition[]> {
        return (await store.getMeta<ChaincodeDefinition[]>(META_KEY)) ?? [];
    }

    definitions(): ChaincodeDefinition[] {
        return [...this.#definitions.values()];
    }

    definition(name: string): ChaincodeDefinition | undefined {
        return this.#definitions.get(name);
    }

    collections(name: string): ReadonlyMap<string, CollectionDefinition> {
        return this.#collections.get(name) ?? new Map();
    }

    /** Starts every deployed chaincode in the background; the first transaction waits for it. */
    startAll(): void {
        for (const name of this.#definitions.keys()) {
            this.host(name).catch(() => undefined);
        }
    }

    /** The running host of a deployed chaincode, started on first use. */
    host(name: string): Promise<ChaincodeHost> {
        let host = this.#hosts.get(name);
        if (!host) {
            const definition = this.#definitions.get(name);
            if (!definition) {
                return Promise.reject(
                    new ZhelianError(
                        ErrorCode.CHAINCODE_NOT_DEPLOYED,
                        `chaincode ${name} is not deployed on channel ${this.#init.channel}`,
                    ),
                );
            }
            host = startChaincode({
                name,
                packageDir: definition.packageDir,
                executionTimeoutMs: this.#init.executionTimeoutMs,
                isolation: this.#init.isolation,
                output: (text) => this.#init.output(name, text),
            });
            host.catch(() => this.#hosts.delete(name));
            this.#hosts.set(name, host);
        }
        return host;
    }

    /**
     * Deploys (or upgrades with sequence + 1) a chaincode package: starts it, checks that it
     * answers, and records the definition so that a restart brings it back. On failure the
     * previous definition stays in force.
     */
    async deploy(options: DeployOptions): Promise<ChaincodeDefinition> {
        const packageDir = path.resolve(options.packageDir);
        const manifestPath = path.join(packageDir, 'package.json');
        if (!existsSync(manifestPath)) {
            throw new ZhelianError(
                ErrorCode.INVALID_CHAINCODE_PACKAGE,
                `${packageDir} is not a chaincode package: it has no package.json`,
            );
        }
        const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { name?: string };
        const name = options.name ?? manifest.name;
        if (!name || !/^[A-Za-z0-9_-]+$/.test(name)) {
            throw new ZhelianError(
                ErrorCode.INVALID_CHAINCODE_PACKAGE,
                `chaincode name ${JSON.stringify(name)} is invalid: use letters, digits, dashes and underscores`,
            );
        }
        const collections =
            typeof options.collections === 'string'
                ? await readCollections(options.collections)
                : (options.collections ?? []);
        const policy = options.policy ?? this.#init.defaultPolicy;
        this.#init.policies.checkPolicy(policy);
        const previous = this.#definitions.get(name);
        const definition: ChaincodeDefinition = {
            name,
            packageDir,
            policy,
            collections,
            sequence: (previous?.sequence ?? 0) + 1,
        };
        const collectionMap = this.#init.policies.collectionDefinitions(collections);

        await this.#stop(name);
        this.#definitions.set(name, definition);
        this.#collections.set(name, collectionMap);
        try {
            await this.host(name);
        } catch (err) {
            this.#hosts.delete(name);
            if (previous) {
                this.#definitions.set(name, previous);
                this.#collections.set(name, this.#init.policies.collectionDefinitions(previous.collections));
            } else {
                this.#definitions.delete(name);
                this.#collections.delete(name);
            }
            throw err;
        }
        await this.#init.store.putMeta(META_KEY, this.definitions());
        return definition;
    }

    /** Stops every chaincode host. */
    async close(): Promise<void> {
        await Promise.all([...this.#hosts.keys()].map((name) => this.#stop(name)));
    }

    async #stop(name: string): Promise<void> {
        const host = this.#hosts.get(name);
        this.#hosts.delete(name);
        if (host) {
            await (await host.catch(() => undefined))?.close();
        }
    }
}

async function readCollections(file: string): Promise<CollectionConfigJson[]> {
    try {
        return JSON.parse(await readFile(file, 'utf8')) as CollectionConfigJson[];
    } catch (err) {
        throw new ZhelianError(
            ErrorCode.INVALID_COLLECTIONS,
            `cannot read collections config ${file}: ${(err as Error).message}`,
        );
    }
}
