import type { Gateway } from './client/gateway';
import type { Explorer } from './explorer';
import type { FabricProtocols } from './fabric-protocols';
import type { LedgerMaintenance } from './maintenance';

/**
 * Which network a backend runs: the embedded ledger, a real Fabric network, or whichever of them a
 * running Zhelian server serves (`remote`: through the server's HTTP API).
 */
export type BackendKind = 'embedded' | 'fabric' | 'remote';

/** A person or organization one can act as; never the private key. */
export interface IdentityInfo {
    mspId: string;
    /** Enrollment ID, unique within the MSP. */
    name: string;
    /** Fabric NodeOU of the certificate: `client` or `admin`. */
    role: string;
    /** Fabric CA attributes of the certificate (`role`, `unit`, …). */
    attrs: Readonly<Record<string, string>>;
}

/** Names an identity: `{ mspId: 'MemberMSP', name: 'zheyi' }`. */
export interface IdentityRef {
    mspId: string;
    name: string;
}

export interface EnrollOptions {
    /** NodeOU of the new certificate; default `client`. */
    role?: 'client' | 'admin';
    /** Fabric CA attributes, e.g. `{ role: 'volunteer', unit: '滨江区志愿服务站' }`. */
    attrs?: Record<string, string>;
}

export interface OrganizationInfo {
    mspId: string;
    /** A human name for the organization (may be Chinese). */
    name: string;
    /** Its peers' names. */
    peers: string[];
}

/** A chaincode as defined on the channel. */
export interface ChaincodeInfo {
    name: string;
    /** Starts at 1 and grows by one with each committed definition, as Fabric's lifecycle sequence. */
    sequence: number;
    /** The definition's version label (Fabric's `--version`). */
    version: string;
    /** Chaincode-level endorsement policy, e.g. `MAJORITY Endorsement`. */
    policy: string;
    /** Private data collections' names. */
    collections: string[];
    /**
     * Where the backend knows it: by organization (MSP ID), the installed package its peers run for
     * this definition, as Fabric's package id `label:hash`. An organization that has not approved the
     * definition or not installed its package is absent, and its peers refuse to endorse.
     */
    packageIds?: Record<string, string>;
}

/** What the network is made of, for the CLI, the gateway and the UI's network picture. */
export interface NetworkInfo {
    kind: BackendKind;
    /** Where the network lives: the embedded ledger's data dir, or the peers' connection description. */
    location: string;
    channel: string;
    /**
     * The peers' state database where the backend knows it: `leveldb`, or `couchdb`, which runs
     * rich (Mango) queries on JSON values.
     */
    stateDatabase?: 'leveldb' | 'couchdb';
    organizations: OrganizationInfo[];
    /** Orderer nodes' names. */
    orderers: string[];
    chaincodes: ChaincodeInfo[];
}

/** The one-shot deployment: package, install on every organization, approve by every organization, commit. */
export interface DeployRequest {
    /** A Fabric Node chaincode package directory (package.json `main` exporting `contracts`). */
    packageDir: string;
    /** Default: the package.json name. */
    name?: string;
    /** Default: the package.json version, else `1.0`. */
    version?: string;
    /** Fabric's policy language, or `MAJORITY Endorsement` (the default). */
    policy?: string;
    /** Path of a Fabric `collections_config.json`. */
    collections?: string;
}

/** What `deploy` put in force: the definition, and the one package every organization runs. */
export interface DeployedChaincode extends ChaincodeInfo {
    packageId: string;
}

/** `peer lifecycle chaincode package <file> --path <packageDir> --label <label>`. */
export interface PackageRequest {
    packageDir: string;
    /** Fabric's package label, e.g. `basic_1.0`: part of the package id. */
    label: string;
    /** Where to write the package (a Fabric chaincode install package, `.tar.gz`). */
    file: string;
}

export interface ChaincodePackageInfo {
    /** `label:hash`: the id a peer gives the package when it is installed. */
    packageId: string;
    label: string;
    file: string;
}

/** A package installed on an organization's peers (`peer lifecycle chaincode queryinstalled`). */
export interface InstalledChaincodeInfo {
    packageId: string;
    label: string;
    /** Committed chaincode definitions whose peers run this package for this organization. */
    references: { name: string; sequence: number }[];
}

/** A chaincode definition as `approveformyorg`, `checkcommitreadiness` and `commit` take it. */
export interface ChaincodeDefinitionRequest {
    name: string;
    /** The committed sequence + 1 (1 for a new chaincode); approving the committed sequence again is allowed. */
    sequence: number;
    /** Default `1.0`. */
    version?: string;
    /** Default: the channel's default endorsement policy. */
    policy?: string;
    /** Path of a Fabric `collections_config.json`. */
    collections?: string;
}

