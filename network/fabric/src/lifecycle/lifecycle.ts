import { copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { peer } from '@hyperledger/fabric-protos';
import type * as fabricGateway from '@hyperledger/fabric-gateway';
import {
    type ApproveRequest,
    type ChaincodeDefinitionRequest,
    type ChaincodeLifecycle,
    type ChaincodePackageInfo,
    type CommitReadiness,
    type CommittedChaincode,
    type DeployedChaincode,
    type DeployRequest,
    ErrorCode,
    type InstalledChaincodeInfo,
    type PackageRequest,
    ZhelianError,
} from '@zhelian/api';
import { translated } from '../client/errors';
import type { ChaincodeServer, FabricConnection } from '../connection';
import { serversFor, sharedServerFor } from './chaincode-servers';
import { describeApplicationPolicy, readCollections } from './collections';
import { fillDefinition } from './definition';

const { lifecycle } = peer;
const LIFECYCLE = '_lifecycle';

/** What the lifecycle needs from the backend: each organization's admin, through its own peer. */
export interface LifecycleAccess {
    /** A fabric-gateway connection acting as the organization's admin, on its own peer. */
    adminGateway(mspId: string): Promise<fabricGateway.Gateway>;
    /**
     * Signs a proposal built on the admin's gateway as the admin and sends it straight to the
     * organization's peer (install and queries outside a channel).
     */
    processProposal(mspId: string, proposal: fabricGateway.Proposal): Promise<peer.ProposalResponse>;
    /** Resolves once every organization's peer has committed the block. */
    committedEverywhere(blockNumber: bigint): Promise<void>;
}

/**
 * Fabric's chaincode lifecycle (`_lifecycle`) driven as each organization's admin, step by step
 * as `peer lifecycle chaincode` walks it. Packages are chaincode as a service: a package names a
 * chaincode server the network runs (`npm run network:deploy -- <dir>` starts one), so `package`
 * and `deploy` take a package directory that such a server runs.
 */
export class FabricLifecycle implements ChaincodeLifecycle {
    readonly #connection: FabricConnection;
    readonly #access: LifecycleAccess;
    readonly #onChange: () => Promise<void>;

    constructor(connection: FabricConnection, access: LifecycleAccess, onChange: () => Promise<void>) {
        this.#connection = connection;
        this.#access = access;
        this.#onChange = onChange;
    }

    async package(request: PackageRequest): Promise<ChaincodePackageInfo> {
        const server = sharedServerFor(this.#connection, request.packageDir);
        if (request.label !== server.label) {
            throw new ZhelianError(
                ErrorCode.NOT_SUPPORTED,
                `The chaincode server for ${server.packageDir} answers as package ${server.packageId}: on a Fabric network ` +
                    `running chaincode as a service the label is the server's (${server.label}), not ${request.label}`,
            );
        }
        await copyFile(server.packageFile, request.file);
        return { packageId: server.packageId, label: server.label, file: request.file };
    }

    async install(mspId: string, packageFile: string): Promise<InstalledChaincodeInfo> {
        const args = new lifecycle.InstallChaincodeArgs();
        args.setChaincodeInstallPackage(await readFile(packageFile));
        let result: peer.lifecycle.InstallChaincodeResult;
        try {
            result = lifecycle.InstallChaincodeResult.deserializeBinary(
                await this.#outsideChannel(mspId, 'InstallChaincode', args.serializeBinary()),
            );
        } catch (err) {
            const message = (err as Error).message;
            if (/already successfully installed/.test(message)) {
                throw new ZhelianError(ErrorCode.CHAINCODE_ALREADY_INSTALLED, `${mspId}: ${message}`, { cause: err });
            }
            throw err;
        }
        const installed = (await this.queryInstalled(mspId)).find((p) => p.packageId === result.getPackageId());
        return installed ?? { packageId: result.getPackageId(), label: result.getLabel(), references: [] };
    }

    async queryInstalled(mspId: string): Promise<InstalledChaincodeInfo[]> {
        const bytes = await this.#outsideChannel(
            mspId,
            'QueryInstalledChaincodes',
            new lifecycle.QueryInstalledChaincodesArgs().serializeBinary(),
        );
        const committed = new Map((await this.queryCommitted()).map((c) => [c.name, c.sequence]));
        return lifecycle.QueryInstalledChaincodesResult.deserializeBinary(bytes)
            .getInstalledChaincodesList()
            .map((installed) => ({
                packageId: installed.getPackageId(),
                label: installed.getLabel(),
                references: (installed.getReferencesMap().get(this.#connection.channel)?.getChaincodesList() ?? [])
                    .map((c) => ({ name: c.getName(), sequence: committed.get(c.getName()) ?? 0 }))
                    .filter((c) => c.sequence > 0),
            }));
    }

    async approve(mspId: string, definition: ApproveRequest): Promise<void> {
        const args = new lifecycle.ApproveChaincodeDefinitionForMyOrgArgs();
        await fillDefinition(args, definition, this.#connection.defaultPolicy);
        const source = new lifecycle.ChaincodeSource();
        if (definition.packageId) {
            const local = new lifecycle.ChaincodeSource.Local();
            local.setPackageId(definition.packageId);
            source.setLocalPackage(local);
        } else {
            source.setUnavailable(new lifecycle.ChaincodeSource.Unavailable());
        }
        args.setSource(source);
        const gateway = await this.#access.adminGateway(mspId);
        await this.#submit(gateway, 'ApproveChaincodeDefinitionForMyOrg', args.serializeBinary(), [mspId]);
    }

    async checkCommitReadiness(definition: ChaincodeDefinitionRequest): Promise<CommitReadiness> {
        const args = new lifecycle.CheckCommitReadinessArgs();
        await fillDefinition(args, definition, this.#connection.defaultPolicy);
        const gateway = await this.#access.adminGateway(this.#orgs[0]);
        const bytes = await translated(() =>
            this.#lifecycleContract(gateway).evaluate('CheckCommitReadiness', { arguments: [args.serializeBinary()] }),
        );
        const approvals: Record<string, boolean> = {};
        lifecycle.CheckCommitReadinessResult.deserializeBinary(bytes)
            .getApprovalsMap()
            .forEach((approved, mspId) => {
                approvals[mspId] = approved;
            });
        // The channel's LifecycleEndorsement is MAJORITY Endorsement (configtx.yaml).
        const approving = Object.values(approvals).filter(Boolean).length;
        return {
            name: definition.name,
            sequence: definition.sequence,
            approvals,
            ready: approving > this.#orgs.length / 2,
        };
    }

    async commit(definition: ChaincodeDefinitionRequest): Promise<CommittedChaincode> {
        const readiness = await this.checkCommitReadiness(definition);
        if (!readiness.ready) {
            const missing = Object.entries(readiness.approvals)
                .filter(([, approved]) => !approved)
                .map(([mspId]) => mspId);
            throw new ZhelianError(
                ErrorCode.DEFINITION_NOT_APPROVED,
                `Chaincode definition ${definition.name} sequence ${definition.sequence} is not agreed to by ${missing.join(', ')}: ` +
                    'the LifecycleEndorsement policy needs a majority of the organizations',
            );
        }
        const args = new lifecycle.CommitChaincodeDefinitionArgs();
        await fillDefinition(args, definition, this.#connection.defaultPolicy);
        const approving = Object.entries(readiness.approvals)
            .filter(([, approved]) => approved)
            .map(([mspId]) => mspId);
        const gateway = await this.#access.adminGateway(approving[0]);
        await this.#submit(gateway, 'CommitChaincodeDefinition', args.serializeBinary(), approving);
        await this.#onChange();
        const [committed] = await this.queryCommitted(definition.name);
        return committed;
    }

    async queryCommitted(name?: string): Promise<CommittedChaincode[]> {
        const gateway = await this.#access.adminGateway(this.#orgs[0]);
        const contract = this.#lifecycleContract(gateway);
        let names: string[];
        if (name !== undefined) {
            names = [name];
        } else {
            const bytes = await translated(() =>
                contract.evaluate('QueryChaincodeDefinitions', {
                    arguments: [new lifecycle.QueryChaincodeDefinitionsArgs().serializeBinary()],
                }),
            );
            names = lifecycle.QueryChaincodeDefinitionsResult.deserializeBinary(bytes)
                .getChaincodeDefinitionsList()
                .map((definition) => definition.getName());
        }
        const committed: CommittedChaincode[] = [];
        for (const chaincode of names) {
            const args = new lifecycle.QueryChaincodeDefinitionArgs();
            args.setName(chaincode);
            let bytes: Uint8Array;
            try {
                bytes = await translated(() =>
                    contract.evaluate('QueryChaincodeDefinition', { arguments: [args.serializeBinary()] }),
                );
            } catch (err) {
                if (name !== undefined && /not found|does not exist|is not defined/i.test((err as Error).message)) {
                    return [];
                }
                throw err;
            }
            const result = lifecycle.QueryChaincodeDefinitionResult.deserializeBinary(bytes);
            const approvals: Record<string, boolean> = {};
            result.getApprovalsMap().forEach((approved, mspId) => {
                approvals[mspId] = approved;
            });
            committed.push({
                name: chaincode,
                sequence: result.getSequence(),
                version: result.getVersion(),
                policy: describeApplicationPolicy(result.getValidationParameter_asU8()),
                collections: (result.getCollections()?.getConfigList() ?? []).map(
                    (c) => c.getStaticCollectionConfig()?.getName() ?? '',
                ),
                approvals,
            });
        }
        return committed;
    }

    async deploy(request: DeployRequest): Promise<DeployedChaincode> {
        const servers = serversFor(this.#connection, request.packageDir);
        const [server] = Object.values(servers);
        const packageIds = Object.fromEntries(Object.entries(servers).map(([mspId, s]) => [mspId, s.packageId]));
        const manifest = JSON.parse(await readFile(path.join(server.packageDir, 'package.json'), 'utf8')) as {
            name?: string;
            version?: string;
        };
        const name = request.name ?? manifest.name ?? path.basename(server.packageDir);
        const version = request.version ?? manifest.version ?? '1.0';
        const policy = request.policy ?? this.#connection.defaultPolicy;
        const [current] = await this.queryCommitted(name);
        await Promise.all(this.#orgs.map((mspId) => this.#installOnce(mspId, servers[mspId])));
        const collections = request.collections ? await readCollections(request.collections) : undefined;
        const definition = { name, version, policy, collections: request.collections };
        if (current && (await this.#inForce(current, packageIds, version, policy, collections))) {
            return { ...current, packageId: server.packageId, packageIds };
        }
        const sequence = (current?.sequence ?? 0) + 1;
        // An organization that already approved this very definition (an interrupted deploy) is
        // not asked again: _lifecycle refuses to redefine an uncommitted sequence unchanged.
        const { approvals } = await this.checkCommitReadiness({ ...definition, sequence });
        await Promise.all(
            this.#orgs
                .filter((mspId) => !approvals[mspId])
                .map((mspId) => this.approve(mspId, { ...definition, sequence, packageId: packageIds[mspId] })),
        );
        const committed = await this.commit({ ...definition, sequence });
        return { ...committed, packageId: server.packageId, packageIds };
    }

    /** Whether the committed definition already is what a deploy asks for, each org approving its package. */
    async #inForce(
        current: CommittedChaincode,
        packageIds: Record<string, string>,
        version: string,
        policy: string,
        collections: peer.CollectionConfigPackage | undefined,
    ): Promise<boolean> {
        if (current.version !== version || current.policy !== policy) {
            return false;
        }
        const approved = await Promise.all(
            this.#orgs.map(async (mspId) => {
                const gateway = await this.#access.adminGateway(mspId);
                const args = new lifecycle.QueryApprovedChaincodeDefinitionArgs();
                args.setName(current.name);
                args.setSequence(current.sequence);
                const bytes = await translated(() =>
                    this.#lifecycleContract(gateway).evaluate('QueryApprovedChaincodeDefinition', {
                        arguments: [args.serializeBinary()],
                        endorsingOrganizations: [mspId],
                    }),
                ).catch(() => undefined);
                if (!bytes) {
                    return false;
                }
                const result = lifecycle.QueryApprovedChaincodeDefinitionResult.deserializeBinary(bytes);
                const sameCollections =
                    Buffer.compare(
                        Buffer.from(result.getCollections()?.serializeBinary() ?? new Uint8Array()),
                        Buffer.from(collections?.serializeBinary() ?? new Uint8Array()),
                    ) === 0;
                return result.getSource()?.getLocalPackage()?.getPackageId() === packageIds[mspId] && sameCollections;
            }),
        );
        return approved.every(Boolean);
    }

    async #installOnce(mspId: string, server: ChaincodeServer): Promise<void> {
        const installed = await this.queryInstalled(mspId);
        if (!installed.some((p) => p.packageId === server.packageId)) {
            await this.install(mspId, server.packageFile);
        }
    }

    get #orgs(): string[] {
        return this.#connection.organizations.map((org) => org.mspId);
    }

    #lifecycleContract(gateway: fabricGateway.Gateway): fabricGateway.Contract {
        return gateway.getNetwork(this.#connection.channel).getContract(LIFECYCLE);
    }

    async #submit(gateway: fabricGateway.Gateway, fn: string, arg: Uint8Array, endorsers: string[]): Promise<void> {
        const submitted = await translated(() =>
            this.#lifecycleContract(gateway).submitAsync(fn, { arguments: [arg], endorsingOrganizations: endorsers }),
        );
        const status = await translated(() => submitted.getStatus());
        await this.#access.committedEverywhere(status.blockNumber);
        if (!status.successful) {
            throw new ZhelianError(
                ErrorCode.INVALID_CHAINCODE_DEFINITION,
                `_lifecycle ${fn} transaction ${status.transactionId} failed with validation code ${status.code} in block ${status.blockNumber}`,
            );
        }
    }

    /** A `_lifecycle` call outside any channel (install, installed packages), on the org's own peer. */
    async #outsideChannel(mspId: string, fn: string, arg: Uint8Array): Promise<Uint8Array> {
        const gateway = await this.#access.adminGateway(mspId);
        const proposal = gateway
            .getNetwork('')
            .getContract(LIFECYCLE)
            .newProposal(fn, { arguments: [arg] });
        const response = await this.#access.processProposal(mspId, proposal);
        const status = response.getResponse();
        if (!status || status.getStatus() >= 400) {
            throw new ZhelianError(
                ErrorCode.GATEWAY_FAILED,
                `${mspId}'s peer refused _lifecycle ${fn}: ${status?.getMessage() ?? 'no response'}`,
            );
        }
        return status.getPayload_asU8();
    }
}
