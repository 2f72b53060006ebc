import type { Contract } from '@zhelian/api';

/**
 * Demo data for 时间银行: 滨江区志愿服务站 registers 王阿婆's details (privately) and posts three
 * service orders; 志愿者 1 and 2 serve two of them (within the planned minutes), confirmed by the
 * elder and by the station; a volunteer donates to the 爱心池, 滨江区民政局 registers the elder as
 * a person in need and allocates from the pool to her; the elder redeems minutes at the station
 * for an escort to hospital (fulfilled by that station); volunteer 1 asks the station for a bath
 * service (still held). `getSupply` balances at the end. Run once on a fresh ledger.
 *
 * The gateway plans the endorsers: the members of `timebankElderDetails` for the elder's
 * details, a majority for public writes.
 */

const STATION_UNIT = '滨江区志愿服务站';

/** A fictional elder. */
const ELDER = { name: '王阿婆', address: '杭州市滨江区长河街道江南人家 3 幢 2 单元 101', phone: '0571-8666 0101' };

const ORDERS = [
    {
        orderId: 'BJ-2019-0001',
        serviceType: '助餐',
        planned: 60,
        volunteer: 'MemberMSP:volunteer1',
        served: 55,
        confirmer: 'MemberMSP:elder',
    },
    {
        orderId: 'BJ-2019-0002',
        serviceType: '陪诊',
        planned: 120,
        volunteer: 'MemberMSP:volunteer2',
        served: 110,
        confirmer: 'MemberMSP:station',
    },
    { orderId: 'BJ-2019-0003', serviceType: '上门探访', planned: 45 },
];

export async function seedTimebank(as: (who: string) => (contractName: string) => Contract): Promise<void> {
    const timebank = (who: string) => as(who)('timebank');
    const ids: Record<string, string> = {};
    for (const who of [
        'MemberMSP:station',
        'MemberMSP:volunteer1',
        'MemberMSP:volunteer2',
        'MemberMSP:elder',
        'RegulatorMSP:civil',
    ]) {
        const account = JSON.parse(
            Buffer.from(await timebank(who).submitTransaction('registerAccount')).toString('utf8'),
        ) as { id: string };
        ids[who] = account.id;
    }
    const elder = ids['MemberMSP:elder'];
    const station = timebank('MemberMSP:station');
    await station.submit('recordElderDetails', {
        arguments: [elder],
        transientData: { elder: JSON.stringify(ELDER) },
    });

    for (const order of ORDERS) {
        await station.submit('postOrder', {
            arguments: [order.orderId, elder, order.serviceType, String(order.planned)],
        });
        if (order.volunteer !== undefined) {
            await timebank(order.volunteer).submitTransaction('recordService', order.orderId, String(order.served));
            await timebank(order.confirmer).submitTransaction('confirmService', order.orderId);
        }
    }

    await timebank('MemberMSP:volunteer2').submitTransaction('donateToPool', '30', '爱心池捐赠');
    await timebank('RegulatorMSP:civil').submitTransaction('registerPersonInNeed', elder);
    await timebank('RegulatorMSP:civil').submitTransaction('allocateFromPool', elder, '20', '独居老人补助');
    await timebank('MemberMSP:volunteer1').submitTransaction('transferMinutes', elder, '10', 'DONATION', '赠予王阿婆');
    await timebank('MemberMSP:elder').submitTransaction(
        'requestRedemption',
        'RD-2019-0001',
        '陪诊',
        '30',
        STATION_UNIT,
    );
    await station.submitTransaction('fulfilRedemption', 'RD-2019-0001');
    await timebank('MemberMSP:volunteer1').submitTransaction(
        'requestRedemption',
        'RD-2019-0002',
        '助浴',
        '20',
        STATION_UNIT,
    );
}
