import { ErrorCode, ZhelianError } from '@zhelian/api';

/** Errors of policy parsing and evaluation, each with a stable `code`. */
export abstract class PolicyError extends ZhelianError {}

/** A policy expression that does not parse; `position` is the 0-based offset of the problem. */
export class PolicySyntaxError extends PolicyError {
    constructor(
        readonly expression: string,
        readonly position: number,
        readonly reason: string,
    ) {
        super(ErrorCode.POLICY_SYNTAX, `Invalid policy "${expression}" at position ${position}: ${reason}`);
    }
}

/** Policy bytes that are not a SignaturePolicyEnvelope this ledger can evaluate. */
export class InvalidPolicyError extends PolicyError {
    constructor(reason: string) {
        super(ErrorCode.INVALID_POLICY, `Invalid signature policy: ${reason}`);
    }
}

/** No set of the channel's organizations can satisfy the policy with their peers' endorsements. */
export class UnsatisfiablePolicyError extends PolicyError {
    constructor(
        readonly policy: string,
        readonly channelOrgs: readonly string[],
    ) {
        super(
            ErrorCode.UNSATISFIABLE_POLICY,
            `No set of peers of ${channelOrgs.join(', ') || 'no organizations'} can satisfy the endorsement policy ${policy}`,
        );
    }
}
