import { Context, Info, Param, Returns, Transaction } from 'fabric-contract-api';
import { ZhelianContract } from '../lib/contract';
import {
    alreadyExists,
    badInput,
    callerOf,
    canonicalJson,
    getPrivateRecord,
    getRecord,
    identifier,
    IDENTIFIER_RULE,
    label,
    listRecords,
    notFound,
    parseArgument,
    partyOf,
    privateDataHash,
    putPrivateRecord,
    putRecord,
    readTransientJson,
    recordExists,
    requireRole,
    txMinute,
    z,
} from '../lib';
import type {
    ElderDetails,
    MintRecord,
    PersonInNeed,
    Redemption,
    ServiceOrder,
    TimeAccount,
    TransferKind,
    TransferReceipt,
} from './model';
// Loaded for its @Object/@Property decorators: they register the record types in the contract metadata.
import './model';
import { accountIdSchema, elderDetails, memoSchema, minutesSchema, plannedMinutesSchema } from './inputs';
import {
    ACCOUNT,
    accountOf,
    ELDER,
    ELDER_DETAILS,
    MINT,
    NEED,
    ORDER,
    orderOf,
    POOL,
    POOL_ID,
    poolOf,
    REDEMPTION,
    redemptionOf,
} from './records';
import { CIVIL_AFFAIRS, STATION, VOLUNTEER } from './roles';
import * as rules from './rules';

const ACCOUNT_ID_DOC = 'The account id: the certificate id that whoami returns, x509::<subject>::<issuer>.';
const ELDER_ID_DOC = "The elder's account id: the certificate id their whoami returns.";
const ORDER_ID_DOC = `The service order id: ${IDENTIFIER_RULE}, e.g. BJ-2019-0001.`;
const REDEMPTION_ID_DOC = `The redemption id: ${IDENTIFIER_RULE}.`;
const AMOUNT_DOC = 'Minutes to move, a positive integer.';
const NOTE_DOC = 'A memo kept on the transfer receipt, up to 200 characters; may be empty.';

/**
 * 时间银行 — volunteers bank the minutes they serve elders and spend them when they need care.
 *
 * Accounts are certificates: `registerAccount` opens the caller's account under
 * `ctx.clientIdentity.getID()`, `whoami` tells the caller that id (pass it to others to receive
 * minutes). Roles: MemberMSP `station` (志愿服务站) posts orders, confirms, fulfils and cancels
 * the redemptions asked of it and allocates from the donation pool; MemberMSP `volunteer`
 * records service; the elder (recipient) or the station confirms, never the volunteer;
 * RegulatorMSP `civil-affairs` (民政局) records elder details, registers people in need and
 * allocates from the pool.
 *
 * Rules chosen, and why:
 * - An order is served once, by the first volunteer who records it, for at most its planned
 *   minutes (`E_EXCEEDS_ORDER`): the order is the station's authorization of what may be minted,
 *   so a volunteer cannot mint past it; longer service needs another order.
 * - The donation pool goes only to accounts civil affairs registered as a person in need
 *   (`registerPersonInNeed`), never to the allocator's own account, and no station or civil
 *   affairs account can be registered (`E_NOT_IN_NEED`): those who hand the pool out never
 *   receive it. Civil affairs decides who is in need, as 民政局 does for subsidies; a station
 *   only chooses among them.
 * - A redemption names the station it is asked of (by `unit`); only that station's staff fulfil
 *   or cancel it, and the holder may cancel. A redemption naming a unit no station has is never
 *   fulfilled; its holder cancels it for a full refund.
 *
 * Endorsement note: `recordElderDetails` writes only the private collection
 * `timebankElderDetails`; endorse it on `['RegulatorMSP', 'MemberMSP']` (its members, whose
 * collection `endorsementPolicy` it satisfies). `postOrder` then records the details' hash.
 */
@Info({
    title: 'timebank',
    description:
        '时间银行: volunteer minutes minted once on confirmation, conserved in transfers, donations and redemptions',
})
export class TimebankContract extends ZhelianContract {
    constructor() {
        super('timebank');
    }

