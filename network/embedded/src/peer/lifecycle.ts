import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
    type ApproveRequest,
    type ChaincodeDefinitionRequest,
    type ChaincodeInfo,
    type ChaincodeLifecycle,
    type ChaincodePackageInfo,
    type CommitReadiness,
    type CommittedChaincode,
    type DeployedChaincode,
    ErrorCode,
    type InstalledChaincodeInfo,
    type PackageRequest,
    ZhelianError,
} from '@zhelian/api';
import {
    type ChaincodeDefinition,
    checkCollectionsUpgrade,
    checkNameAndVersion,
    type CollectionConfigJson,
    CollectionsConfigError,
    DefinitionError,
    parameterMismatch,
    parseCollectionsConfig,
} from '../chaincode/definition';
import type { LedgerStore } from '../ledger/store';
import { type ChannelPolicy, parseEndorsementPolicy } from '../policy';
import type { InstalledChaincodes } from './chaincode-install';
import { ChaincodePackageError, packageChaincode } from './chaincode-package';
import type { ChaincodeRegistry, PeerChaincode } from './chaincode-registry';
import type { ChannelPolicies } from './policies';

/** The one-shot `deploy`: a package directory and the definition's parameters. */
export interface DeployOptions {
    packageDir: string;
    /** Default: the package.json name. */
    name?: string;
    /** Default: the package.json version, else `1.0`. */
    version?: string;
    /** Default: the channel's default policy (`MAJORITY Endorsement`). */
    policy?: string;
    /** Fabric collections config, as an array or a JSON file path. */
    collections?: CollectionConfigJson[] | string;
}

export interface ChaincodeLifecycleInit {
    store: LedgerStore;
    /** Where installed packages are kept (`<dataDir>/lifecycle`) and what packaging leaves out (the data dir). */
    dataDir: string;
    channel: string;
    orgs: string[];
    defaultPolicy: string;
    /** The channel's LifecycleEndorsement policy, e.g. `MAJORITY Endorsement`. */
    lifecycleEndorsement: string;
    policies: ChannelPolicies;
    installed: InstalledChaincodes;
    registry: ChaincodeRegistry;
}

/** A definition as the steps and `deploy` give it, before it is checked. */
interface DefinitionInput {
    name: string;
    sequence: number;
    version?: string;
    policy?: string;
    collections?: CollectionConfigJson[] | string;
}

/** One organization's approval: the definition, and the package its peers run. */
interface Approval {
    definition: ChaincodeDefinition;
    /** Empty: the organization agrees to the definition but its peers run no package. */
    packageId: string;
}

/** Approvals by `name#sequence`, then by MSP ID, as Fabric keys them in each org's implicit collection. */
type Approvals = Record<string, Record<string, Approval>>;

/** Committed definitions as stored before the lifecycle had steps: run in place from `packageDir`. */
type StoredDefinition = ChaincodeDefinition & { packageDir?: string };

const COMMITTED_KEY = 'chaincodes';
const APPROVALS_KEY = 'approvals';

/**
 * Fabric's chaincode lifecycle (`_lifecycle`) on the embedded channel, with Fabric's rules:
 * packages are installed per organization and named `label:hash`; each organization approves a
 * definition with the package its peers run; a definition commits once the approvals satisfy the
 * channel's LifecycleEndorsement policy, with sequence = committed + 1; a peer runs a chaincode
 * only when its organization approved the committed definition and installed that package.
 * Approvals and definitions are kept in the ledger's database and survive a restart; unlike
 * Fabric they are not transactions in blocks.
 *
 * ```ts
 * const { packageId } = await lifecycle.install('Org1MSP', 'basic.tar.gz');
 * await lifecycle.approve('Org1MSP', { name: 'basic', sequence: 1, packageId });
 * await lifecycle.commit({ name: 'basic', sequence: 1 }); // refused: Org2MSP has not approved
 * ```
 */
export class ChaincodeLifecycleImpl implements ChaincodeLifecycle {
    readonly #init: ChaincodeLifecycleInit;
    readonly #approvals: Approvals;
    readonly #lifecyclePolicy: ChannelPolicy;

