/** Fabric's `TxValidationCode` values that the embedded committer assigns. */
export const TxValidationCode = {
    VALID: 0,
    BAD_PAYLOAD: 2,
    BAD_CREATOR_SIGNATURE: 4,
    INVALID_ENDORSER_TRANSACTION: 5,
    DUPLICATE_TXID: 9,
    ENDORSEMENT_POLICY_FAILURE: 10,
    MVCC_READ_CONFLICT: 11,
    PHANTOM_READ_CONFLICT: 12,
    ILLEGAL_WRITESET: 23,
    INVALID_OTHER_REASON: 255,
} as const;

export type TxValidationCodeValue = (typeof TxValidationCode)[keyof typeof TxValidationCode];

const names = new Map<number, string>(Object.entries(TxValidationCode).map(([name, code]) => [code, name]));

/** The Fabric name of a validation code, e.g. `MVCC_READ_CONFLICT` for 11. */
export function validationCodeName(code: number): string {
    return names.get(code) ?? `UNKNOWN_${code}`;
}
