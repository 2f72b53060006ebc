import type { Context } from 'fabric-contract-api';
import { KeyEndorsementPolicy } from 'fabric-shim';
import { recordKey } from './keys';

/**
 * Key-level (state-based) endorsement: from the next transaction on, a change to this record is
 * valid only if peers of ALL the given orgs endorsed it, whatever the chaincode-level policy says.
 * The transaction that sets the policy is itself validated against the key's previous policy
 * (the chaincode-level one for a new key).
 *
 * A Fabric gateway (2.4 and later, and the embedded ledger's) reads the written keys' policies
 * from the first endorsement's chaincode interest and plans endorsers that satisfy them; clients
 * name `endorsingOrganizations` only to override that plan.
 *
 * ```ts
 * await requireEndorsementBy(ctx, 'receipt', [code, number], ['RegulatorMSP', issuer.mspId]);
 * ```
 */
export async function requireEndorsementBy(
    ctx: Context,
    type: string,
    parts: readonly string[],
    mspIds: readonly string[],
): Promise<void> {
    const policy = new KeyEndorsementPolicy();
    // MEMBER rather than PEER: any signed endorsement of the org counts, with or without NodeOUs.
    policy.addOrgs('MEMBER', ...[...new Set(mspIds)].sort());
    await ctx.stub.setStateValidationParameter(recordKey(ctx, type, parts), policy.getPolicy());
}
