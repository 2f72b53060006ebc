import { describe, expect, it } from 'vitest';
import type { Actor, Party } from '../lib/party';
import {
    assertCanAllocate,
    cancelRedemption,
    confirmService,
    credit,
    debit,
    fulfilRedemption,
    openAccount,
    postOrder,
    recordService,
    registerInNeed,
    requestRedemption,
    supplyReport,
} from './rules';

const NOW = 29_000_000;
const station: Party = { mspId: 'MemberMSP', unit: '滨江区志愿服务站' };
const stationStaff: Actor = { id: 'x509::CN=station', mspId: 'MemberMSP', role: 'station', unit: '滨江区志愿服务站' };
const otherStation: Actor = { ...stationStaff, id: 'x509::CN=other', unit: '西湖区志愿服务站' };
const volunteer: Actor = { id: 'x509::CN=volunteer1', mspId: 'MemberMSP', role: 'volunteer', unit: '志愿者' };
const elder: Actor = { id: 'x509::CN=elder', mspId: 'MemberMSP', role: 'elder', unit: '老人' };
const civil: Actor = { id: 'x509::CN=civil', mspId: 'RegulatorMSP', role: 'civil-affairs', unit: '滨江区民政局' };

function servedOrder() {
    const posted = postOrder(
        {
            orderId: 'O1',
            recipient: openAccount(elder, NOW),
            recipientDetailsHash: 'f'.repeat(64),
            serviceType: '助餐',
            plannedMinutes: 60,
        },
        station,
        NOW,
    );
    return recordService(posted, volunteer, 45, NOW + 60);
}

describe('timebank service orders', () => {
    it('the volunteer never confirms their own service', () => {
        expect(() => confirmService(servedOrder(), volunteer, undefined, NOW)).toThrow(/^E_SELF_CONFIRM/);
    });

    it('the recipient or the posting station confirms, nobody else', () => {
        expect(confirmService(servedOrder(), elder, undefined, NOW).mint.minutes).toBe(45);
        expect(confirmService(servedOrder(), stationStaff, undefined, NOW).order.status).toBe('CONFIRMED');
        expect(() => confirmService(servedOrder(), otherStation, undefined, NOW)).toThrow(/^E_FORBIDDEN/);
    });

    it('confirmed minutes are credited exactly once', () => {
        const { order, mint } = confirmService(servedOrder(), elder, undefined, NOW);
        expect(() => confirmService(order, stationStaff, undefined, NOW)).toThrow(/^E_ALREADY_CREDITED/);
        expect(() => confirmService(servedOrder(), stationStaff, mint, NOW)).toThrow(/^E_ALREADY_CREDITED/);
    });

    it('service is recorded once, in whole minutes within a day', () => {
        expect(() => recordService(servedOrder(), volunteer, 30, NOW)).toThrow(/^E_BAD_STATE/);
        const posted = { ...servedOrder(), status: 'POSTED' as const };
        expect(() => recordService(posted, volunteer, 0, NOW)).toThrow(/^E_BAD_INPUT/);
        expect(() => recordService(posted, volunteer, 24 * 60 + 1, NOW)).toThrow(/^E_BAD_INPUT/);
        expect(() => recordService(posted, elder, 30, NOW)).toThrow(/^E_SELF_CONFIRM/);
    });

    it('service never exceeds the minutes the order planned', () => {
        const posted = { ...servedOrder(), status: 'POSTED' as const };
        expect(() => recordService(posted, volunteer, 61, NOW)).toThrow(/^E_EXCEEDS_ORDER/);
        expect(recordService(posted, volunteer, 60, NOW).actualMinutes).toBe(60);
    });
});

describe('timebank balances', () => {
    it('never go negative', () => {
        const account = credit(openAccount(volunteer, NOW), 30);
        expect(() => debit(account, 31, 'volunteer1')).toThrow(/^E_INSUFFICIENT_BALANCE/);
        expect(debit(account, 30, 'volunteer1').balanceMinutes).toBe(0);
    });

    it('redemptions hold minutes until fulfilled, or refund on cancel', () => {
        const account = credit(openAccount(volunteer, NOW), 60);
        const { account: after, redemption } = requestRedemption(
            { redemptionId: 'R1', serviceType: '陪诊', minutes: 40, station },
            account,
            NOW,
        );
        expect(after.balanceMinutes).toBe(20);
        expect(() =>
            requestRedemption({ redemptionId: 'R2', serviceType: '陪诊', minutes: 21, station }, after, NOW),
        ).toThrow(/^E_INSUFFICIENT_BALANCE/);
        expect(() => fulfilRedemption(redemption, volunteer, NOW)).toThrow(/^E_FORBIDDEN/);
        expect(() => fulfilRedemption(redemption, otherStation, NOW)).toThrow(/^E_FORBIDDEN/);
        expect(() => cancelRedemption(redemption, otherStation, NOW)).toThrow(/^E_FORBIDDEN/);
        const fulfilled = fulfilRedemption(redemption, stationStaff, NOW);
        expect(() => cancelRedemption(fulfilled, volunteer, NOW)).toThrow(/^E_BAD_STATE/);
        expect(cancelRedemption(redemption, volunteer, NOW).status).toBe('CANCELLED');
        expect(cancelRedemption(redemption, stationStaff, NOW).status).toBe('CANCELLED');
        expect(() => cancelRedemption(redemption, elder, NOW)).toThrow(/^E_FORBIDDEN/);
    });

    it('the pool goes to registered people in need, never to those who allocate it', () => {
        const elderAccount = openAccount(elder, NOW);
        expect(() => assertCanAllocate(elderAccount, undefined, stationStaff)).toThrow(/^E_NOT_IN_NEED/);
        const need = registerInNeed(elderAccount, undefined, civil, NOW);
        expect(() => assertCanAllocate(elderAccount, need, stationStaff)).not.toThrow();
        expect(() => registerInNeed(elderAccount, need, civil, NOW)).toThrow(/^E_EXISTS/);
        const stationAccount = openAccount(stationStaff, NOW);
        expect(() => registerInNeed(stationAccount, undefined, civil, NOW)).toThrow(/^E_BAD_INPUT/);
        expect(() => registerInNeed(openAccount(civil, NOW), undefined, civil, NOW)).toThrow(/^E_BAD_INPUT/);
        const forged = { ...need, accountId: stationAccount.id };
        expect(() => assertCanAllocate(stationAccount, forged, stationStaff)).toThrow(/^E_NOT_IN_NEED/);
    });

    it('the supply report balances minted against where the minutes are', () => {
        const { order, mint } = confirmService(servedOrder(), elder, undefined, NOW);
        const volunteerAccount = { ...credit(openAccount(volunteer, NOW), 45) };
        const { account, redemption } = requestRedemption(
            { redemptionId: 'R1', serviceType: '陪诊', minutes: 10, station },
            volunteerAccount,
            NOW,
        );
        const paid = debit(account, 5, 'volunteer');
        const report = supplyReport({
            accounts: [paid, openAccount(elder, NOW)],
            mints: [mint],
            orders: [order],
            poolMinutes: 5,
            redemptions: [redemption],
        });
        expect(report).toMatchObject({
            mintedMinutes: 45,
            confirmedMinutes: 45,
            balancesMinutes: 30,
            poolMinutes: 5,
            heldInRedemptionMinutes: 10,
            balanced: true,
        });
        expect(
            supplyReport({ accounts: [volunteerAccount], mints: [], orders: [], poolMinutes: 0, redemptions: [] })
                .balanced,
        ).toBe(false);
    });
});
