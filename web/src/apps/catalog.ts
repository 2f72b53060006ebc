/**
 * The report's five cases: each is one contract of the zhelian chaincode. Texts live in the
 * messages under `cases.<contract>`; this names the contract, the identities that act in it, and
 * where its public check is.
 */
export interface AppCase {
    contract: 'einvoice' | 'lottery' | 'tea' | 'timebank' | 'evidence';
    /** A glyph for the card. */
    mark: string;
    /** Identities (MSP:user) that take part, in the order of the flow. */
    actors: string[];
    /** The public verification page of this case. */
    publicRoute: string;
}

export const CASES: readonly AppCase[] = [
    {
        contract: 'einvoice',
        mark: '票',
        actors: [
            'RegulatorMSP:finance',
            'MemberMSP:zheyi',
            'MemberMSP:patient',
            'RegulatorMSP:medicare',
            'MemberMSP:insurer',
        ],
        publicRoute: '/verify/receipt',
    },
    {
        contract: 'lottery',
        mark: '签',
        actors: ['MemberMSP:tmall', 'RegulatorMSP:notary', 'MemberMSP:entrant1', 'MemberMSP:entrant2'],
        publicRoute: '/verify/lottery',
    },
    {
        contract: 'tea',
        mark: '茶',
        actors: [
            'RegulatorMSP:market',
            'RegulatorMSP:inspector',
            'MemberMSP:farmer',
            'MemberMSP:factory',
            'PlatformMSP:yunpinhui',
            'MemberMSP:shop',
            'MemberMSP:patient',
        ],
        publicRoute: '/cake/PE-2019-000001',
    },
    {
        contract: 'timebank',
        mark: '时',
        actors: ['MemberMSP:station', 'MemberMSP:volunteer1', 'MemberMSP:elder', 'RegulatorMSP:civil'],
        publicRoute: '/explorer',
    },
    {
        contract: 'evidence',
        mark: '证',
        actors: ['MemberMSP:litigant', 'CourtMSP:hangzhou', 'PlatformMSP:alipay', 'CourtMSP:shanghai'],
        publicRoute: '/verify/evidence',
    },
];

export const caseOf = (contract: string): AppCase | undefined => CASES.find((item) => item.contract === contract);

/**
 * Private input (Fabric's transient map) that a transaction reads: the contract metadata does not
 * describe it, so the forms add a field for it here.
 */
export const TRANSIENT_FIELDS: Record<string, string[]> = {
    'einvoice.recordPatientDetails': ['patient'],
    'lottery.submitContact': ['contact'],
    'tea.recordSalePrice': ['price'],
    'timebank.recordElderDetails': ['elder'],
    'evidence.sealMaterial': ['material'],
};
