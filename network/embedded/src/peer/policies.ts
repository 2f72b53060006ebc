import { msp } from '@hyperledger/fabric-protos';
import type { ChaincodeDefinition, CollectionConfigJson } from '../chaincode/definition';
import type { TransactionEnvelope } from '../ledger/block';
import { envelopeSigningBytes } from '../ledger/block';
import type { CollectionDefinition } from '../ledger/collections';
import type { SignatureVerdict, Signer, ValidationRules } from '../ledger/committer';
import type { Membership } from '../msp';
import {
    compileSignaturePolicy,
    decodeSignaturePolicy,
    evaluateCompiled,
    evaluateSignaturePolicy,
    parseEndorsementPolicy,
    parseSignaturePolicy,
} from '../policy';

type Evaluator = (signers: Signer[]) => boolean;

const KEY_POLICY_CACHE_SIZE = 256;

/**
 * The channel's policies in one place: chaincode and collection endorsement policies and
 * key-level policies, for the committer's validation and the gateway's endorsement planning.
 */
export class ChannelPolicies {
    readonly #orgs: string[];
    readonly #membership: Membership;
    readonly #cache = new Map<string, Evaluator>();
    readonly #keyPolicies = new Map<string, Evaluator>();

    constructor(orgs: string[], membership: Membership) {
        this.#orgs = orgs;
        this.#membership = membership;
    }

    /** The channel's organizations, in channel order. */
    get orgs(): readonly string[] {
        return this.#orgs;
    }

    /** Throws a policy syntax error for an expression that is not a valid policy on this channel. */
    checkPolicy(expression: string): void {
        this.#evaluator(expression);
    }

    /**
     * Reads Fabric's collections config; member organizations come from each collection's policy.
     * Every chaincode also gets Fabric's implicit per-organization collections
     * (`_implicit_org_<MSP ID>`), which only that organization's peer must endorse.
     */
    collectionDefinitions(configs: CollectionConfigJson[]): Map<string, CollectionDefinition> {
        const implicit = this.#orgs.map((org): [string, CollectionDefinition] => [
            `_implicit_org_${org}`,
            {
                name: `_implicit_org_${org}`,
                policy: `OR('${org}.member')`,
                memberOrgs: [org],
                memberOnlyRead: false,
                memberOnlyWrite: false,
                endorsementPolicy: `OR('${org}.peer')`,
            },
        ]);
        return new Map([
            ...implicit,
            ...configs.map((config) => {
                const envelope = parseSignaturePolicy(config.policy);
                const memberOrgs = envelope
                    .getIdentitiesList()
                    .map((principal) =>
                        msp.MSPRole.deserializeBinary(principal.getPrincipal_asU8()).getMspIdentifier(),
                    );
                const endorsementPolicy = config.endorsementPolicy?.signaturePolicy;
                if (endorsementPolicy) {
                    this.checkPolicy(endorsementPolicy);
                }
                const definition: CollectionDefinition = {
                    name: config.name,
                    policy: config.policy,
                    memberOrgs: [...new Set(memberOrgs)],
                    memberOnlyRead: config.memberOnlyRead ?? false,
                    memberOnlyWrite: config.memberOnlyWrite ?? false,
                    ...(endorsementPolicy ? { endorsementPolicy } : {}),
                    ...(config.blockToLive ? { blockToLive: config.blockToLive } : {}),
                };
                return [config.name, definition] as [string, CollectionDefinition];
            }),
        ]);
    }

    /**
     * Whether one peer of each of `orgs`, endorsing together, satisfies a policy: an expression
     * (chaincode or collection policy) or a key-level policy's `SignaturePolicyEnvelope` bytes.
     */
    satisfiedBy(policy: string | Uint8Array, orgs: readonly string[]): boolean {
        const evaluate = typeof policy === 'string' ? this.#evaluator(policy) : this.#keyPolicyEvaluator(policy);
        return evaluate(orgs.map((mspId) => ({ mspId, nodeOU: 'peer' })));
    }

    validationRules(
        definition: (name: string) => ChaincodeDefinition | undefined,
        collection: (ns: string, coll: string) => CollectionDefinition | undefined,
    ): ValidationRules {
        return {
            verifyEnvelope: (envelope) => this.#verifyEnvelope(envelope),
            chaincodePolicy: (namespace) => {
                const found = definition(namespace);
                return found ? this.#evaluator(found.policy) : undefined;
            },
            keyPolicySatisfied: (policy, signers) => evaluateSignaturePolicy(decodeSignaturePolicy(policy), signers),
            collectionPolicy: (namespace, name) => {
                const policy = collection(namespace, name)?.endorsementPolicy;
                return policy ? this.#evaluator(policy) : undefined;
            },
        };
    }

    /** The client's signature and every endorsement, checked at once (off the event loop). */
    async #verifyEnvelope(envelope: TransactionEnvelope): Promise<SignatureVerdict> {
        const [creatorValid, ...endorsed] = await Promise.all([
            this.#membership.verifySignature(envelope.creator, envelopeSigningBytes(envelope), envelope.signature),
            ...envelope.endorsements.map((endorsement) =>
                this.#membership.verifySignature(
                    endorsement.endorser,
                    Buffer.concat([envelope.responsePayload, endorsement.endorser]),
                    endorsement.signature,
                ),
            ),
        ]);
        const endorsers = envelope.endorsements
            .filter((_, i) => endorsed[i])
            .map((endorsement) => {
                const { mspId, nodeOU } = this.#membership.deserialize(endorsement.endorser);
                return { mspId, nodeOU };
            });
        return { creatorValid, endorsers };
    }

    /** Key-level policies are data, written by chaincode: a bounded cache keeps the recent ones. */
    #keyPolicyEvaluator(policy: Uint8Array): Evaluator {
        const id = Buffer.from(policy).toString('base64');
        let evaluator = this.#keyPolicies.get(id);
        if (!evaluator) {
            const rule = compileSignaturePolicy(decodeSignaturePolicy(policy));
            evaluator = (signers) => evaluateCompiled(rule, signers);
            if (this.#keyPolicies.size >= KEY_POLICY_CACHE_SIZE) {
                this.#keyPolicies.delete(this.#keyPolicies.keys().next().value as string);
            }
            this.#keyPolicies.set(id, evaluator);
        }
        return evaluator;
    }

    #evaluator(expression: string): Evaluator {
        let evaluator = this.#cache.get(expression);
        if (!evaluator) {
            const policy = parseEndorsementPolicy(expression, this.#orgs);
            evaluator = (signers) => policy.evaluate(signers);
            this.#cache.set(expression, evaluator);
        }
        return evaluator;
    }
}
