import type { CollectionDefinition } from '../ledger/collections';
import { combinations } from '../policy';
import type { ChaincodeCall, ChaincodeInterest } from './chaincode-interest';

/** A policy the endorsers must satisfy: a policy expression, or a key-level policy's envelope bytes. */
export type RequiredPolicy = string | Uint8Array;

/** What the planner reads of the channel: its organizations, deployed chaincode and policy evaluation. */
export interface PlanningContext {
    /** The channel's organizations in channel order (one peer each). */
    orgs: readonly string[];
    chaincodePolicy(namespace: string): string | undefined;
    collection(namespace: string, name: string): CollectionDefinition | undefined;
    /** Whether one peer of each of these organizations, endorsing together, satisfies the policy. */
    satisfied(policy: RequiredPolicy, orgs: readonly string[]): boolean;
    /**
     * Whether the organization's peer can run the chaincode: installed, and its organization approved
     * the committed definition — what a Fabric peer advertises to discovery.
     */
    runs(namespace: string, org: string): boolean;
}

/** The gateway cannot plan an endorsement (Fabric answers FAILED_PRECONDITION). */
export class PlanningError extends Error {}

/**
 * Plans the endorsers of a transaction from the first endorsement's chaincode interest, as
 * Fabric's gateway does with its discovery service (internal/pkg/gateway `planFromFirstEndorser`,
 * discovery/endorsement): every call needs its chaincode's policy unless it disregards it, each
 * collection its own endorsement policy (else the chaincode's), and each key-level policy in the
 * interest; peers outside a collection whose values were read cannot endorse it, and with
 * transient data no peer outside any touched collection may see the proposal; a peer that cannot
 * run every chaincode called (not installed, or its organization has not approved the definition)
 * is left out. Returns the organizations of the chosen layout; `firstOrg` is in it only if its
 * endorsement counts.
 *
 * A layout is a minimal set of organizations that satisfies every policy, as discovery lays
 * them out. Fabric prefers layouts holding the first endorser's organization and picks one of
 * those at random; here the choice is deterministic: the smallest, then the earliest in channel order.
 */
export function planFromInterest(
    interest: ChaincodeInterest,
    invokedChaincode: string,
    firstOrg: string,
    hasTransientData: boolean,
    context: PlanningContext,
): string[] {
    const calls = interest.chaincodes.length > 0 ? interest.chaincodes : [{ ...NO_INTEREST, name: invokedChaincode }];
    const policies = calls.flatMap((call) => requiredPolicies(call, context));
    const running = (orgs: string[]) => orgs.filter((org) => calls.every((call) => context.runs(call.name, org)));
    const allowed = membersAllowed(calls, hasTransientData, context);
    const layout = chooseLayout(policies, running(allowed), firstOrg, context);
    if (layout) {
        return layout;
    }
    if (hasTransientData) {
        const protectedCollections = calls.filter((c) => c.noPrivateReads).flatMap((c) => c.collectionNames);
        if (
            protectedCollections.length > 0 &&
            chooseLayout(policies, running(membersAllowed(calls, false, context)), firstOrg, context)
        ) {
            throw new PlanningError(
                `requires endorsement from organisation(s) that are not in the distribution policy of the private data collection(s): [${protectedCollections.join(' ')}]; retry specifying trusted endorsing organizations to protect transient data`,
            );
        }
    }
    // Discovery tells apart a policy no peers could satisfy from peers that could, were the chaincode on them.
    const reason = chooseLayout(policies, allowed, firstOrg, context)
        ? 'required chaincodes are not installed on sufficient peers'
        : 'no peer combination can satisfy the endorsement policy';
    throw new PlanningError(`no combination of peers can be derived which satisfy the endorsement policy: ${reason}`);
}

/** Fabric's default interest, when the first endorsement brings none: the invoked chaincode alone. */
const NO_INTEREST: ChaincodeCall = {
    name: '',
    collectionNames: [],
    noPrivateReads: false,
    keyPolicies: [],
    disregardNamespacePolicy: false,
};

/** The policies of one call, as Fabric's discovery support (`PoliciesByChaincode`) lists them. */
function requiredPolicies(call: ChaincodeCall, context: PlanningContext): RequiredPolicy[] {
    const chaincodePolicy = context.chaincodePolicy(call.name);
    if (chaincodePolicy === undefined) {
        throw new PlanningError(
            `no combination of peers can be derived which satisfy the endorsement policy: policy not found`,
        );
    }
    const namespacePolicies = call.collectionNames.length
        ? [
              ...new Set(
                  call.collectionNames.map(
                      (name) => context.collection(call.name, name)?.endorsementPolicy ?? chaincodePolicy,
                  ),
              ),
          ]
        : [chaincodePolicy];
    const kept = call.disregardNamespacePolicy ? namespacePolicies.slice(1) : namespacePolicies;
    return [...kept, ...call.keyPolicies];
}

/** The organizations whose peers may endorse: members of every collection read (or, with transient data, touched). */
function membersAllowed(calls: ChaincodeCall[], hasTransientData: boolean, context: PlanningContext): string[] {
    let allowed = [...context.orgs];
    for (const call of calls) {
        if (call.noPrivateReads && !hasTransientData) {
            continue;
        }
        for (const name of call.collectionNames) {
            const members = context.collection(call.name, name)?.memberOrgs ?? [];
            allowed = allowed.filter((org) => members.includes(org));
        }
    }
    return allowed;
}

/**
 * The first minimal set of `candidates` (smallest first, then in channel order) that satisfies
 * every policy and holds `preferredOrg`; else the first minimal set without it.
 */
function chooseLayout(
    policies: RequiredPolicy[],
    candidates: string[],
    preferredOrg: string,
    context: PlanningContext,
): string[] | undefined {
    const satisfied = (orgs: readonly string[]) => policies.every((policy) => context.satisfied(policy, orgs));
    if (!satisfied(candidates)) {
        return undefined;
    }
    // Policies are monotone: a set is minimal when no set with one organization fewer satisfies them.
    const minimal = (orgs: string[]) => orgs.every((left) => !satisfied(orgs.filter((org) => org !== left)));
    let fallback: string[] | undefined;
    for (let size = 1; size <= candidates.length; size++) {
        for (const orgs of combinations(candidates, size)) {
            if (satisfied(orgs) && minimal(orgs)) {
                if (orgs.includes(preferredOrg)) {
                    return orgs;
                }
                fallback ??= orgs;
            }
        }
    }
    return fallback;
}
