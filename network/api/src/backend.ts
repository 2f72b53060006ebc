import type { Gateway } from './client/gateway';
import type { Explorer } from './explorer';

/** Which network a backend runs: the embedded ledger, or a real Fabric network. */
export type BackendKind = 'embedded' | 'fabric';

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
    /** Increments with each upgrade, as Fabric's lifecycle sequence. */
    sequence: number;
    /** Chaincode-level endorsement policy, e.g. `MAJORITY Endorsement`. */
    policy: string;
    /** Private data collections' names. */
    collections: string[];
    /** The package directory it was deployed from, where the backend deployed it itself. */
    packageDir?: string;
}

/** What the network is made of, for the CLI, the gateway and the UI's network picture. */
export interface NetworkInfo {
    kind: BackendKind;
    /** Where the network lives: the embedded ledger's data dir, or the peers' connection description. */
    location: string;
    channel: string;
    organizations: OrganizationInfo[];
    /** Orderer nodes' names. */
    orderers: string[];
    chaincodes: ChaincodeInfo[];
}

export interface DeployRequest {
    /** A Fabric Node chaincode package directory (package.json `main` exporting `contracts`). */
    packageDir: string;
    /** Default: the package.json name. */
    name?: string;
    /** Fabric's policy language, or `MAJORITY Endorsement` (the default). */
    policy?: string;
    /** Path of a Fabric `collections_config.json`. */
    collections?: string;
}

/** Installing and defining chaincode: a capability some backends offer. */
export interface ChaincodeLifecycle {
    /** Deploys, or upgrades with sequence + 1, a chaincode package. */
    deploy(request: DeployRequest): Promise<ChaincodeInfo>;
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
    /** Present where the backend can install and define chaincode itself. */
    readonly lifecycle?: ChaincodeLifecycle;
    /** Finishes what is in flight and releases the network. */
    close(): Promise<void>;
}