    private constructor(init: ChaincodeLifecycleInit, approvals: Approvals) {
        this.#init = init;
        this.#approvals = approvals;
        this.#lifecyclePolicy = parseEndorsementPolicy(init.lifecycleEndorsement, init.orgs);
    }

    /** Reads the stored definitions and approvals and puts the committed definitions in force. */
    static async open(init: ChaincodeLifecycleInit): Promise<ChaincodeLifecycleImpl> {
        const approvals = (await init.store.getMeta<Approvals>(APPROVALS_KEY)) ?? {};
        const lifecycle = new ChaincodeLifecycleImpl(init, approvals);
        for (const stored of (await init.store.getMeta<StoredDefinition[]>(COMMITTED_KEY)) ?? []) {
            const { packageDir, ...definition } = { ...stored, version: stored.version ?? '1.0' };
            if (packageDir !== undefined) {
                await lifecycle.#adoptInPlaceDefinition(definition, packageDir);
            }
            await init.registry.define(definition, lifecycle.#peers(definition));
        }
        return lifecycle;
    }

    /** Whether a data dir's ledger has committed chaincode definitions (which its peers start on open). */
    static async hasDefinitions(store: LedgerStore): Promise<boolean> {
        return ((await store.getMeta<StoredDefinition[]>(COMMITTED_KEY)) ?? []).length > 0;
    }

    async package(request: PackageRequest): Promise<ChaincodePackageInfo> {
        const pkg = await packageChaincode(request.packageDir, request.label, [this.#init.dataDir]);
        const file = path.resolve(request.file);
        await writeFile(file, pkg.bytes);
        return { packageId: pkg.packageId, label: pkg.label, file };
    }

    async install(mspId: string, packageFile: string): Promise<InstalledChaincodeInfo> {
        this.#checkOrg(mspId);
        let bytes: Buffer;
        try {
            bytes = await readFile(packageFile);
        } catch (err) {
            throw new ChaincodePackageError(`cannot read chaincode package ${packageFile}: ${(err as Error).message}`);
        }
        const installed = await this.#init.installed.install(mspId, bytes, packageFile);
        await this.#redefineAll();
        return this.#describeInstalled(mspId, installed.packageId, installed.label);
    }

    async queryInstalled(mspId: string): Promise<InstalledChaincodeInfo[]> {
        this.#checkOrg(mspId);
        return this.#init.installed
            .installedOn(mspId)
            .map((installed) => this.#describeInstalled(mspId, installed.packageId, installed.label));
    }

    async approve(mspId: string, request: ApproveRequest): Promise<void> {
        this.#checkOrg(mspId);
        await this.#approve(mspId, await this.#definition(request), request.packageId ?? '');
    }

    async checkCommitReadiness(request: ChaincodeDefinitionRequest): Promise<CommitReadiness> {
        return this.#readiness(await this.#definition(request));
    }

    async commit(request: ChaincodeDefinitionRequest): Promise<CommittedChaincode> {
        return this.#commit(await this.#definition(request));
    }

    async queryCommitted(name?: string): Promise<CommittedChaincode[]> {
        const { registry } = this.#init;
        if (name !== undefined && !registry.definition(name)) {
            throw new ZhelianError(ErrorCode.CHAINCODE_NOT_DEPLOYED, `namespace ${name} is not defined`);
        }
        const definitions = name === undefined ? registry.definitions() : [registry.definition(name)!];
        return definitions.map((definition) => this.#describeCommitted(definition));
    }

    /**
     * The shortcut: package the directory (label = chaincode name), install it on every
     * organization's peer that lacks it, check that it starts, approve it for every organization
     * with the next sequence, commit. When the same package runs under the same parameters
     * already, nothing changes. On failure the definition in force stays.
     */
    async deploy(options: DeployOptions): Promise<DeployedChaincode> {
        const packageDir = path.resolve(options.packageDir);
        const manifest = await readManifest(packageDir);
        const name = options.name ?? manifest.name ?? '';
        checkNameAndVersion(name, options.version ?? manifest.version ?? '1.0');
        const pkg = await packageChaincode(packageDir, name, [this.#init.dataDir]);
        const committed = this.#init.registry.definition(name);
        const definition = await this.#definition({
            name,
            sequence: (committed?.sequence ?? 0) + 1,
            version: options.version ?? manifest.version ?? '1.0',
            ...(options.policy !== undefined ? { policy: options.policy } : {}),
            ...(options.collections !== undefined ? { collections: options.collections } : {}),
        });
        const peers = [...this.#init.registry.peers(name).values()];
        const inForce =
            committed !== undefined &&
            parameterMismatch(committed, definition) === undefined &&
            peers.length === this.#init.orgs.length &&
            peers.every((run) => 'packageId' in run && run.packageId === pkg.packageId);
        if (inForce) {
            return { ...this.#describeCommitted(committed), packageId: pkg.packageId };
        }
        const { installed } = this.#init;
        for (const org of this.#init.orgs.filter((mspId) => !installed.isInstalled(mspId, pkg.packageId))) {
            await installed.install(org, pkg.bytes, packageDir);
        }
        const built = installed.get(pkg.packageId)!;
        await this.#init.registry.prepare(name, { packageId: pkg.packageId, dir: built.dir });
        for (const org of this.#init.orgs) {
            const previous = this.#approvals[approvalKey(name, definition.sequence)]?.[org];
            const unchanged =
                previous?.packageId === pkg.packageId && !parameterMismatch(previous.definition, definition);
            if (!unchanged) {
                await this.#approve(org, definition, pkg.packageId);
            }
        }
        return { ...(await this.#commit(definition)), packageId: pkg.packageId };
    }

    /** The package ids each organization's peers run for a committed chaincode. */
    packageIds(name: string): Record<string, string> {
        return Object.fromEntries(
            [...this.#init.registry.peers(name)].flatMap(([mspId, run]) =>
                'packageId' in run ? [[mspId, run.packageId]] : [],
            ),
        );
    }

    async #approve(mspId: string, definition: ChaincodeDefinition, packageId: string): Promise<void> {
        const { name, sequence } = definition;
        const committed = this.#init.registry.definition(name);
        const current = committed?.sequence ?? 0;
        if (sequence === 0 && current === 0) {
            throw new DefinitionError('requested sequence is 0, but first definable sequence number is 1');
        }
        if (sequence < current) {
            throw new DefinitionError(
                `currently defined sequence ${current} is larger than requested sequence ${sequence}`,
            );
        }
        if (sequence > current + 1) {
            throw new DefinitionError(
                `requested sequence ${sequence} is larger than the next available sequence number ${current + 1}`,
            );
        }
        if (committed) {
            checkCollectionsUpgrade(committed.collections, definition.collections);
        }
        const previous = this.#approvals[approvalKey(name, sequence)]?.[mspId];
        const unchanged =
            previous !== undefined &&
            previous.packageId === packageId &&
            parameterMismatch(previous.definition, definition) === undefined;
        if (committed && sequence === current) {
            const mismatch = parameterMismatch(committed, definition);
            if (mismatch) {
                throw new DefinitionError(
                    `attempted to redefine the current committed sequence (${current}) for namespace ${name} with different parameters: ${mismatch}`,
                );
            }
            if (unchanged) {
                throw new DefinitionError(
                    `attempted to redefine the current committed sequence (${current}) for namespace ${name}`,
                );
            }
        } else if (unchanged) {
            throw new DefinitionError(
                `attempted to redefine uncommitted sequence (${sequence}) for namespace ${name} with unchanged content`,
            );
        }
        (this.#approvals[approvalKey(name, sequence)] ??= {})[mspId] = { definition, packageId };
        await this.#init.store.putMeta(APPROVALS_KEY, this.#approvals);
        if (committed && sequence === current) {
            await this.#init.registry.define(committed, this.#peers(committed));
        }
    }

    #readiness(definition: ChaincodeDefinition): CommitReadiness {
        const current = this.#init.registry.definition(definition.name)?.sequence ?? 0;
        if (definition.sequence !== current + 1) {
            throw new DefinitionError(
                `requested sequence is ${definition.sequence}, but new definition must be sequence ${current + 1}`,
            );
        }
        const approvals = this.#approvalsOf(definition);
        return { name: definition.name, sequence: definition.sequence, approvals, ready: this.#satisfied(approvals) };
    }

    async #commit(definition: ChaincodeDefinition): Promise<CommittedChaincode> {
        const { registry, store } = this.#init;
        const readiness = this.#readiness(definition);
        const committed = registry.definition(definition.name);
        if (committed) {
            checkCollectionsUpgrade(committed.collections, definition.collections);
        }
        if (!readiness.ready) {
            const approved = Object.keys(readiness.approvals).filter((org) => readiness.approvals[org]);
            const missing = Object.keys(readiness.approvals).filter((org) => !readiness.approvals[org]);
            throw new ZhelianError(
                ErrorCode.DEFINITION_NOT_APPROVED,
                `chaincode definition for '${definition.name}' at sequence ${definition.sequence} cannot be committed: transaction invalidated with status (ENDORSEMENT_POLICY_FAILURE): ` +
                    `approved by ${approved.join(', ') || 'no organization'}, not agreed to by ${missing.join(', ')}; ` +
                    `the channel's LifecycleEndorsement policy is ${this.#lifecyclePolicy.describe()}`,
            );
        }
        await registry.define(definition, this.#peers(definition));
        await store.putMeta(COMMITTED_KEY, registry.definitions());
        return this.#describeCommitted(definition);
    }

    /** A definition from a request: checked as `_lifecycle` checks it, defaults filled in. */
    async #definition(request: DefinitionInput): Promise<ChaincodeDefinition> {
        const version = request.version ?? '1.0';
        checkNameAndVersion(request.name, version);
        if (!Number.isSafeInteger(request.sequence) || request.sequence < 0) {
            throw new DefinitionError(`invalid sequence ${request.sequence}: a sequence is a whole number, 1 or more`);
        }
        const policy = request.policy ?? this.#init.defaultPolicy;
        this.#init.policies.checkPolicy(policy);
        return {
            name: request.name,
            sequence: request.sequence,
            version,
            policy,
            collections: await this.#collections(request.collections),
        };
    }

    /** Reads and checks a collections config: Fabric's JSON, member organizations on this channel. */
    async #collections(source: CollectionConfigJson[] | string | undefined): Promise<CollectionConfigJson[]> {
        if (source === undefined) {
            return [];
        }
        let collections: CollectionConfigJson[];
        let where: string;
        if (typeof source === 'string') {
            where = source;
            let json: unknown;
            try {
                json = JSON.parse(await readFile(source, 'utf8'));
            } catch (err) {
                throw new CollectionsConfigError(`cannot read collections config ${source}: ${(err as Error).message}`);
            }
            collections = parseCollectionsConfig(json, source);
        } else {
            where = '(given)';
            collections = parseCollectionsConfig(source, where);
        }
        let memberships;
        try {
            memberships = this.#init.policies.collectionDefinitions(collections);
        } catch (err) {
            throw new CollectionsConfigError(
                `collections config ${where} has an invalid policy: ${(err as Error).message}`,
            );
        }
        for (const collection of collections) {
            const stranger = memberships.get(collection.name)?.memberOrgs.find((org) => !this.#init.orgs.includes(org));
            if (stranger) {
                throw new CollectionsConfigError(
                    `collections config ${where}: collection-name: ${collection.name} -- collection member '${stranger}' is not part of the channel`,
                );
            }
        }
        return collections;
    }

    /** Which organizations approved exactly this definition (parameters and sequence). */
    #approvalsOf(definition: ChaincodeDefinition): Record<string, boolean> {
        const approvals = this.#approvals[approvalKey(definition.name, definition.sequence)] ?? {};
        return Object.fromEntries(
            this.#init.orgs.map((org) => {
                const approval = approvals[org];
                return [org, approval !== undefined && !parameterMismatch(approval.definition, definition)];
            }),
        );
    }

    #satisfied(approvals: Record<string, boolean>): boolean {
        return this.#lifecyclePolicy.evaluate(
            Object.keys(approvals)
                .filter((org) => approvals[org])
                .map((mspId) => ({ mspId, nodeOU: 'peer' })),
        );
    }

    /** What each organization's peer runs for a committed definition, or why it cannot. */
    #peers(definition: ChaincodeDefinition): Map<string, PeerChaincode> {
        const { name, sequence } = definition;
        const approvals = this.#approvals[approvalKey(name, sequence)] ?? {};
        return new Map(
            this.#init.orgs.map((org): [string, PeerChaincode] => {
                const approval = approvals[org];
                if (!approval || parameterMismatch(approval.definition, definition)) {
                    return [
                        org,
                        {
                            code: ErrorCode.DEFINITION_NOT_APPROVED,
                            refusal: `chaincode definition for '${name}' at sequence ${sequence} on channel '${this.#init.channel}' has not yet been approved by this org`,
                        },
                    ];
                }
                const installed = this.#init.installed;
                if (!approval.packageId || !installed.isInstalled(org, approval.packageId)) {
                    return [
                        org,
                        {
                            code: ErrorCode.CHAINCODE_NOT_INSTALLED,
                            refusal: `chaincode definition for '${name}' exists, but chaincode is not installed`,
                        },
                    ];
                }
                return [org, { packageId: approval.packageId, dir: installed.get(approval.packageId)!.dir }];
            }),
        );
    }

