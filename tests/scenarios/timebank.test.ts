import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '@zhelian/api';
import { atOnce, enrollParticipant, type Participant } from '../support/participants';
import { openScenarioNetwork, type ScenarioNetwork } from '../support/scenario';

/**
 * 时间银行 on the embedded ledger: each invariant is attacked and must be refused with the
 * ledger unchanged, and `getSupply` must balance after every step. Elder details go to the
 * two-member collection `timebankElderDetails` (the client endorses on its members). Served
 * minutes are bounded by the order, the pool goes to registered people in need, and a redemption
 * is closed by its own station.
 */

const STATION = 'MemberMSP:station';
const VOLUNTEER1 = 'MemberMSP:volunteer1';
const VOLUNTEER2 = 'MemberMSP:volunteer2';
const ELDER = 'MemberMSP:elder';
const CIVIL = 'RegulatorMSP:civil';
const PATIENT = 'MemberMSP:patient';
const MAJORITY = ['MemberMSP', 'RegulatorMSP', 'PlatformMSP'];
const BINJIANG = '滨江区志愿服务站';

const json = (bytes: Uint8Array) => JSON.parse(Buffer.from(bytes).toString('utf8'));

let network: ScenarioNetwork;
const timebank = (who: string) => network.contract(who, 'timebank');
const ids: Record<string, string> = {};
const participants: Participant[] = [];

/** A participant the topology does not have, enrolled for this test with its own certificate. */
async function enrolled(name: string, attrs: Record<string, string>): Promise<Contract> {
    const participant = await enrollParticipant(network, `MemberMSP:${name}`, attrs);
    participants.push(participant);
    return participant.contract('timebank');
}

async function submit(who: string, fn: string, ...args: string[]) {
    return json(await timebank(who).submitTransaction(fn, ...args));
}

/** `postOrder` reads the elder details' hash (readable on every peer) and writes public state: any majority may endorse it. */
async function postOrder(
    orderId: string,
    recipient: string,
    serviceType: string,
    plannedMinutes: string,
    who = STATION,
) {
    return json(
        await timebank(who).submit('postOrder', {
            arguments: [orderId, recipient, serviceType, plannedMinutes],
            endorsingOrganizations: MAJORITY,
        }),
    );
}

const balance = async (who: string) =>
    json(await timebank(STATION).evaluateTransaction('getAccount', ids[who])).balanceMinutes;
const order = async (orderId: string) => json(await timebank(STATION).evaluateTransaction('getOrder', orderId));
const redemption = async (id: string) => json(await timebank(STATION).evaluateTransaction('getRedemption', id));
const pool = async () => json(await timebank(STATION).evaluateTransaction('getPool')).balanceMinutes;
const supply = async () => json(await timebank(CIVIL).evaluateTransaction('getSupply'));

async function expectBalanced() {
    const report = await supply();
    expect(report.balanced).toBe(true);
    expect(report.mintedMinutes).toBe(report.confirmedMinutes);
    expect(report.mintedMinutes).toBe(
        report.balancesMinutes + report.poolMinutes + report.heldInRedemptionMinutes + report.redeemedMinutes,
    );
    return report;
}

/** Posts an order for the elder; volunteer1 serves `minutes`. */
async function servedOrder(orderId: string, minutes: number, volunteer = VOLUNTEER1) {
    await postOrder(orderId, ids[ELDER], '助餐', '60');
    return submit(volunteer, 'recordService', orderId, String(minutes));
}

beforeAll(async () => {
    network = await openScenarioNetwork();
    for (const who of [STATION, VOLUNTEER1, VOLUNTEER2, ELDER, CIVIL, PATIENT]) {
        ids[who] = (await submit(who, 'registerAccount')).id;
    }
    await timebank(STATION).submit('recordElderDetails', {
        arguments: [ids[ELDER]],
        transientData: {
            elder: JSON.stringify({ name: '王阿婆', address: '杭州市滨江区长河街道某小区', phone: '0571-8888 0000' }),
        },
    });
});

afterAll(async () => {
    participants.forEach((participant) => participant.close());
    await network?.close();
});

