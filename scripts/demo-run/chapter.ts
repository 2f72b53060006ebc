import type { Text } from './text';

/** A JSON answer of a contract, as the step that asked for it reads it. */
export type Answer = Record<string, unknown>;

/**
 * One step of the narrated demo: who acts, which transaction of which contract, what it means,
 * and — for the refusals that teach — the chaincode code it must be refused with and the
 * invariant that refusal protects. Arguments are functions because they use what earlier steps
 * answered (a patient id, an account id).
 */
export interface Step {
    /** The demo identity that signs, `MSP:user`. */
    actor: string;
    /** The transaction's name in the chapter's contract. */
    fn: string;
    /** Evaluated on one peer and never ordered (a query), instead of submitted. */
    evaluate?: boolean;
    args?: () => string[];
    /** Private input (Fabric's transient map): it reaches the endorsing peers, never a block. */
    transient?: () => Record<string, string>;
    /** What happens, for the audience. */
    say: () => Text;
    /** The step must be refused with this chaincode code; `why` is the invariant the refusal protects. */
    refused?: { code: string; why: Text };
    /** A refusal with this code means an earlier run did it already: the step is skipped, not failed. */
    doneIf?: string;
    /** Wall-clock time (ms since the epoch) to wait for before the step, with what is awaited. */
    waitUntil?: () => { at: number; for: Text } | undefined;
    /** Receives the answer, for later steps. */
    keep?: (answer: Answer) => void;
    /** What the answer says, for the audience (queries). */
    show?: (answer: Answer) => Text;
}

/** One application's part of the demo, in the order it is told. */
export interface Chapter {
    /** The contract of the zhelian chaincode, e.g. `einvoice`. */
    contract: string;
    title: Text;
    /** The real system in a sentence or two, and what this chapter shows. */
    story: Text;
    steps: Step[];
}

/** What the run gives every chapter: ids unique to this run, so the demo can run again and again. */
export interface RunContext {
    /** A short tag unique to this run, e.g. `k3x9q2`: letters and digits only. */
    tag: string;
    /** Wall-clock now; the lottery's cutoff is set from it. */
    now: () => number;
    /** The mean time a submission has taken to commit so far in this run (0 before the first). */
    commitLatencyMs: () => number;
}
