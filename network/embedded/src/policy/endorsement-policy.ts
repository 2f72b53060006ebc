import type { common } from '@hyperledger/fabric-protos';
import { PolicySyntaxError, UnsatisfiablePolicyError } from './errors';
import { compileSignaturePolicy, evaluateCompiled, type CompiledRule, type PolicySigner } from './evaluate';
import { formatSignaturePolicy, parseSignaturePolicy } from './signature-policy';

/**
 * An endorsement policy as a channel applies it: either a signature policy or an implicit meta
 * policy (`MAJORITY Endorsement`) over the channel organizations' own `Endorsement` policies,
 * which are `OR('<MSP ID>.peer')` as in Fabric's sample configtx.
 *
 * ```ts
 * const policy = parseEndorsementPolicy('MAJORITY Endorsement', ['RegulatorMSP', 'CourtMSP', 'PlatformMSP', 'MemberMSP']);
 * policy.chooseOrgs('MemberMSP'); // ['MemberMSP', 'RegulatorMSP', 'CourtMSP']
 * policy.evaluate(endorsers); // true once three orgs' peers have endorsed
 * ```
 */
export interface ChannelPolicy {
    /** MSP IDs of the channel organizations whose peers can endorse, in channel order. */
    readonly channelOrgs: readonly string[];
    /** Whether signatures by these identities satisfy the policy. */
    evaluate(signers: readonly PolicySigner[]): boolean;
    /** The policy in words a workshop can read, e.g. `MAJORITY Endorsement (3 of 4: …)`. */
    describe(): string;
    /**
     * Every minimal set of channel organizations whose peers' endorsements satisfy the policy
     * (no proper subset does), fewest organizations first, in channel order.
     */
    requiredOrgs(): string[][];
    /**
     * A smallest set of organizations to ask for endorsement, one containing `preferredMspId`
     * (the client's own org) when a smallest set can, listed preferred first then in channel
     * order. Never empty: a transaction carries at least one endorsement. Throws
     * UnsatisfiablePolicyError when no organizations can satisfy the policy.
     */
    chooseOrgs(preferredMspId?: string): string[];
}

type MetaRule = 'ANY' | 'ALL' | 'MAJORITY';

const IMPLICIT_META = /^\s*(ANY|ALL|MAJORITY)\s+(\S+)\s*$/;
/** The only sub-policy an embedded channel's organizations define for endorsement. */
const ENDORSEMENT_SUB_POLICY = 'Endorsement';

/**
 * Parses a chaincode endorsement policy: `ANY|ALL|MAJORITY Endorsement`, or a signature policy
 * such as `AND('RegulatorMSP.peer', OR('CourtMSP.peer', 'MemberMSP.peer'))`. Throws
 * PolicySyntaxError.
 */
export function parseEndorsementPolicy(expression: string, channelOrgs: readonly string[]): ChannelPolicy {
    const meta = IMPLICIT_META.exec(expression);
    if (!meta) {
        return toChannelPolicy(parseSignaturePolicy(expression), channelOrgs);
    }
    const [, rule, subPolicy] = meta;
    if (subPolicy !== ENDORSEMENT_SUB_POLICY) {
        throw new PolicySyntaxError(
            expression,
            expression.indexOf(subPolicy, expression.indexOf(rule) + rule.length),
            `the channel's organizations define no "${subPolicy}" policy; implicit meta endorsement policies use "${ENDORSEMENT_SUB_POLICY}"`,
        );
    }
    return new ImplicitMetaPolicy(rule as MetaRule, channelOrgs);
}

/** A signature policy (e.g. a key's validation parameter) applied over a channel's organizations. */
export function toChannelPolicy(
    envelope: common.SignaturePolicyEnvelope,
    channelOrgs: readonly string[],
): ChannelPolicy {
    return new SignaturePolicyOverChannel(envelope, channelOrgs);
}

/**
 * All of the policies at once — a chaincode policy and the key-level policies of the keys a
 * transaction writes — so one choice of endorsers satisfies every one of them.
 */
export function allOf(policies: readonly ChannelPolicy[]): ChannelPolicy {
    return new AllOfPolicy(policies);
}

/** Shared search for endorsing organizations: each org contributes one peer signature. */
abstract class OrgSearchingPolicy implements ChannelPolicy {
    #minimalSets: string[][] | undefined;

    protected constructor(readonly channelOrgs: readonly string[]) {}

    abstract evaluate(signers: readonly PolicySigner[]): boolean;
    abstract describe(): string;

    requiredOrgs(): string[][] {
        this.#minimalSets ??= this.#searchMinimalSets();
        return this.#minimalSets.map((set) => [...set]);
    }