describe('timebank', () => {
    it('opens accounts by certificate and tells the caller its id', async () => {
        const me = json(await timebank(VOLUNTEER1).evaluateTransaction('whoami'));
        expect(me).toMatchObject({ id: ids[VOLUNTEER1], role: 'volunteer', mspId: 'MemberMSP', balanceMinutes: 0 });
        expect(me.id).toMatch(/^x509::/);
        await expect(submit(VOLUNTEER1, 'registerAccount')).rejects.toThrow(/E_EXISTS/);
        await expect(timebank('MemberMSP:shop').evaluateTransaction('whoami')).rejects.toThrow(/E_NO_ACCOUNT/);
    });

    it('keeps elder details private, with only their hash on the order', async () => {
        const details = json(await timebank(CIVIL).evaluateTransaction('getElderDetails', ids[ELDER]));
        expect(details).toMatchObject({ name: '王阿婆', accountId: ids[ELDER] });
        await expect(timebank(VOLUNTEER1).evaluateTransaction('getElderDetails', ids[ELDER])).rejects.toThrow(
            /E_FORBIDDEN/,
        );
        const posted = await postOrder('O-PRIV', ids[ELDER], '上门探访', '30');
        expect(posted.recipientDetailsHash).toMatch(/^[0-9a-f]{64}$/);
        expect(JSON.stringify(posted)).not.toContain('王阿婆');
        await expect(postOrder('O-NODETAILS', ids[PATIENT], '助浴', '30')).rejects.toThrow(/E_NOT_FOUND/);
        await expect(postOrder('O-VOL', ids[ELDER], '助浴', '30', VOLUNTEER1)).rejects.toThrow(/E_FORBIDDEN/);
    });

    it('credits confirmed minutes to the volunteer exactly once', async () => {
        await servedOrder('O-1', 45);
        const confirmed = await submit(ELDER, 'confirmService', 'O-1');
        expect(confirmed).toMatchObject({
            status: 'CONFIRMED',
            actualMinutes: 45,
            volunteer: ids[VOLUNTEER1],
            confirmedBy: ids[ELDER],
        });
        expect(await balance(VOLUNTEER1)).toBe(45);

        await expect(submit(ELDER, 'confirmService', 'O-1')).rejects.toThrow(/E_ALREADY_CREDITED/);
        await expect(submit(STATION, 'confirmService', 'O-1')).rejects.toThrow(/E_ALREADY_CREDITED/);
        expect(await balance(VOLUNTEER1)).toBe(45);
        expect(await order('O-1')).toEqual(confirmed);
        expect((await expectBalanced()).mintedMinutes).toBe(45);
    });

    it('never lets the volunteer confirm their own service, nor a stranger confirm', async () => {
        await servedOrder('O-SELF', 30);
        const before = await order('O-SELF');
        await expect(submit(VOLUNTEER1, 'confirmService', 'O-SELF')).rejects.toThrow(/E_SELF_CONFIRM/);
        await expect(submit(VOLUNTEER2, 'confirmService', 'O-SELF')).rejects.toThrow(/E_FORBIDDEN/);
        await expect(submit(PATIENT, 'confirmService', 'O-SELF')).rejects.toThrow(/E_FORBIDDEN/);
        expect(await order('O-SELF')).toEqual(before);
        expect(await balance(VOLUNTEER1)).toBe(45);

        await submit(STATION, 'confirmService', 'O-SELF');
        expect(await balance(VOLUNTEER1)).toBe(75);
        await expectBalanced();
    });

    it('refuses service on an order twice and confirmation before service', async () => {
        await postOrder('O-EARLY', ids[ELDER], '陪诊', '120');
        await expect(submit(ELDER, 'confirmService', 'O-EARLY')).rejects.toThrow(/E_BAD_STATE/);
        await expect(submit(VOLUNTEER1, 'recordService', 'O-EARLY', '0')).rejects.toThrow(/E_BAD_INPUT/);
        await submit(VOLUNTEER2, 'recordService', 'O-EARLY', '90');
        const served = await order('O-EARLY');
        await expect(submit(VOLUNTEER1, 'recordService', 'O-EARLY', '500')).rejects.toThrow(/E_BAD_STATE/);
        expect(await order('O-EARLY')).toEqual(served);
        await submit(ELDER, 'confirmService', 'O-EARLY');
        expect(await balance(VOLUNTEER2)).toBe(90);
        await expectBalanced();
    });

    it('never lets a balance go negative, and transfers and donations conserve the total', async () => {
        const before = await supply();
        await expect(submit(VOLUNTEER1, 'transferMinutes', ids[PATIENT], '76', 'FAMILY', '给家人')).rejects.toThrow(
            /E_INSUFFICIENT_BALANCE/,
        );
        await expect(submit(VOLUNTEER1, 'donateToPool', '1000', '')).rejects.toThrow(/E_INSUFFICIENT_BALANCE/);
        await expect(submit(PATIENT, 'transferMinutes', ids[VOLUNTEER1], '1', 'FAMILY', '')).rejects.toThrow(
            /E_INSUFFICIENT_BALANCE/,
        );
        await expect(submit(VOLUNTEER1, 'transferMinutes', ids[PATIENT], '-5', 'FAMILY', '')).rejects.toThrow(
            /E_BAD_INPUT/,
        );
        await expect(submit(VOLUNTEER1, 'transferMinutes', ids[VOLUNTEER1], '5', 'FAMILY', '')).rejects.toThrow(
            /E_BAD_INPUT/,
        );
        expect(await balance(VOLUNTEER1)).toBe(75);
        expect(await supply()).toEqual(before);

        await submit(VOLUNTEER1, 'transferMinutes', ids[PATIENT], '20', 'FAMILY', '给父亲');
        await submit(VOLUNTEER1, 'donateToPool', '30', '爱心捐赠');
        await submit(CIVIL, 'registerPersonInNeed', ids[ELDER]);
        await expect(submit(VOLUNTEER1, 'allocateFromPool', ids[ELDER], '10', '')).rejects.toThrow(/E_FORBIDDEN/);
        await expect(submit(CIVIL, 'allocateFromPool', ids[ELDER], '31', '')).rejects.toThrow(/E_INSUFFICIENT_BALANCE/);
        await submit(CIVIL, 'allocateFromPool', ids[ELDER], '25', '困难老人');
        expect(await balance(VOLUNTEER1)).toBe(25);
        expect(await balance(PATIENT)).toBe(20);
        expect(await balance(ELDER)).toBe(25);
        expect(json(await timebank(ELDER).evaluateTransaction('getPool')).balanceMinutes).toBe(5);
        const after = await expectBalanced();
        expect(after.mintedMinutes).toBe(before.mintedMinutes);
    });

    it('holds minutes in a redemption until fulfilled, refunds on cancel, and never twice', async () => {
        await submit(ELDER, 'requestRedemption', 'R-1', '陪诊', '20', BINJIANG);
        expect(await balance(ELDER)).toBe(5);
        expect((await expectBalanced()).heldInRedemptionMinutes).toBe(20);
        await expect(submit(ELDER, 'requestRedemption', 'R-2', '助浴', '6', BINJIANG)).rejects.toThrow(
            /E_INSUFFICIENT_BALANCE/,
        );
        await expect(submit(ELDER, 'requestRedemption', 'R-1', '助浴', '1', BINJIANG)).rejects.toThrow(/E_EXISTS/);
        await expect(submit(VOLUNTEER1, 'fulfilRedemption', 'R-1')).rejects.toThrow(/E_FORBIDDEN/);
        await expect(submit(VOLUNTEER1, 'cancelRedemption', 'R-1')).rejects.toThrow(/E_FORBIDDEN/);

        await submit(STATION, 'fulfilRedemption', 'R-1');
        await expect(submit(ELDER, 'cancelRedemption', 'R-1')).rejects.toThrow(/E_BAD_STATE/);
        expect(await balance(ELDER)).toBe(5);
        expect((await expectBalanced()).redeemedMinutes).toBe(20);

        await submit(VOLUNTEER1, 'requestRedemption', 'R-3', '助餐', '25', BINJIANG);
        expect(await balance(VOLUNTEER1)).toBe(0);
        await submit(VOLUNTEER1, 'cancelRedemption', 'R-3');
        await expect(submit(STATION, 'fulfilRedemption', 'R-3')).rejects.toThrow(/E_BAD_STATE/);
        await expect(submit(VOLUNTEER1, 'cancelRedemption', 'R-3')).rejects.toThrow(/E_BAD_STATE/);
        expect(await balance(VOLUNTEER1)).toBe(25);
        await expectBalanced();
    });
});

