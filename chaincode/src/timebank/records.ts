import type { Context } from 'fabric-contract-api';
import { getRecord, refuse, requireRecord } from '../lib';
import type { DonationPool, Redemption, ServiceOrder, TimeAccount } from './model';
import { TIMEBANK_CODES } from './rules';

/** The private collection holding elders' name, address and phone (members: RegulatorMSP, MemberMSP). */
export const ELDER_DETAILS = 'timebankElderDetails';

/** The time bank's record doc types, which are also their keys' object types. */
export const ACCOUNT = 'timebank.account';
export const ORDER = 'timebank.order';
export const MINT = 'timebank.mint';
export const POOL = 'timebank.pool';
export const REDEMPTION = 'timebank.redemption';
export const ELDER = 'timebank.elder';
export const NEED = 'timebank.need';
/** The donation pool's one key, and the account id transfer receipts name it by. */
export const POOL_ID = 'POOL';

export function accountOf(ctx: Context, id: string): Promise<TimeAccount> {
    return getRecord<TimeAccount>(ctx, ACCOUNT, [id]).then((account) => {
        if (account === undefined) {
            throw refuse(
                TIMEBANK_CODES.NO_ACCOUNT,
                `no time bank account ${id}; its owner must call registerAccount first`,
            );
        }
        return account;
    });
}

export async function poolOf(ctx: Context): Promise<DonationPool> {
    return (await getRecord<DonationPool>(ctx, POOL, [POOL_ID])) ?? { docType: 'timebank.pool', balanceMinutes: 0 };
}

export function orderOf(ctx: Context, orderId: string): Promise<ServiceOrder> {
    return requireRecord<ServiceOrder>(ctx, ORDER, [orderId], `order ${orderId}`);
}

export function redemptionOf(ctx: Context, redemptionId: string): Promise<Redemption> {
    return requireRecord<Redemption>(ctx, REDEMPTION, [redemptionId], `redemption ${redemptionId}`);
}
