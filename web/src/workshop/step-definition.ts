/**
 * One way a lesson step counts as done, as the gateway checks a participant's evidence: the step's
 * transaction on the ledger with a validation code (`VALID`, or the refusal the step is about), an
 * evaluation the gateway answered, a call it refused with a code, or a chain verification.
 */
export type StepOutcome =
    { ledger: string } | { answered: true } | { refused: string } | { verification: 'intact' | 'tampered' };

/**
 * What a lesson step asks and what counts as done: the gateway's definition (its copy is
 * `lesson-steps.ts`, generated). How to do a step — its arguments — is the UI's.
 */
export interface LessonStepDefinition {
    key: string;
    kind: 'tx' | 'burst' | 'verify';
    contract?: string;
    fn?: string;
    /** The network identity whose role the step acts in; a learner with a token acts as its own for that role. */
    as?: string;
    done: readonly StepOutcome[];
}
