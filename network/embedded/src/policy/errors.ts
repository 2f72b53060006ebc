/** Errors of policy parsing and evaluation, each with a stable `code`. */
export abstract class PolicyError extends Error {
    abstract readonly code: string;

    constructor(message: string) {
        super(message);
        this.name = new.target.name;
    }
}

/** A policy expression that does not parse; `position` is the 0-based offset of the problem. */
export class PolicySyntaxError extends PolicyError {
    readonly code = 'POLICY_SYNTAX';

    constructor(
        readonly expression: string,
        readonly position: number,
        readonly reason: string,
    ) {
        super(`Invalid policy "${expression}" at position ${position}: ${reason}`);
    }
}

/** Policy bytes that are not a SignaturePolicyEnvelope this ledger can evaluate. */
export class InvalidPolicyError extends PolicyError {
    readonly code = 'INVALID_POLICY';

    constructor(reason: string) {
        super(`Invalid signature policy: ${reason}`);
    }
}

/** No set of the channel's organizations can satisfy the policy with their peers' endorsements. */
export class UnsatisfiablePolicyError extends PolicyError {
    readonly code = 'UNSATISFIABLE_POLICY';

    constructor(
        readonly policy: string,
        readonly channelOrgs: readonly string[],
    ) {
        super(
            `No set of peers of ${channelOrgs.join(', ') || 'no organizations'} can satisfy the endorsement policy ${policy}`,
        );
    }
}
