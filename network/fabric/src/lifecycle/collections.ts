import { readFile } from 'node:fs/promises';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import { ErrorCode, ZhelianError } from '@zhelian/api';
import { signaturePolicy } from './signature-policy';

/** One entry of Fabric's `collections_config.json`, as the peer CLI reads it. */
interface CollectionJson {
    name: string;
    policy: string;
    requiredPeerCount?: number;
    maxPeerCount?: number;
    blockToLive?: number;
    memberOnlyRead?: boolean;
    memberOnlyWrite?: boolean;
    endorsementPolicy?: { signaturePolicy?: string; channelConfigPolicy?: string };
}

/** A `collections_config.json` file as the `CollectionConfigPackage` a chaincode definition carries. */
export async function readCollections(file: string): Promise<peer.CollectionConfigPackage> {
    let entries: CollectionJson[];
    try {
        entries = JSON.parse(await readFile(file, 'utf8')) as CollectionJson[];
    } catch (err) {
        throw new ZhelianError(ErrorCode.INVALID_COLLECTIONS, `${file}: ${(err as Error).message}`, { cause: err });
    }
    if (!Array.isArray(entries)) {
        throw new ZhelianError(ErrorCode.INVALID_COLLECTIONS, `${file}: expected an array of collections`);
    }
    const configPackage = new peer.CollectionConfigPackage();
    configPackage.setConfigList(
        entries.map((entry, index) => {
            if (typeof entry.name !== 'string' || typeof entry.policy !== 'string') {
                throw new ZhelianError(
                    ErrorCode.INVALID_COLLECTIONS,
                    `${file}: collection ${index} needs a name and a policy`,
                );
            }
            const memberOrgs = new peer.CollectionPolicyConfig();
            memberOrgs.setSignaturePolicy(signaturePolicy(entry.policy));
            const collection = new peer.StaticCollectionConfig();
            collection.setName(entry.name);
            collection.setMemberOrgsPolicy(memberOrgs);
            collection.setRequiredPeerCount(entry.requiredPeerCount ?? 0);
            collection.setMaximumPeerCount(entry.maxPeerCount ?? 0);
            collection.setBlockToLive(entry.blockToLive ?? 0);
            collection.setMemberOnlyRead(entry.memberOnlyRead ?? false);
            collection.setMemberOnlyWrite(entry.memberOnlyWrite ?? false);
            const endorsement = entry.endorsementPolicy;
            if (endorsement?.signaturePolicy || endorsement?.channelConfigPolicy) {
                collection.setEndorsementPolicy(
                    applicationPolicy(endorsement.signaturePolicy ?? endorsement.channelConfigPolicy ?? '', {
                        reference: endorsement.channelConfigPolicy !== undefined,
                    }),
                );
            }
            const config = new peer.CollectionConfig();
            config.setStaticCollectionConfig(collection);
            return config;
        }),
    );
    return configPackage;
}

/**
 * A chaincode or collection endorsement policy: a signature policy, or a reference to a channel
 * policy (`/Channel/Application/Endorsement`, which `MAJORITY Endorsement` names on our channel).
 */
export function applicationPolicy(text: string, { reference = false } = {}): peer.ApplicationPolicy {
    const policy = new peer.ApplicationPolicy();
    if (reference) {
        policy.setChannelConfigPolicyReference(text);
    } else if (/^\s*(ANY|ALL|MAJORITY)\s+Endorsement\s*$/.test(text)) {
        // The channel's Endorsement policy is MAJORITY Endorsement (configtx.yaml); ANY/ALL have
        // no channel policy to refer to and are refused rather than silently changed.
        if (!/^\s*MAJORITY\s+Endorsement\s*$/.test(text)) {
            throw new ZhelianError(
                ErrorCode.INVALID_POLICY,
                `"${text.trim()}" is not a policy of this channel: use MAJORITY Endorsement or a signature policy`,
            );
        }
        policy.setChannelConfigPolicyReference('/Channel/Application/Endorsement');
    } else {
        policy.setSignaturePolicy(signaturePolicy(text));
    }
    return policy;
}

/** The policy text of an `ApplicationPolicy`, for people (a reference as its path). */
export function describeApplicationPolicy(bytes: Uint8Array): string {
    if (bytes.length === 0) {
        return 'MAJORITY Endorsement';
    }
    const policy = peer.ApplicationPolicy.deserializeBinary(bytes);
    const reference = policy.getChannelConfigPolicyReference();
    if (reference === '/Channel/Application/Endorsement') {
        return 'MAJORITY Endorsement';
    }
    if (reference) {
        return reference;
    }
    return describeSignaturePolicy(policy.getSignaturePolicy());
}

function describeSignaturePolicy(envelope: common.SignaturePolicyEnvelope | undefined): string {
    if (!envelope) {
        return '';
    }
    const identities = envelope.getIdentitiesList().map((principal) => {
        const role = msp.MSPRole.deserializeBinary(principal.getPrincipal_asU8());
        const roleName = ['member', 'admin', 'client', 'peer', 'orderer'][role.getRole()] ?? 'member';
        return `'${role.getMspIdentifier()}.${roleName}'`;
    });
    const describe = (rule: common.SignaturePolicy | undefined): string => {
        if (!rule) {
            return '';
        }
        if (rule.hasSignedBy()) {
            return identities[rule.getSignedBy()] ?? '?';
        }
        const nOutOf = rule.getNOutOf();
        const rules = nOutOf?.getRulesList() ?? [];
        const n = nOutOf?.getN() ?? 0;
        const inner = rules.map(describe).join(', ');
        if (n === rules.length) {
            return `AND(${inner})`;
        }
        return n === 1 ? `OR(${inner})` : `OutOf(${n}, ${inner})`;
    };
    return describe(envelope.getRule());
}
