/**
 * A private data collection as deployed with a chaincode (Fabric's collections_config.json),
 * with the member organizations already read from its policy.
 */
export interface CollectionDefinition {
    name: string;
    /** The collection's membership policy as written, e.g. `OR('Org1MSP.member','Org2MSP.member')`. */
    policy: string;
    memberOrgs: string[];
    memberOnlyRead: boolean;
    memberOnlyWrite: boolean;
    /** Collection-level endorsement policy for writes to this collection, if any. */
    endorsementPolicy?: string;
    /**
     * Fabric's `blockToLive`: private data committed in block N is purged when block
     * N + blockToLive + 1 commits; 0 or absent keeps it for ever.
     */
    blockToLive?: number;
}
