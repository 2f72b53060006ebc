/**
 * Who is on the network: organizations (MSP IDs), their users with Fabric CA attributes, the
 * channel, the default chaincode endorsement policy and how blocks are cut.
 *
 * ```ts
 * const topology = await loadTopology('test-network');
 * topology.orgs.map((org) => org.mspId); // ['Org1MSP', 'Org2MSP']
 * ```
 */
export interface Topology {
    name: string;
    channel: string;
    orgs: OrgConfig[];
    /** Chaincode-level endorsement policy when a deployment names none. */
    defaultPolicy: string;
    block: BlockCutting;
}

export interface OrgConfig {
    mspId: string;
    /** A human name for the organization (may be Chinese). */
    name: string;
    users: UserConfig[];
}

export type UserRole = 'client' | 'admin';

export interface UserConfig {
    name: string;
    /** Fabric NodeOU of the certificate; `client` unless stated. */
    role?: UserRole;
    /** Fabric CA attributes written into the certificate (e.g. `role`, `unit`). */
    attrs?: Record<string, string>;
}

export interface BlockCutting {
    /** A block is cut once it holds this many transactions… */
    maxTransactions: number;
    /** …or this long after its first transaction arrived. */
    timeoutMs: number;
}
