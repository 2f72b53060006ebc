import type { TxRwSet } from '../ledger/rwset';

/**
 * What an endorsement tells the gateway about the policies its transaction needs: Fabric's
 * `protos.ChaincodeInterest`, which the endorser returns beside its proposal response and from
 * which the gateway plans the remaining endorsers.
 */
export interface ChaincodeInterest {
    chaincodes: ChaincodeCall[];
}

/** One chaincode (namespace), or one of its collections, whose policies the endorsers must satisfy. */
export interface ChaincodeCall {
    name: string;
    /** Empty for the public state; otherwise the one collection this call stands for. */
    collectionNames: string[];
    /**
     * The simulation read none of the collection's private values (hashes do not count), so a
     * peer outside the collection can endorse it alike.
     */
    noPrivateReads: boolean;
    /** Key-level policies (`SignaturePolicyEnvelope` bytes) of the written keys, as committed. */
    keyPolicies: Uint8Array[];
    /** Every public key written has a key-level policy: the chaincode's own policy is not needed. */
    disregardNamespacePolicy: boolean;
}

/** The committed metadata of one public key (its key-level policy is `VALIDATION_PARAMETER`). */
export type CommittedMetadata = (namespace: string, key: string) => Promise<Record<string, Uint8Array> | undefined>;

const VALIDATION_PARAMETER = 'VALIDATION_PARAMETER';

/**
 * Builds the interest as Fabric's endorser does (core/endorser `buildChaincodeInterest`) from the
 * simulation: each written key contributes its key-level policy **as committed** (the ledger's
 * state metadata, which the validator checks too), so a key whose policy this transaction sets
 * for the first time needs the chaincode policy; a namespace only read needs its chaincode
 * policy; each collection written without a key-level policy, or whose values were read, is a
 * call of its own.
 */
export async function buildChaincodeInterest(
    rwset: TxRwSet,
    privateReads: readonly { namespace: string; collection: string }[],
    committedMetadata: CommittedMetadata,
): Promise<ChaincodeInterest> {
    const chaincodes: ChaincodeCall[] = [];
    for (const ns of rwset) {
        const writtenKeys = new Set([...ns.writes.map((w) => w.key), ...ns.metadataWrites.map((w) => w.key)]);
        const writtenCollections = ns.collections.filter((c) => c.hashedWrites.length > 0).map((c) => c.collection);
        const wrote = writtenKeys.size > 0 || writtenCollections.length > 0;

        const keyPolicies: Uint8Array[] = [];
        let needsNamespacePolicy = !wrote;
        for (const key of writtenKeys) {
            const policy = (await committedMetadata(ns.namespace, key))?.[VALIDATION_PARAMETER];
            if (policy && policy.length > 0) {
                keyPolicies.push(policy);
            } else {
                needsNamespacePolicy = true;
            }
        }
        if (keyPolicies.length > 0 || needsNamespacePolicy) {
            chaincodes.push({
                name: ns.namespace,
                collectionNames: [],
                noPrivateReads: false,
                keyPolicies,
                disregardNamespacePolicy: !needsNamespacePolicy,
            });
        }

        const read = new Set(privateReads.filter((r) => r.namespace === ns.namespace).map((r) => r.collection));
        for (const collection of [...new Set([...writtenCollections, ...read])].sort()) {
            chaincodes.push({
                name: ns.namespace,
                collectionNames: [collection],
                noPrivateReads: !read.has(collection),
                keyPolicies: [],
                disregardNamespacePolicy: false,
            });
        }
    }
    return { chaincodes };
}
