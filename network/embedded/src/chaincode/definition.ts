import { ErrorCode, ZhelianError } from '@zhelian/api';
import { z } from 'zod';

/**
 * A chaincode definition as Fabric's `_lifecycle` keeps it: what the channel's organizations
 * approve and commit. The package is not part of it: each organization approves the definition
 * together with the package id its own peers run.
 */
export interface ChaincodeDefinition {
    name: string;
    /** Starts at 1 and grows by exactly one with each committed definition. */
    sequence: number;
    /** Fabric's `--version`: a label for people; any change needs a new sequence. */
    version: string;
    /** Chaincode-level endorsement policy, e.g. `MAJORITY Endorsement` or `OR('Org1MSP.peer')`. */
    policy: string;
    collections: CollectionConfigJson[];
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

/** Fabric's `ChaincodeNameRegExp`. */
const CHAINCODE_NAME = /^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$/;
/** Fabric's `ChaincodeVersionRegExp`. */
const CHAINCODE_VERSION = /^[A-Za-z0-9_.+-]+$/;
/** Fabric's `collectionNameRegExp`, which also keeps `_implicit_org_…` names for the peer. */
const COLLECTION_NAME = /^[A-Za-z0-9-]+([A-Za-z0-9_-]+)*$/;
const SYSTEM_CHAINCODES = new Set(['cscc', 'escc', 'lscc', 'qscc', 'vscc', '_lifecycle']);

const count = z.number().int().min(0);

/** Fabric's collections_config.json; unknown fields are refused (a typo must not drop `memberOnlyRead`). */
const collectionsSchema = z.array(
    z
        .object({
            name: z.string().regex(COLLECTION_NAME, 'a collection name is letters, digits, dashes and underscores'),
            policy: z.string().min(1),
            requiredPeerCount: count.optional(),
            maxPeerCount: count.optional(),
            blockToLive: count.optional(),
            memberOnlyRead: z.boolean().optional(),
            memberOnlyWrite: z.boolean().optional(),
            endorsementPolicy: z
                .object({
                    signaturePolicy: z.string().min(1).optional(),
                    channelConfigPolicy: z.string().min(1).optional(),
                })
                .strict()
                .optional(),
        })
        .strict(),
);

/** Raised for a collections config that is not Fabric's collections_config.json. */
export class CollectionsConfigError extends ZhelianError {
    constructor(message: string) {
        super(ErrorCode.INVALID_COLLECTIONS, message);
    }
}

/**
 * Reads a collections config (parsed JSON) as Fabric's peer CLI reads `--collections-config`,
 * with the checks `_lifecycle` makes: names, duplicates, peer counts. `source` names the file
 * in errors, which also name the field, e.g. `[1].blockToLive`.
 */
export function parseCollectionsConfig(value: unknown, source: string): CollectionConfigJson[] {
    const result = collectionsSchema.safeParse(value);
    if (!result.success) {
        const issue = result.error.issues[0];
        const field = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
        const what =
            issue.path.length === 0
                ? "expected an array of collections, as Fabric's collections_config.json"
                : issue.message;
        throw new CollectionsConfigError(
            `collections config ${source} is invalid at ${field.replace(/^\./, '') || '(root)'}: ${what}`,
        );
    }
    const seen = new Set<string>();
    for (const collection of result.data) {
        if (seen.has(collection.name)) {
            throw new CollectionsConfigError(
                `collections config ${source}: collection-name: ${collection.name} -- found duplicate in collection configuration`,
            );
        }
        seen.add(collection.name);
        const required = collection.requiredPeerCount ?? 0;
        const max = collection.maxPeerCount ?? 0;
        if (max < required) {
            throw new CollectionsConfigError(
                `collections config ${source}: collection-name: ${collection.name} -- maximum peer count (${max}) cannot be less than the required peer count (${required})`,
            );
        }
    }
    return result.data;
}

/** Raised for a chaincode definition `_lifecycle` would refuse. */
export class DefinitionError extends ZhelianError {
    constructor(message: string) {
        super(ErrorCode.INVALID_CHAINCODE_DEFINITION, message);
    }
}

/** Checks a definition's name and version as `_lifecycle` does before approving or committing. */
export function checkNameAndVersion(name: string, version: string): void {
    if (!CHAINCODE_NAME.test(name)) {
        throw new DefinitionError(
            `invalid chaincode name '${name}'. Names can only consist of alphanumerics, '_', and '-' and can only begin with alphanumerics`,
        );
    }
    if (SYSTEM_CHAINCODES.has(name)) {
        throw new DefinitionError(`chaincode name '${name}' is the name of a system chaincode`);
    }
    if (!CHAINCODE_VERSION.test(version)) {
        throw new DefinitionError(
            `invalid chaincode version '${version}'. Versions can only consist of alphanumerics, '_', '-', '+', and '.'`,
        );
    }
}

/**
 * The first parameter in which two definitions differ (sequence aside), as Fabric's
 * `ChaincodeParameters.Equal` names it; `undefined` when they agree.
 */
export function parameterMismatch(a: ChaincodeDefinition, b: ChaincodeDefinition): string | undefined {
    if (a.version !== b.version) {
        return `expected Version '${a.version}' does not match passed Version '${b.version}'`;
    }
    if (a.policy !== b.policy) {
        return `expected endorsement policy '${a.policy}' does not match passed policy '${b.policy}'`;
    }
    if (canonicalJson(a.collections) !== canonicalJson(b.collections)) {
        return 'Collections do not match';
    }
    return undefined;
}

/**
 * Fabric refuses a new definition that drops a committed collection or changes its blockToLive:
 * private data already written under it must stay governed by the same rules.
 */
export function checkCollectionsUpgrade(committed: CollectionConfigJson[], proposed: CollectionConfigJson[]): void {
    if (committed.length > 0 && proposed.length === 0) {
        throw new DefinitionError('the proposed collection config does not contain previously defined collections');
    }
    for (const existing of committed) {
        const next = proposed.find((c) => c.name === existing.name);
        if (!next) {
            throw new DefinitionError(
                `existing collection [${existing.name}] missing in the proposed collection configuration`,
            );
        }
        if ((next.blockToLive ?? 0) !== (existing.blockToLive ?? 0)) {
            throw new DefinitionError(
                `the BlockToLive in an existing collection [${existing.name}] modified. Existing value [${existing.blockToLive ?? 0}]`,
            );
        }
    }
}

/** JSON with sorted keys, so that two configs with fields in another order compare equal. */
function canonicalJson(value: unknown): string {
    return JSON.stringify(value, (_key, v: unknown) =>
        v && typeof v === 'object' && !Array.isArray(v)
            ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
            : v,
    );
}