/** Issue 8 item 10: orders, the pool and redemptions, attacked as the issue found them open. */
describe('timebank hardening', () => {
    it('never records more service than the order planned, and one volunteer serves an order', async () => {
        await postOrder('O-45', ids[ELDER], '上门探访', '45');
        const posted = await order('O-45');
        const minted = (await supply()).mintedMinutes;
        await expect(submit(VOLUNTEER1, 'recordService', 'O-45', '1440')).rejects.toThrow(/E_EXCEEDS_ORDER/);
        await expect(submit(VOLUNTEER1, 'recordService', 'O-45', '46')).rejects.toThrow(/E_EXCEEDS_ORDER/);
        await expect(submit(STATION, 'recordService', 'O-45', '45')).rejects.toThrow(/E_FORBIDDEN/);
        await expect(submit(ELDER, 'recordService', 'O-45', '45')).rejects.toThrow(/E_FORBIDDEN/);
        expect(await order('O-45')).toEqual(posted);

        // Two volunteers record at once: the order is served once, by one of them.
        const race = await atOnce([
            submit(VOLUNTEER1, 'recordService', 'O-45', '45'),
            submit(VOLUNTEER2, 'recordService', 'O-45', '40'),
        ]);
        expect(race.committed).toBe(1);
        const served = await order('O-45');
        expect([ids[VOLUNTEER1], ids[VOLUNTEER2]]).toContain(served.volunteer);
        expect(served.actualMinutes).toBe(served.volunteer === ids[VOLUNTEER1] ? 45 : 40);
        await submit(ELDER, 'confirmService', 'O-45');
        expect((await expectBalanced()).mintedMinutes).toBe(minted + served.actualMinutes);
    });

    it('allocates the donation pool only to registered people in need, never to the allocator', async () => {
        await submit(VOLUNTEER2, 'donateToPool', '20', '爱心池');
        const before = await supply();
        const stationBalance = await balance(STATION);
        await expect(submit(STATION, 'allocateFromPool', ids[STATION], '10', '')).rejects.toThrow(/E_NOT_IN_NEED/);
        await expect(submit(CIVIL, 'allocateFromPool', ids[CIVIL], '10', '')).rejects.toThrow(/E_NOT_IN_NEED/);
        await expect(submit(STATION, 'allocateFromPool', ids[PATIENT], '10', '')).rejects.toThrow(/E_NOT_IN_NEED/);
        await expect(submit(STATION, 'registerPersonInNeed', ids[STATION])).rejects.toThrow(/E_FORBIDDEN/);
        await expect(submit(STATION, 'registerPersonInNeed', ids[PATIENT])).rejects.toThrow(/E_FORBIDDEN/);
        await expect(submit(CIVIL, 'registerPersonInNeed', ids[STATION])).rejects.toThrow(/E_BAD_INPUT/);
        await expect(submit(CIVIL, 'registerPersonInNeed', ids[CIVIL])).rejects.toThrow(/E_BAD_INPUT/);
        await expect(submit(CIVIL, 'registerPersonInNeed', ids[ELDER])).rejects.toThrow(/E_EXISTS/);
        await expect(timebank(STATION).evaluateTransaction('getPersonInNeed', ids[STATION])).rejects.toThrow(
            /E_NOT_FOUND/,
        );
        expect(await balance(STATION)).toBe(stationBalance);
        expect(await supply()).toEqual(before);

        // A registered person in need receives; two allocations at once cannot overdraw the pool.
        await submit(CIVIL, 'registerPersonInNeed', ids[PATIENT]);
        const available = await pool();
        const patientBefore = await balance(PATIENT);
        const race = await atOnce([
            submit(STATION, 'allocateFromPool', ids[PATIENT], String(available), '助医'),
            submit(CIVIL, 'allocateFromPool', ids[ELDER], String(available), '独居老人'),
        ]);
        expect(race.committed).toBe(1);
        expect(await pool()).toBe(0);
        expect([0, available]).toContain((await balance(PATIENT)) - patientBefore);
        expect((await supply()).balancesMinutes).toBe(before.balancesMinutes + available);
        await expectBalanced();
    });

    it('lets only the station a redemption was asked of fulfil or cancel it', async () => {
        const xixing = await enrolled('station2', { role: 'station', unit: '西兴街道志愿服务站' });
        await submit(VOLUNTEER1, 'transferMinutes', ids[ELDER], '10', 'DONATION', '');
        await submit(ELDER, 'requestRedemption', 'R-S1', '陪诊', '10', BINJIANG);
        const requested = await redemption('R-S1');
        expect(requested.station).toEqual({ mspId: 'MemberMSP', unit: BINJIANG });
        const elderBalance = await balance(ELDER);
        await expect(xixing.submitTransaction('fulfilRedemption', 'R-S1')).rejects.toThrow(/E_FORBIDDEN/);
        await expect(xixing.submitTransaction('cancelRedemption', 'R-S1')).rejects.toThrow(/E_FORBIDDEN/);
        await expect(submit(VOLUNTEER2, 'cancelRedemption', 'R-S1')).rejects.toThrow(/E_FORBIDDEN/);
        expect(await redemption('R-S1')).toEqual(requested);
        expect(await balance(ELDER)).toBe(elderBalance);

        // The station fulfils while the holder cancels: exactly one of them happens.
        const race = await atOnce([
            submit(STATION, 'fulfilRedemption', 'R-S1'),
            submit(ELDER, 'cancelRedemption', 'R-S1'),
        ]);
        expect(race.committed).toBe(1);
        const closed = await redemption('R-S1');
        expect(await balance(ELDER)).toBe(closed.status === 'CANCELLED' ? elderBalance + 10 : elderBalance);
        await expectBalanced();

        // The other station closes the redemptions asked of it.
        await submit(ELDER, 'requestRedemption', 'R-S2', '助餐', '5', '西兴街道志愿服务站');
        await expect(submit(STATION, 'fulfilRedemption', 'R-S2')).rejects.toThrow(/E_FORBIDDEN/);
        await xixing.submitTransaction('cancelRedemption', 'R-S2');
        expect((await redemption('R-S2')).status).toBe('CANCELLED');
        await expectBalanced();
    });
});