    /** Opens the caller's account under its certificate id, with a balance of 0 minutes. */
    @Transaction()
    @Returns('TimeAccount')
    public async registerAccount(ctx: Context): Promise<string> {
        const caller = callerOf(ctx);
        if (await recordExists(ctx, ACCOUNT, [caller.id])) {
            throw alreadyExists(`time bank account ${caller.id}`);
        }
        const account = rules.openAccount(caller, txMinute(ctx));
        await putRecord(ctx, ACCOUNT, [account.id], account);
        this.emitEvent(ctx, 'AccountOpened', {
            accountId: account.id,
            mspId: account.mspId,
            role: account.role,
            unit: account.unit,
        });
        return canonicalJson(account);
    }

    /** The caller's account id (its certificate id) and, once registered, its account. */
    @Transaction(false)
    @Returns('TimeAccount')
    public async whoami(ctx: Context): Promise<string> {
        return canonicalJson(await accountOf(ctx, callerOf(ctx).id));
    }

    /**
     * A station or civil affairs records an elder's name, address and phone (transient field
     * `elder` = `{"name":…,"address":…,"phone":…}`) in `timebankElderDetails`. Writes nothing
     * public: endorse on `['RegulatorMSP', 'MemberMSP']`.
     */
    @Transaction()
    @Param('elderAccountId', 'string', ELDER_ID_DOC)
    @Returns('ElderDetailsReceipt')
    public async recordElderDetails(ctx: Context, elderAccountId: string): Promise<string> {
        requireRole(ctx, STATION, CIVIL_AFFAIRS);
        const elder = await accountOf(ctx, parseArgument('elderAccountId', elderAccountId, accountIdSchema));
        const details: ElderDetails = {
            docType: ELDER,
            accountId: elder.id,
            ...readTransientJson(ctx, 'elder', elderDetails),
        };
        const detailsHash = await putPrivateRecord(ctx, ELDER_DETAILS, ELDER, [elder.id], details);
        this.emitEvent(ctx, 'ElderDetailsRecorded', { accountId: elder.id, detailsHash });
        return canonicalJson({ accountId: elder.id, detailsHash });
    }

    /** Readable only on RegulatorMSP and MemberMSP peers, by a station or civil affairs. */
    @Transaction(false)
    @Param('elderAccountId', 'string', ELDER_ID_DOC)
    @Returns('ElderDetails')
    public async getElderDetails(ctx: Context, elderAccountId: string): Promise<string> {
        requireRole(ctx, STATION, CIVIL_AFFAIRS);
        const details = await getPrivateRecord<ElderDetails>(ctx, ELDER_DETAILS, ELDER, [elderAccountId]);
        if (details === undefined) {
            throw notFound(`details of elder ${elderAccountId}`);
        }
        return canonicalJson(details);
    }

    /**
     * A station posts a service order for a registered elder whose details are on file. It reads
     * the details' hash (readable on every peer) and writes public state, so any majority may
     * endorse it.
     */
    @Transaction()
    @Param('orderId', 'string', `${ORDER_ID_DOC} It must be new.`)
    @Param(
        'recipientAccountId',
        'string',
        'Account id of the elder to be served, whose details must have been recorded with recordElderDetails.',
    )
    @Param('serviceType', 'string', 'The service asked for, e.g. 助餐, 助浴, 陪诊, 上门探访.')
    @Param('plannedMinutes', 'number', 'Planned service time in minutes: a positive integer, at most a day (1440).')
    @Returns('ServiceOrder')
    public async postOrder(
        ctx: Context,
        orderId: string,
        recipientAccountId: string,
        serviceType: string,
        plannedMinutes: number,
    ): Promise<string> {
        const station = requireRole(ctx, STATION);
        const id = parseArgument('orderId', orderId, identifier);
        const recipient = await accountOf(
            ctx,
            parseArgument('recipientAccountId', recipientAccountId, accountIdSchema),
        );
        const input = {
            orderId: id,
            recipient,
            serviceType: parseArgument('serviceType', serviceType, label),
            plannedMinutes: parseArgument('plannedMinutes', plannedMinutes, plannedMinutesSchema),
            recipientDetailsHash: await privateDataHash(ctx, ELDER_DETAILS, ELDER, [recipient.id]),
        };
        if (input.recipientDetailsHash === '') {
            throw notFound(`details of elder ${recipient.id} (record them with recordElderDetails first)`);
        }
        if (await recordExists(ctx, ORDER, [id])) {
            throw alreadyExists(`order ${id}`);
        }
        const order = rules.postOrder(input, partyOf(station), txMinute(ctx));
        await putRecord(ctx, ORDER, [id], order);
        this.emitEvent(ctx, 'OrderPosted', {
            orderId: id,
            station: order.station,
            serviceType: order.serviceType,
            plannedMinutes: order.plannedMinutes,
        });
        return canonicalJson(order);
    }

