import type { Context } from 'fabric-contract-api';
import { callerOf, forbidden, label, parseArgument, type Party, partyOf } from '../lib';
import { mspIdSchema } from './inputs';

export const GROWER = { msp: 'MemberMSP', role: 'grower' } as const;
export const PROCESSOR = { msp: 'MemberMSP', role: 'processor' } as const;
/** 普洱茶质检中心. */
export const INSPECTOR = { msp: 'RegulatorMSP', role: 'inspector' } as const;
/** 市场监管局. */
export const MARKET_REGULATOR = { msp: 'RegulatorMSP', role: 'market-regulator' } as const;
/** MemberMSP shops and PlatformMSP's 云品荟. */
export const RETAILERS = [
    { msp: 'MemberMSP', role: 'retailer' },
    { msp: 'PlatformMSP', role: 'retailer' },
] as const;

/** The caller as a party that can hold tea: any certificate that names its unit. */
export function requireCustodian(ctx: Context): Party {
    const caller = callerOf(ctx);
    if (caller.unit === '') {
        throw forbidden('holding tea requires a certificate with a unit attribute');
    }
    return partyOf(caller);
}

/** The party a lot or cake is offered to, as the arguments name it. */
export function recipientOf(toMspId: string, toUnit: string): Party {
    return { mspId: parseArgument('toMspId', toMspId, mspIdSchema), unit: parseArgument('toUnit', toUnit, label) };
}