export interface ApproveRequest extends ChaincodeDefinitionRequest {
    /** The installed package this organization's peers will run; without it they will not run the chaincode. */
    packageId?: string;
}

/** Which organizations approved exactly this definition (`peer lifecycle chaincode checkcommitreadiness`). */
export interface CommitReadiness {
    name: string;
    sequence: number;
    /** By MSP ID. */
    approvals: Record<string, boolean>;
    /** Whether the approvals satisfy the channel's LifecycleEndorsement policy, so that `commit` will succeed. */
    ready: boolean;
}

/** A committed definition with the organizations that approved it (`peer lifecycle chaincode querycommitted`). */
export interface CommittedChaincode extends ChaincodeInfo {
    approvals: Record<string, boolean>;
}

/**
 * Fabric's chaincode lifecycle, step by step, as `peer lifecycle chaincode …` walks it: a capability
 * some backends offer. An organization acts through `mspId` (its admin, as on Fabric).
 *
 * ```ts
 * const { lifecycle } = backend;
 * await lifecycle.package({ packageDir: 'chaincode', label: 'zhelian_1', file: 'zhelian.tar.gz' });
 * const { packageId } = await lifecycle.install('RegulatorMSP', 'zhelian.tar.gz');
 * await lifecycle.approve('RegulatorMSP', { name: 'zhelian', sequence: 1, packageId });
 * // … the other organizations install and approve …
 * (await lifecycle.checkCommitReadiness({ name: 'zhelian', sequence: 1 })).approvals; // { RegulatorMSP: true, … }
 * await lifecycle.commit({ name: 'zhelian', sequence: 1 });
 * ```
 */
export interface ChaincodeLifecycle {
    /** Writes a chaincode install package; nothing on the network changes. */
    package(request: PackageRequest): Promise<ChaincodePackageInfo>;
    /** Installs a package file on an organization's peers. */
    install(mspId: string, packageFile: string): Promise<InstalledChaincodeInfo>;
    queryInstalled(mspId: string): Promise<InstalledChaincodeInfo[]>;
    /** Approves a definition, with the package its peers run, for one organization. */
    approve(mspId: string, definition: ApproveRequest): Promise<void>;
    checkCommitReadiness(definition: ChaincodeDefinitionRequest): Promise<CommitReadiness>;
    /** Commits a definition that enough organizations approved; refuses with `DEFINITION_NOT_APPROVED` otherwise. */
    commit(definition: ChaincodeDefinitionRequest): Promise<CommittedChaincode>;
    /** Committed definitions, or the one named. */
    queryCommitted(name?: string): Promise<CommittedChaincode[]>;
    /**
     * The shortcut: package, install on every organization, approve by every organization, commit
     * with sequence + 1. Deploying what is already in force changes nothing.
     */
    deploy(request: DeployRequest): Promise<DeployedChaincode>;
}

/**
 * One network, whatever runs it. Everything above the networks (CLI, gateway, scripts, tests)
 * is written against this and never asks which backend it has.
 *
 * ```ts
 * const backend = await openBackend({ network: 'embedded', dataDir: '.zhelian' });
 * try {
 *     const gateway = await backend.connect({ mspId: 'RegulatorMSP', name: 'medicare' });
 *     const einvoice = gateway.getNetwork(backend.describe().channel).getContract('zhelian', 'einvoice');
 *     await einvoice.submitTransaction('reimburseReceipt', '33010125', '1');
 * } finally {
 *     await backend.close();
 * }
 * ```
 */
export interface LedgerBackend {
    readonly kind: BackendKind;
    describe(): NetworkInfo;
    /** The identities one can act as: the network's users and enrolled participants. */
    identities(): Promise<IdentityInfo[]>;
    /** Issues a certificate for a new participant (e.g. a workshop learner). */
    enroll(mspId: string, name: string, options?: EnrollOptions): Promise<IdentityInfo>;
    /** A client connection acting as `identity`. */
    connect(identity: IdentityRef): Promise<Gateway>;
    readonly explorer: Explorer;
    /** Present where the backend keeps the ledger's files itself and can repair them (the embedded ledger). */
    readonly maintenance?: LedgerMaintenance;
    /** Present where the backend can install and define chaincode itself. */
    readonly lifecycle?: ChaincodeLifecycle;
    /** Present where the backend serves Fabric's protocols to Fabric's own client applications (the embedded ledger). */
    readonly fabricProtocols?: FabricProtocols;
    /** Finishes what is in flight and releases the network. */
    close(): Promise<void>;
}