    /** After an install, a peer may now run what its organization approved. */
    async #redefineAll(): Promise<void> {
        for (const definition of this.#init.registry.definitions()) {
            await this.#init.registry.define(definition, this.#peers(definition));
        }
    }

    /**
     * A definition stored by the one-step deploy of earlier versions ran its directory in place:
     * package that directory now and record it as installed and approved by every organization,
     * as that deploy implied. Without the directory, the peers refuse it until it is redeployed.
     */
    async #adoptInPlaceDefinition(definition: ChaincodeDefinition, packageDir: string): Promise<void> {
        if (!existsSync(path.join(packageDir, 'package.json'))) {
            return;
        }
        const pkg = await packageChaincode(packageDir, definition.name, [this.#init.dataDir]);
        for (const org of this.#init.orgs) {
            if (!this.#init.installed.isInstalled(org, pkg.packageId)) {
                await this.#init.installed.install(org, pkg.bytes, packageDir);
            }
            (this.#approvals[approvalKey(definition.name, definition.sequence)] ??= {})[org] = {
                definition,
                packageId: pkg.packageId,
            };
        }
        await this.#init.store.putMeta(APPROVALS_KEY, this.#approvals);
        const others = ((await this.#init.store.getMeta<StoredDefinition[]>(COMMITTED_KEY)) ?? []).map((stored) =>
            stored.name === definition.name ? definition : stored,
        );
        await this.#init.store.putMeta(COMMITTED_KEY, others);
    }

    #checkOrg(mspId: string): void {
        if (!this.#init.orgs.includes(mspId)) {
            throw new ZhelianError(
                ErrorCode.UNKNOWN_ORGANIZATION,
                `organization ${mspId} is not on channel ${this.#init.channel}: it is one of ${this.#init.orgs.join(', ')}`,
            );
        }
    }

    #describeInstalled(mspId: string, packageId: string, label: string): InstalledChaincodeInfo {
        const references = this.#init.registry
            .definitions()
            .filter((definition) => {
                const run = this.#init.registry.peers(definition.name).get(mspId);
                return run !== undefined && 'packageId' in run && run.packageId === packageId;
            })
            .map(({ name, sequence }) => ({ name, sequence }));
        return { packageId, label, references };
    }

    #describeCommitted(definition: ChaincodeDefinition): CommittedChaincode {
        return {
            ...describeDefinition(definition, this.packageIds(definition.name)),
            approvals: this.#approvalsOf(definition),
        };
    }
}

/** A definition in `@zhelian/api`'s terms. */
export function describeDefinition(definition: ChaincodeDefinition, packageIds: Record<string, string>): ChaincodeInfo {
    return {
        name: definition.name,
        sequence: definition.sequence,
        version: definition.version,
        policy: definition.policy,
        collections: definition.collections.map((c) => c.name),
        packageIds,
    };
}

function approvalKey(name: string, sequence: number): string {
    return `${name}#${sequence}`;
}

async function readManifest(packageDir: string): Promise<{ name?: string; version?: string }> {
    const manifestPath = path.join(packageDir, 'package.json');
    if (!existsSync(manifestPath)) {
        throw new ChaincodePackageError(`${packageDir} is not a chaincode package: it has no package.json`);
    }
    try {
        return JSON.parse(await readFile(manifestPath, 'utf8')) as { name?: string; version?: string };
    } catch (err) {
        throw new ChaincodePackageError(`${manifestPath} is not valid JSON: ${(err as Error).message}`);
    }
}