    chooseOrgs(preferredMspId?: string): string[] {
        const sets = this.requiredOrgs();
        if (sets.length === 0) {
            throw new UnsatisfiablePolicyError(this.describe(), this.channelOrgs);
        }
        const fewest = sets.filter((set) => set.length === sets[0].length);
        const chosen = fewest.find((set) => preferredMspId !== undefined && set.includes(preferredMspId)) ?? fewest[0];
        if (chosen.length === 0) {
            const fallback =
                preferredMspId !== undefined && this.channelOrgs.includes(preferredMspId)
                    ? preferredMspId
                    : this.channelOrgs[0];
            return fallback === undefined ? [] : [fallback];
        }
        return preferredMspId !== undefined && chosen.includes(preferredMspId)
            ? [preferredMspId, ...chosen.filter((org) => org !== preferredMspId)]
            : chosen;
    }

    /** Subsets by increasing size, in channel order, skipping supersets of sets already found. */
    #searchMinimalSets(): string[][] {
        const orgs = [...new Set(this.channelOrgs)];
        const found: string[][] = [];
        for (let size = 0; size <= orgs.length; size++) {
            for (const subset of combinations(orgs, size)) {
                const containsFound = found.some((set) => set.every((org) => subset.includes(org)));
                if (!containsFound && this.evaluate(subset.map((mspId) => ({ mspId, nodeOU: 'peer' })))) {
                    found.push(subset);
                }
            }
        }
        return found;
    }
}

class SignaturePolicyOverChannel extends OrgSearchingPolicy {
    readonly #rule: CompiledRule;
    readonly #text: string;

    constructor(envelope: common.SignaturePolicyEnvelope, channelOrgs: readonly string[]) {
        super(channelOrgs);
        this.#rule = compileSignaturePolicy(envelope);
        this.#text = formatSignaturePolicy(envelope);
    }

    evaluate(signers: readonly PolicySigner[]): boolean {
        return evaluateCompiled(this.#rule, signers);
    }

    describe(): string {
        return this.#text;
    }
}

/**
 * Fabric's ImplicitMetaPolicy over each organization's `Endorsement` sub-policy: ANY needs one,
 * ALL needs every one, MAJORITY needs more than half (floor(n/2) + 1).
 */
class ImplicitMetaPolicy extends OrgSearchingPolicy {
    readonly #rule: MetaRule;
    readonly #threshold: number;
    readonly #subPolicies: { mspId: string; rule: CompiledRule }[];

    constructor(rule: MetaRule, channelOrgs: readonly string[]) {
        super(channelOrgs);
        this.#rule = rule;
        const count = channelOrgs.length;
        this.#threshold = rule === 'ANY' ? 1 : rule === 'ALL' ? count : Math.floor(count / 2) + 1;
        this.#subPolicies = channelOrgs.map((mspId) => ({
            mspId,
            rule: compileSignaturePolicy(parseSignaturePolicy(`OR('${mspId}.peer')`)),
        }));
    }

    evaluate(signers: readonly PolicySigner[]): boolean {
        let satisfied = 0;
        for (const subPolicy of this.#subPolicies) {
            if (evaluateCompiled(subPolicy.rule, signers)) {
                satisfied++;
            }
        }
        return satisfied >= this.#threshold;
    }

    describe(): string {
        const orgs = this.#subPolicies.map((subPolicy) => subPolicy.mspId).join(', ');
        return `${this.#rule} ${ENDORSEMENT_SUB_POLICY} (${this.#threshold} of ${this.#subPolicies.length} organizations' peers: ${orgs})`;
    }
}

class AllOfPolicy extends OrgSearchingPolicy {
    readonly #policies: readonly ChannelPolicy[];

    constructor(policies: readonly ChannelPolicy[]) {
        super([...new Set(policies.flatMap((policy) => policy.channelOrgs))]);
        this.#policies = policies;
    }

    evaluate(signers: readonly PolicySigner[]): boolean {
        return this.#policies.every((policy) => policy.evaluate(signers));
    }

    describe(): string {
        return this.#policies.map((policy) => policy.describe()).join(' and ');
    }
}

/** The `size`-element subsets of `items`, each in the items' order, in lexicographic order. */
export function* combinations<T>(items: readonly T[], size: number, start = 0): Generator<T[]> {
    if (size === 0) {
        yield [];
        return;
    }
    for (let i = start; i <= items.length - size; i++) {
        for (const rest of combinations(items, size - 1, i + 1)) {
            yield [items[i], ...rest];
        }
    }
}
