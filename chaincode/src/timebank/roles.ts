/** 志愿服务站: posts orders, confirms, fulfils redemptions and allocates from the donation pool. */
export const STATION = { msp: 'MemberMSP', role: 'station' } as const;
/** 民政局: records elder details, registers people in need and allocates from the pool. */
export const CIVIL_AFFAIRS = { msp: 'RegulatorMSP', role: 'civil-affairs' } as const;
export const VOLUNTEER = { msp: 'MemberMSP', role: 'volunteer' } as const;
