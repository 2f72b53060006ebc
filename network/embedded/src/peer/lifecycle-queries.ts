import { peer } from '@hyperledger/fabric-protos';
import type { CommittedChaincode } from '@zhelian/api';
import type { ChaincodeDefinition, CollectionConfigJson } from '../chaincode/definition';
import { parseSignaturePolicy } from '../policy';
import type { ChaincodeAnswer, SystemChaincode } from './system-chaincode';

/** What the `_lifecycle` queries read: the committed definitions and who approved them. */
export interface CommittedDefinitions {
    definition(name: string): ChaincodeDefinition | undefined;
    definitions(): ChaincodeDefinition[];
    queryCommitted(name: string): Promise<CommittedChaincode[]>;
}

/** An implicit meta policy such as `MAJORITY Endorsement`: the channel's own Endorsement policy. */
const IMPLICIT_META = /^\s*(ANY|ALL|MAJORITY)\s+\w+\s*$/;
/** Where Fabric's channel configuration keeps the application Endorsement policy. */
const CHANNEL_ENDORSEMENT = '/Channel/Application/Endorsement';

/**
 * The read-only queries of Fabric's `_lifecycle` system chaincode — `QueryChaincodeDefinitions`
 * and `QueryChaincodeDefinition` — answered from the committed definitions with Fabric's
 * protobufs (`ApplicationPolicy` validation parameter, `CollectionConfigPackage`, approvals), so
 * `peer lifecycle chaincode querycommitted` and clients that read definitions through a peer find
 * them. The lifecycle's writing steps stay the ledger's own (see docs/embedded-ledger.md).
 *
 * ```ts
 * const args = new lifecycle.QueryChaincodeDefinitionArgs(); args.setName('basic');
 * await queries.invoke([utf8('QueryChaincodeDefinition'), args.serializeBinary()]);
 * ```
 */
export class LifecycleQueries implements SystemChaincode {
    readonly #committed: CommittedDefinitions;

    constructor(committed: CommittedDefinitions) {
        this.#committed = committed;
    }

    async invoke(args: readonly Uint8Array[]): Promise<ChaincodeAnswer> {
        const name = args[0] ? Buffer.from(args[0]).toString('utf8') : '';
        if (args.length !== 2) {
            return failure(`lifecycle scc must be invoked with two arguments, got ${args.length}`);
        }
        switch (name) {
            case 'QueryChaincodeDefinitions':
                return success(this.#definitions());
            case 'QueryChaincodeDefinition':
                return this.#definition(
                    peer.lifecycle.QueryChaincodeDefinitionArgs.deserializeBinary(args[1]).getName(),
                );
            default:
                return failure(
                    `failed to invoke backing implementation of '${name}': receiver has no method named ${name}; the embedded ledger answers the _lifecycle queries only`,
                );
        }
    }

    #definitions(): Uint8Array {
        const result = new peer.lifecycle.QueryChaincodeDefinitionsResult();
        result.setChaincodeDefinitionsList(
            this.#committed.definitions().map((definition) => {
                const item = new peer.lifecycle.QueryChaincodeDefinitionsResult.ChaincodeDefinition();
                item.setName(definition.name);
                return withDefinition(item, definition);
            }),
        );
        return result.serializeBinary();
    }

    async #definition(name: string): Promise<ChaincodeAnswer> {
        const definition = this.#committed.definition(name);
        if (!definition) {
            return failure(
                `failed to invoke backing implementation of 'QueryChaincodeDefinition': namespace ${name} is not defined`,
            );
        }
        const [committed] = await this.#committed.queryCommitted(name);
        const result = withDefinition(new peer.lifecycle.QueryChaincodeDefinitionResult(), definition);
        const approvals = result.getApprovalsMap();
        for (const [mspId, approved] of Object.entries(committed.approvals)) {
            approvals.set(mspId, approved);
        }
        return success(result.serializeBinary());
    }
}

/** The fields both `_lifecycle` query results carry for a definition. */
interface DefinitionFields {
    setSequence(value: number): void;
    setVersion(value: string): void;
    setEndorsementPlugin(value: string): void;
    setValidationPlugin(value: string): void;
    setValidationParameter(value: Uint8Array): void;
    setCollections(value?: peer.CollectionConfigPackage): void;
}

/** Fills a query result with a definition as `_lifecycle` stores one (Fabric's default plugins, no init). */
function withDefinition<T extends DefinitionFields>(target: T, definition: ChaincodeDefinition): T {
    target.setSequence(definition.sequence);
    target.setVersion(definition.version);
    target.setEndorsementPlugin('escc');
    target.setValidationPlugin('vscc');
    target.setValidationParameter(applicationPolicy(definition.policy).serializeBinary());
    target.setCollections(collectionPackage(definition.collections));
    return target;
}

/** A chaincode or collection endorsement policy as Fabric's `ApplicationPolicy`. */
function applicationPolicy(expression: string): peer.ApplicationPolicy {
    const policy = new peer.ApplicationPolicy();
    if (IMPLICIT_META.test(expression)) {
        policy.setChannelConfigPolicyReference(CHANNEL_ENDORSEMENT);
    } else {
        policy.setSignaturePolicy(parseSignaturePolicy(expression));
    }
    return policy;
}

/** Collections as Fabric's `CollectionConfigPackage`, as `collections_config.json` becomes one. */
function collectionPackage(collections: readonly CollectionConfigJson[]): peer.CollectionConfigPackage {
    const configs = collections.map((json) => {
        const members = new peer.CollectionPolicyConfig();
        members.setSignaturePolicy(parseSignaturePolicy(json.policy));
        const collection = new peer.StaticCollectionConfig();
        collection.setName(json.name);
        collection.setMemberOrgsPolicy(members);
        collection.setRequiredPeerCount(json.requiredPeerCount ?? 0);
        collection.setMaximumPeerCount(json.maxPeerCount ?? 0);
        collection.setBlockToLive(json.blockToLive ?? 0);
        collection.setMemberOnlyRead(json.memberOnlyRead ?? false);
        collection.setMemberOnlyWrite(json.memberOnlyWrite ?? false);
        const endorsement = json.endorsementPolicy;
        if (endorsement?.signaturePolicy) {
            collection.setEndorsementPolicy(applicationPolicy(endorsement.signaturePolicy));
        } else if (endorsement?.channelConfigPolicy) {
            const reference = new peer.ApplicationPolicy();
            reference.setChannelConfigPolicyReference(endorsement.channelConfigPolicy);
            collection.setEndorsementPolicy(reference);
        }
        const config = new peer.CollectionConfig();
        config.setStaticCollectionConfig(collection);
        return config;
    });
    const result = new peer.CollectionConfigPackage();
    result.setConfigList(configs);
    return result;
}

function success(payload: Uint8Array): ChaincodeAnswer {
    return { status: 200, message: '', payload };
}

function failure(message: string): ChaincodeAnswer {
    return { status: 500, message, payload: new Uint8Array() };
}
