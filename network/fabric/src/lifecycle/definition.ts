import type { peer } from '@hyperledger/fabric-protos';
import type { ChaincodeDefinitionRequest } from '@zhelian/api';
import { applicationPolicy, readCollections } from './collections';

/** Sets a definition's fields on a `_lifecycle` argument, as `peer lifecycle chaincode` does. */
export async function fillDefinition(
    args:
        | peer.lifecycle.ApproveChaincodeDefinitionForMyOrgArgs
        | peer.lifecycle.CheckCommitReadinessArgs
        | peer.lifecycle.CommitChaincodeDefinitionArgs,
    definition: ChaincodeDefinitionRequest,
    defaultPolicy: string,
): Promise<void> {
    args.setName(definition.name);
    args.setSequence(definition.sequence);
    args.setVersion(definition.version ?? '1.0');
    args.setEndorsementPlugin('escc');
    args.setValidationPlugin('vscc');
    args.setValidationParameter(applicationPolicy(definition.policy ?? defaultPolicy).serializeBinary());
    if (definition.collections) {
        args.setCollections(await readCollections(definition.collections));
    }
    args.setInitRequired(false);
}