    /**
     * The volunteer who served records the minutes actually served on a POSTED order, at most its
     * planned minutes; the first volunteer to record serves the order.
     */
    @Transaction()
    @Param('orderId', 'string', ORDER_ID_DOC)
    @Param(
        'actualMinutes',
        'number',
        "Minutes actually served: a positive integer, at most the order's planned minutes.",
    )
    @Returns('ServiceOrder')
    public async recordService(ctx: Context, orderId: string, actualMinutes: number): Promise<string> {
        const volunteer = requireRole(ctx, VOLUNTEER);
        await accountOf(ctx, volunteer.id);
        const served = parseArgument('actualMinutes', actualMinutes, z.number().int());
        const order = rules.recordService(await orderOf(ctx, orderId), volunteer, served, txMinute(ctx));
        await putRecord(ctx, ORDER, [order.id], order);
        this.emitEvent(ctx, 'ServiceRecorded', {
            orderId: order.id,
            volunteer: volunteer.id,
            actualMinutes: served,
        });
        return canonicalJson(order);
    }

    /** The recipient or the posting station confirms; the volunteer is credited, exactly once. */
    @Transaction()
    @Param('orderId', 'string', ORDER_ID_DOC)
    @Returns('ServiceOrder')
    public async confirmService(ctx: Context, orderId: string): Promise<string> {
        const confirmer = callerOf(ctx);
        const order = await orderOf(ctx, orderId);
        const existingMint = await getRecord<MintRecord>(ctx, MINT, [order.id]);
        const confirmed = rules.confirmService(order, confirmer, existingMint, txMinute(ctx));
        const volunteer = await accountOf(ctx, confirmed.mint.volunteer);
        await putRecord(ctx, ORDER, [order.id], confirmed.order);
        await putRecord(ctx, MINT, [order.id], confirmed.mint);
        await putRecord(ctx, ACCOUNT, [volunteer.id], rules.credit(volunteer, confirmed.mint.minutes));
        this.emitEvent(ctx, 'ServiceConfirmed', {
            orderId: order.id,
            volunteer: volunteer.id,
            creditedMinutes: confirmed.mint.minutes,
            confirmedBy: confirmer.id,
        });
        return canonicalJson(confirmed.order);
    }

    /** Gives minutes to family (FAMILY) or to someone in need (DONATION); the total is unchanged. */
    @Transaction()
    @Param('toAccountId', 'string', `${ACCOUNT_ID_DOC} Not the caller's own.`)
    @Param('amount', 'number', AMOUNT_DOC)
    @Param('kind', 'string', 'FAMILY (to family) or DONATION (to someone in need).')
    @Param('note', 'string', NOTE_DOC)
    @Returns('TransferReceipt')
    public async transferMinutes(
        ctx: Context,
        toAccountId: string,
        amount: number,
        kind: string,
        note: string,
    ): Promise<string> {
        const caller = callerOf(ctx);
        const transferKind = parseArgument('kind', kind, z.enum(['FAMILY', 'DONATION']));
        const to = parseArgument('toAccountId', toAccountId, accountIdSchema);
        const count = parseArgument('amount', amount, minutesSchema);
        const memo = parseArgument('note', note, memoSchema);
        if (to === caller.id) {
            throw badInput('cannot transfer minutes to your own account');
        }
        const from = await accountOf(ctx, caller.id);
        const recipient = await accountOf(ctx, to);
        await putRecord(ctx, ACCOUNT, [from.id], rules.debit(from, count, 'your account'));
        await putRecord(ctx, ACCOUNT, [recipient.id], rules.credit(recipient, count));
        return this.receipt(ctx, transferKind, from.id, recipient.id, count, memo);
    }

    /** Gives minutes to the donation pool (爱心池). */
    @Transaction()
    @Param('amount', 'number', AMOUNT_DOC)
    @Param('note', 'string', NOTE_DOC)
    @Returns('TransferReceipt')
    public async donateToPool(ctx: Context, amount: number, note: string): Promise<string> {
        const count = parseArgument('amount', amount, minutesSchema);
        const memo = parseArgument('note', note, memoSchema);
        const from = await accountOf(ctx, callerOf(ctx).id);
        const pool = await poolOf(ctx);
        await putRecord(ctx, ACCOUNT, [from.id], rules.debit(from, count, 'your account'));
        await putRecord(ctx, POOL, [POOL_ID], rules.credit(pool, count));
        return this.receipt(ctx, 'POOL_DONATION', from.id, POOL_ID, count, memo);
    }

