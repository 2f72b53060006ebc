import type { Contract, Gateway } from '@zhelian/api';

/** The rich-query fixture chaincode's package (its `META-INF` holds the CouchDB index `indexOwner` on docType + owner). */
export declare const RICH_QUERY_PACKAGE: string;

/** A private data collection as the fixture deploys it (the collection configuration's JSON). */
export interface FixtureCollection {
    name: string;
    policy: string;
    requiredPeerCount: number;
    maxPeerCount: number;
    blockToLive: number;
    memberOnlyRead: boolean;
}

/**
 * What the fixture network needs of an embedded ledger: `EmbeddedLedger` from the package's
 * sources in its tests, from `@zhelian/embedded` in the benchmark.
 */
export interface RichQueryLedger {
    deploy(options: { packageDir: string; policy: string; collections: FixtureCollection[] }): Promise<unknown>;
    connect(identity: { mspId: string; name: string }): Promise<Gateway>;
    close(): Promise<void>;
}

export interface RichQueryNetwork<L extends RichQueryLedger> {
    readonly ledger: L;
    /** The fixture's `rich` contract as Org1MSP's user1, and as Org2MSP's. */
    readonly org1: Contract;
    readonly org2: Contract;
    /** Closes the ledger and removes its data dir. */
    close(): Promise<void>;
}

/**
 * Makes a data dir, opens a test-network ledger in it with `open` (its state database, topology
 * and options are the caller's), and deploys the rich-query fixture chaincode, endorsed by either
 * organization, with its private collection `secrets` (Org1MSP's).
 *
 * @example
 * const network = await openRichQueryNetwork((dataDir) =>
 *     EmbeddedLedger.open({ dataDir, topology: 'test-network', stateDatabase: 'couchdb' }),
 * );
 * await network.org1.submitTransaction('seed');
 */
export declare function openRichQueryNetwork<L extends RichQueryLedger>(
    open: (dataDir: string) => Promise<L>,
    tmpPrefix?: string,
): Promise<RichQueryNetwork<L>>;
