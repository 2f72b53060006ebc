export { allOf, combinations, parseEndorsementPolicy, toChannelPolicy, type ChannelPolicy } from './endorsement-policy';
export { InvalidPolicyError, PolicyError, PolicySyntaxError, UnsatisfiablePolicyError } from './errors';
export {
    compileSignaturePolicy,
    evaluateCompiled,
    evaluateSignaturePolicy,
    type CompiledRule,
    type PolicySigner,
} from './evaluate';
export {
    decodeSignaturePolicy,
    formatSignaturePolicy,
    parseSignaturePolicy,
    rolePrincipals,
    type PrincipalRole,
    type RolePrincipal,
} from './signature-policy';
