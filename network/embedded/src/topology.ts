import { ErrorCode, ZhelianError } from '@zhelian/api';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

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
    /**
     * The channel's LifecycleEndorsement policy: which organizations' approvals commit a chaincode
     * definition. Default `MAJORITY Endorsement`, as in Fabric's sample configtx.
     */
    lifecycleEndorsement?: string;
    block: BlockCutting;
    /**
     * Fabric's `peer.authentication.timewindow` (its `TimeWindowCheck` auth filter): a peer refuses
     * a proposal, for evaluate and endorse alike, whose timestamp is further than this from its own
     * clock. Default 900000 (15 minutes, as Fabric).
     */
    proposalTimeWindowMs?: number;
    /**
     * The peers' state database, as Fabric's `ledger.state.stateDatabase`: `leveldb` (the default)
     * answers rich queries "not supported"; `couchdb` runs CouchDB (Mango) queries on JSON values,
     * with the chaincode packages' indexes. Fixed when the data dir is created.
     */
    stateDatabase?: 'leveldb' | 'couchdb';
    /** Query limits of the peers (Fabric's core.yaml). */
    queryLimits?: QueryLimits;
}

export interface QueryLimits {
    /** Most results one query returns to the chaincode (`ledger.state.totalQueryLimit`); default 100000. */
    totalQueryLimit?: number;
    /** Documents per CouchDB request (`ledger.state.couchDBConfig.internalQueryLimit`); default 1000. */
    internalQueryLimit?: number;
}

export interface OrgConfig {
    mspId: string;
    /** A human name for the organization (may be Chinese). */
    name: string;
    users: UserConfig[];
    /**
     * The port its peer listens on when the ledger serves Fabric's protocols (Gateway, Deliver)
     * over gRPC+TLS; default 7051 + 10 × its place in `orgs`. Fabric's test network uses 7051
     * and 9051.
     */
    peerPort?: number;
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
    /** …or this long after its first transaction arrived (Fabric's BatchTimeout). */
    timeoutMs: number;
    /**
     * Also cut as soon as the committer is idle (default true): a lone user gets a block per
     * transaction at once, and under load the transactions arriving during one commit form the
     * next block. Set false to see Fabric's pure size/timeout batching, e.g. in a workshop.
     */
    cutWhenIdle?: boolean;
}

const userSchema = z.object({
    name: z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,64}$/, 'a user name is 1–64 letters, digits, dots, dashes or underscores'),
    role: z.enum(['client', 'admin']).optional(),
    attrs: z.record(z.string(), z.string()).optional(),
});

const topologySchema = z.object({
    name: z.string().min(1),
    channel: z.string().regex(/^[a-z][a-z0-9.-]*$/, 'a channel name is lower case letters, digits, dots and dashes'),
    defaultPolicy: z.string().min(1).default('MAJORITY Endorsement'),
    lifecycleEndorsement: z.string().min(1).optional(),
    block: z
        .object({
            maxTransactions: z.number().int().min(1).max(10_000),
            timeoutMs: z.number().int().min(0).max(60_000),
            cutWhenIdle: z.boolean().optional(),
        })
        .default({ maxTransactions: 100, timeoutMs: 20 }),
    proposalTimeWindowMs: z.number().int().positive().optional(),
    stateDatabase: z.enum(['leveldb', 'couchdb']).optional(),
    queryLimits: z
        .object({
            totalQueryLimit: z.number().int().positive().optional(),
            internalQueryLimit: z.number().int().positive().optional(),
        })
        .strict()
        .optional(),
    orgs: z
        .array(
            z.object({
                mspId: z.string().regex(/^[A-Za-z][A-Za-z0-9]*MSP$/, 'an MSP ID ends in MSP'),
                name: z.string().min(1),
                users: z.array(userSchema),
                peerPort: z.number().int().min(1).max(65535).optional(),
            }),
        )
        .min(1),
});

/** The topologies shipped in `topologies/`, selectable by name. */
export const NAMED_TOPOLOGIES = ['zhelian', 'test-network'] as const;

/** Raised when a topology file is missing or does not describe a valid network. */
export class TopologyError extends ZhelianError {
    constructor(message: string, options?: ErrorOptions) {
        super(ErrorCode.INVALID_TOPOLOGY, message, options);
    }
}

/** Parses and checks a topology object (from JSON). */
export function parseTopology(value: unknown, source: string): Topology {
    const result = topologySchema.safeParse(value);
    if (!result.success) {
        const issue = result.error.issues[0];
        throw new TopologyError(
            `topology ${source} is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}`,
        );
    }
    const mspIds = result.data.orgs.map((org) => org.mspId);
    const duplicate = mspIds.find((id, i) => mspIds.indexOf(id) !== i);
    if (duplicate) {
        throw new TopologyError(`topology ${source} names organization ${duplicate} twice`);
    }
    return result.data;
}

/** Loads a shipped topology by name (`zhelian`, `test-network`) or a topology JSON file by path. */
export async function loadTopology(nameOrFile: string): Promise<Topology> {
    const file = (NAMED_TOPOLOGIES as readonly string[]).includes(nameOrFile)
        ? path.join(__dirname, '..', 'topologies', `${nameOrFile}.json`)
        : path.resolve(nameOrFile);
    let text: string;
    try {
        text = await readFile(file, 'utf8');
    } catch {
        throw new TopologyError(
            `topology ${nameOrFile} not found: neither a shipped topology (${NAMED_TOPOLOGIES.join(', ')}) nor a readable file`,
        );
    }
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (err) {
        throw new TopologyError(`topology file ${file} is not valid JSON: ${(err as Error).message}`);
    }
    return parseTopology(json, file);
}
