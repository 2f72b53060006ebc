/** A chaincode as deployed on the channel: what runs, under which policy, with which collections. */
export interface ChaincodeDefinition {
    name: string;
    /** Absolute path of the chaincode package directory (package.json `main` exports `contracts`). */
    packageDir: string;
    /** Chaincode-level endorsement policy, e.g. `MAJORITY Endorsement` or `OR('Org1MSP.peer')`. */
    policy: string;
    collections: CollectionConfigJson[];
    /** Increments with each redeployment, as Fabric's lifecycle sequence does. */
    sequence: number;
}

/** One entry of Fabric's collections_config.json. */
export interface CollectionConfigJson {
    name: string;
    policy: string;
    requiredPeerCount?: number;
    maxPeerCount?: number;
    blockToLive?: number;
    memberOnlyRead?: boolean;
    memberOnlyWrite?: boolean;
    endorsementPolicy?: { signaturePolicy?: string; channelConfigPolicy?: string };
}