    /**
     * Civil affairs registers an account as belonging to a person in need, who may then receive
     * from the donation pool. Why is not recorded: it is personal data.
     */
    @Transaction()
    @Param('accountId', 'string', `${ACCOUNT_ID_DOC} Not a station's or civil affairs' account.`)
    @Returns('PersonInNeed')
    public async registerPersonInNeed(ctx: Context, accountId: string): Promise<string> {
        const registrar = requireRole(ctx, CIVIL_AFFAIRS);
        const account = await accountOf(ctx, parseArgument('accountId', accountId, accountIdSchema));
        const existing = await getRecord<PersonInNeed>(ctx, NEED, [account.id]);
        const need = rules.registerInNeed(account, existing, registrar, txMinute(ctx));
        await putRecord(ctx, NEED, [account.id], need);
        this.emitEvent(ctx, 'PersonInNeedRegistered', { accountId: account.id, by: registrar.unit });
        return canonicalJson(need);
    }

    /** Whether an account is registered as a person in need: its registration, or `E_NOT_FOUND`. */
    @Transaction(false)
    @Param('accountId', 'string', ACCOUNT_ID_DOC)
    @Returns('PersonInNeed')
    public async getPersonInNeed(ctx: Context, accountId: string): Promise<string> {
        const need = await getRecord<PersonInNeed>(ctx, NEED, [accountId]);
        if (need === undefined) {
            throw notFound(`registration of account ${accountId} as a person in need`);
        }
        return canonicalJson(need);
    }

    /** A station or civil affairs gives pool minutes to a registered person in need, never to itself. */
    @Transaction()
    @Param('toAccountId', 'string', `${ACCOUNT_ID_DOC} It must be registered as a person in need.`)
    @Param('amount', 'number', AMOUNT_DOC)
    @Param('note', 'string', NOTE_DOC)
    @Returns('TransferReceipt')
    public async allocateFromPool(ctx: Context, toAccountId: string, amount: number, note: string): Promise<string> {
        const allocator = requireRole(ctx, STATION, CIVIL_AFFAIRS);
        const count = parseArgument('amount', amount, minutesSchema);
        const memo = parseArgument('note', note, memoSchema);
        const recipient = await accountOf(ctx, parseArgument('toAccountId', toAccountId, accountIdSchema));
        rules.assertCanAllocate(recipient, await getRecord<PersonInNeed>(ctx, NEED, [recipient.id]), allocator);
        const pool = await poolOf(ctx);
        await putRecord(ctx, POOL, [POOL_ID], rules.debit(pool, count, 'the donation pool'));
        await putRecord(ctx, ACCOUNT, [recipient.id], rules.credit(recipient, count));
        return this.receipt(ctx, 'POOL_ALLOCATION', POOL_ID, recipient.id, count, memo);
    }

    /**
     * The caller asks a station for service paid with their minutes; the minutes are held until
     * that station fulfils, or the caller or that station cancels.
     */
    @Transaction()
    @Param('redemptionId', 'string', `${REDEMPTION_ID_DOC} It must be new.`)
    @Param('serviceType', 'string', 'The service wanted, e.g. 陪诊.')
    @Param('amount', 'number', 'Minutes to spend on it, a positive integer; held until fulfilled or cancelled.')
    @Param('stationUnit', 'string', 'The station asked, as its unit, e.g. 滨江区志愿服务站 (a MemberMSP station).')
    @Returns('Redemption')
    public async requestRedemption(
        ctx: Context,
        redemptionId: string,
        serviceType: string,
        amount: number,
        stationUnit: string,
    ): Promise<string> {
        const input = {
            redemptionId: parseArgument('redemptionId', redemptionId, identifier),
            serviceType: parseArgument('serviceType', serviceType, label),
            minutes: parseArgument('amount', amount, minutesSchema),
            station: { mspId: STATION.msp, unit: parseArgument('stationUnit', stationUnit, label) },
        };
        if (await recordExists(ctx, REDEMPTION, [input.redemptionId])) {
            throw alreadyExists(`redemption ${input.redemptionId}`);
        }
        const { account, redemption } = rules.requestRedemption(
            input,
            await accountOf(ctx, callerOf(ctx).id),
            txMinute(ctx),
        );
        await putRecord(ctx, ACCOUNT, [account.id], account);
        await putRecord(ctx, REDEMPTION, [redemption.id], redemption);
        this.emitEvent(ctx, 'RedemptionRequested', {
            redemptionId: redemption.id,
            holder: redemption.holder,
            minutes: redemption.minutes,
            serviceType: redemption.serviceType,
            station: redemption.station,
        });
        return canonicalJson(redemption);
    }

