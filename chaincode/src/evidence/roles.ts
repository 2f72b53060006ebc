export const COURT = { msp: 'CourtMSP', role: 'court' } as const;
/** Who may deposit: litigants, platforms, courts and the notary office. */
export const DEPOSITORS = [
    { msp: 'MemberMSP', role: 'party' },
    { msp: 'PlatformMSP', role: 'platform' },
    COURT,
    { msp: 'RegulatorMSP', role: 'notary' },
] as const;
