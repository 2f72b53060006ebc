import type { common } from '@hyperledger/fabric-protos';
import { InvalidPolicyError } from './errors';
import { rolePrincipals, type RolePrincipal } from './signature-policy';

/**
 * One signature's identity as a policy sees it. Signers with the same `certificate` (or, when
 * absent, the same MSP ID and NodeOU) count once, as Fabric de-duplicates identities before
 * evaluating; pass `certificate` to count distinct identities of one org and role separately.
 */
export interface PolicySigner {
    mspId: string;
    /** NodeOU of the signer's certificate: client, admin, peer or orderer. */
    nodeOU: string;
    certificate?: string;
}

/** A policy rule with its principals resolved, ready to evaluate many times. */
export type CompiledRule =
    { kind: 'signedBy'; principal: RolePrincipal } | { kind: 'nOutOf'; n: number; rules: CompiledRule[] };

/**
 * Whether `signers` satisfy the signature policy, with Fabric's semantics: each signature
 * satisfies at most one principal, consumed greedily in signer order (so, as Fabric documents,
 * the order of principals and signatures can matter); `member` matches any identity of the MSP,
 * `admin`/`client`/`peer`/`orderer` only identities of that NodeOU.
 *
 * ```ts
 * const policy = parseSignaturePolicy("AND('Org1MSP.peer', 'Org2MSP.peer')");
 * evaluateSignaturePolicy(policy, [{ mspId: 'Org1MSP', nodeOU: 'peer' }, { mspId: 'Org2MSP', nodeOU: 'peer' }]); // true
 * ```
 */
export function evaluateSignaturePolicy(
    envelope: common.SignaturePolicyEnvelope,
    signers: readonly PolicySigner[],
): boolean {
    return evaluateCompiled(compileSignaturePolicy(envelope), signers);
}

/** Resolves an envelope's principals once, for callers that evaluate the same policy often. */
export function compileSignaturePolicy(envelope: common.SignaturePolicyEnvelope): CompiledRule {
    const principals = rolePrincipals(envelope);
    const rule = envelope.getRule();
    if (!rule) {
        throw new InvalidPolicyError('the envelope has no rule');
    }
    return compileRule(rule, principals);
}

/** Evaluates a compiled rule against de-duplicated signers. */
export function evaluateCompiled(rule: CompiledRule, signers: readonly PolicySigner[]): boolean {
    const distinct = deduplicate(signers);
    return satisfies(rule, distinct, new Array<boolean>(distinct.length).fill(false));
}

function compileRule(rule: common.SignaturePolicy, principals: RolePrincipal[]): CompiledRule {
    const nOutOf = rule.getNOutOf();
    if (nOutOf) {
        return {
            kind: 'nOutOf',
            n: nOutOf.getN(),
            rules: nOutOf.getRulesList().map((child) => compileRule(child, principals)),
        };
    }
    const principal = principals[rule.getSignedBy()];
    if (!principal) {
        throw new InvalidPolicyError(
            `a rule signs by identity ${rule.getSignedBy()}, but the envelope has ${principals.length} identities`,
        );
    }
    return { kind: 'signedBy', principal };
}

/** Fabric's cauthdsl evaluation: `used` marks signatures already consumed by a principal. */
function satisfies(rule: CompiledRule, signers: readonly PolicySigner[], used: boolean[]): boolean {
    if (rule.kind === 'signedBy') {
        const index = signers.findIndex((signer, i) => !used[i] && matchesPrincipal(signer, rule.principal));
        if (index < 0) {
            return false;
        }
        used[index] = true;
        return true;
    }
    let satisfied = 0;
    for (const child of rule.rules) {
        // A child that fails must not consume signatures, so it works on a copy.
        const attempt = [...used];
        if (satisfies(child, signers, attempt)) {
            satisfied++;
            attempt.forEach((value, i) => (used[i] = value));
        }
    }
    return satisfied >= rule.n;
}

function matchesPrincipal(signer: PolicySigner, principal: RolePrincipal): boolean {
    if (signer.mspId !== principal.mspId) {
        return false;
    }
    return principal.role === 'member' || principal.role === signer.nodeOU;
}

function deduplicate(signers: readonly PolicySigner[]): PolicySigner[] {
    const seen = new Set<string>();
    return signers.filter((signer) => {
        const key = signer.certificate ?? `${signer.mspId}\u0000${signer.nodeOU}`;
        if (seen.has(key)) {
            return false;
        }
        seen.add(key);
        return true;
    });
}