    /** The station the redemption was asked of delivered the service: the held minutes are spent. */
    @Transaction()
    @Param('redemptionId', 'string', REDEMPTION_ID_DOC)
    @Returns('Redemption')
    public async fulfilRedemption(ctx: Context, redemptionId: string): Promise<string> {
        const station = requireRole(ctx, STATION);
        const redemption = rules.fulfilRedemption(await redemptionOf(ctx, redemptionId), station, txMinute(ctx));
        await putRecord(ctx, REDEMPTION, [redemption.id], redemption);
        this.emitEvent(ctx, 'RedemptionFulfilled', {
            redemptionId: redemption.id,
            holder: redemption.holder,
            minutes: redemption.minutes,
            station: station.unit,
        });
        return canonicalJson(redemption);
    }

    /** The holder or the station it was asked of cancels; the held minutes go back to the holder. */
    @Transaction()
    @Param('redemptionId', 'string', REDEMPTION_ID_DOC)
    @Returns('Redemption')
    public async cancelRedemption(ctx: Context, redemptionId: string): Promise<string> {
        const redemption = rules.cancelRedemption(await redemptionOf(ctx, redemptionId), callerOf(ctx), txMinute(ctx));
        const holder = await accountOf(ctx, redemption.holder);
        await putRecord(ctx, REDEMPTION, [redemption.id], redemption);
        await putRecord(ctx, ACCOUNT, [holder.id], rules.credit(holder, redemption.minutes));
        this.emitEvent(ctx, 'RedemptionCancelled', {
            redemptionId: redemption.id,
            holder: holder.id,
            refundedMinutes: redemption.minutes,
        });
        return canonicalJson(redemption);
    }

    @Transaction(false)
    @Param('accountId', 'string', ACCOUNT_ID_DOC)
    @Returns('TimeAccount')
    public async getAccount(ctx: Context, accountId: string): Promise<string> {
        return canonicalJson(await accountOf(ctx, accountId));
    }

    @Transaction(false)
    @Param('orderId', 'string', ORDER_ID_DOC)
    @Returns('ServiceOrder')
    public async getOrder(ctx: Context, orderId: string): Promise<string> {
        return canonicalJson(await orderOf(ctx, orderId));
    }

    @Transaction(false)
    @Param('redemptionId', 'string', REDEMPTION_ID_DOC)
    @Returns('Redemption')
    public async getRedemption(ctx: Context, redemptionId: string): Promise<string> {
        return canonicalJson(await redemptionOf(ctx, redemptionId));
    }

    @Transaction(false)
    @Returns('DonationPool')
    public async getPool(ctx: Context): Promise<string> {
        return canonicalJson(await poolOf(ctx));
    }

    /**
     * The conservation proof over every record: minted == confirmed order minutes ==
     * balances + pool + held in open redemptions + redeemed. Scans the whole time bank; meant
     * for audits and demos, not for hot paths.
     */
    @Transaction(false)
    @Returns('SupplyReport')
    public async getSupply(ctx: Context): Promise<string> {
        const report = rules.supplyReport({
            accounts: await listRecords<TimeAccount>(ctx, ACCOUNT),
            mints: await listRecords<MintRecord>(ctx, MINT),
            orders: await listRecords<ServiceOrder>(ctx, ORDER),
            poolMinutes: (await poolOf(ctx)).balanceMinutes,
            redemptions: await listRecords<Redemption>(ctx, REDEMPTION),
        });
        return canonicalJson(report);
    }

    private receipt(ctx: Context, kind: TransferKind, from: string, to: string, count: number, memo: string): string {
        const receipt: TransferReceipt = {
            kind,
            from,
            to,
            minutes: count,
            memo,
            atMinute: txMinute(ctx),
            txId: ctx.stub.getTxID(),
        };
        this.emitEvent(ctx, 'MinutesTransferred', receipt);
        return canonicalJson(receipt);
    }
}
