import { Context, Info, Param, Returns, Transaction } from 'fabric-contract-api';
import { ZhelianContract } from '../lib/contract';
import {
    alreadyExists,
    callerOf,
    canonicalJson,
    COMMON_CODES,
    forbidden,
    getPrivateRecord,
    getRecord,
    identifier,
    IDENTIFIER_RULE,
    label,
    minute,
    parseArgument,
    parseJson,
    type Party,
    partyOf,
    privateDataHash,
    putPrivateRecord,
    putRecord,
    readTransientJson,
    recordExists,
    recordKey,
    refuse,
    requireEndorsementBy,
    requireRecord,
    requireRole,
    sha256HexSchema,
    txMinute,
    z,
    fen,
} from '../lib';
import type { TeaCake, TeaCakeTrace, TeaInspection, TeaLot, TeaPrice, TeaProcessingBatch, TeaScanCount } from './model';
// Loaded for its @Object/@Property decorators: they register the record types in the contract metadata.
import './model';
import * as rules from './rules';
import { type HistoryVersion, TEA_CODES } from './rules';

/** The private collection holding sale prices (members: PlatformMSP, MemberMSP). */
export const TEA_PRICES = 'teaPrices';

const LOT = 'tea.lot';
const CAKE = 'tea.cake';
const INSPECTION = 'tea.inspection';
const BATCH = 'tea.batch';
const SCANS = 'tea.scans';
const PRICE = 'tea.price';

const grams = z.number().int().positive().max(100_000_000);
const mspIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$/, 'expected an MSP ID such as MemberMSP');
const reasonSchema = z.string().trim().min(1).max(500);
const splitParts = z
    .array(z.object({ lotId: identifier, weightGrams: grams }))
    .min(2)
    .max(100);
const lotIds = z.array(identifier).min(1).max(100);
const cakeInputs = z
    .array(z.object({ code: identifier, weightGrams: grams, fingerprintHash: sha256HexSchema.optional() }))
    .min(1)
    .max(1000);
const priceInput = z.object({ priceFen: fen.positive() });

const GROWER = { msp: 'MemberMSP', role: 'grower' } as const;
const PROCESSOR = { msp: 'MemberMSP', role: 'processor' } as const;
const INSPECTOR = { msp: 'RegulatorMSP', role: 'inspector' } as const;
const MARKET_REGULATOR = { msp: 'RegulatorMSP', role: 'market-regulator' } as const;
const RETAILERS = [
    { msp: 'MemberMSP', role: 'retailer' },
    { msp: 'PlatformMSP', role: 'retailer' },
] as const;

const LOT_ID_DOC = `The lot id: ${IDENTIFIER_RULE}, e.g. MH-2026-0415-01.`;
const CAKE_CODE_DOC = 'The cake code printed on its wrapper and QR code, e.g. PE-2019-000001.';

function requireCustodian(ctx: Context): Party {
    const caller = callerOf(ctx);
    if (caller.unit === '') {
        throw forbidden('holding tea requires a certificate with a unit attribute');
    }
    return partyOf(caller);
}

function lotOf(ctx: Context, lotId: string): Promise<TeaLot> {
    return requireRecord<TeaLot>(ctx, LOT, [lotId], `lot ${lotId}`);
}

/** Reads lots one after another, so every peer builds the same read set in the same order. */
async function lotsOf(ctx: Context, ids: readonly string[]): Promise<TeaLot[]> {
    const lots: TeaLot[] = [];
    for (const id of ids) {
        lots.push(await lotOf(ctx, id));
    }
    return lots;
}

function cakeOf(ctx: Context, code: string): Promise<TeaCake> {
    return requireRecord<TeaCake>(ctx, CAKE, [code], `cake ${code}`);
}

function inspectionOf(ctx: Context, code: string): Promise<TeaInspection> {
    return requireRecord<TeaInspection>(ctx, INSPECTION, [code], `inspection of cake ${code}`);
}

async function assertNewLot(ctx: Context, lotId: string): Promise<void> {
    if (await recordExists(ctx, LOT, [lotId])) {
        throw alreadyExists(`lot ${lotId}`);
    }
}

function seconds(value: unknown): number {
    if (typeof value === 'number') {
        return value;
    }
    return (value as { toNumber(): number }).toNumber();
}

/** `getHistoryForKey` of one record, newest first, values parsed. */
async function historyOf<T>(ctx: Context, type: string, parts: readonly string[]): Promise<HistoryVersion<T>[]> {
    const versions: HistoryVersion<T>[] = [];
    for await (const modification of ctx.stub.getHistoryForKey(recordKey(ctx, type, parts))) {
        const empty = modification.isDelete || modification.value.length === 0;
        versions.push({
            txId: modification.txId,
            atMinute: Math.floor(seconds(modification.timestamp.seconds) / 60),
            value: empty ? null : (JSON.parse(Buffer.from(modification.value).toString('utf8')) as T),
        });
    }
    return versions;
}

/**
 * 普洱茶溯源 — Pu'er tea traceability from garden to cup.
 *
 * Roles (certificate attributes): MemberMSP `grower` registers leaf lots; MemberMSP `processor`
 * presses cakes; RegulatorMSP `inspector` (普洱茶质检中心) passes or fails them; RegulatorMSP
 * `market-regulator` (市场监管局) freezes, unfreezes and recalls; `retailer` (MemberMSP shops,
 * PlatformMSP 云品荟) sells. Whoever holds a lot or cake (MSP + `unit`) is the only one who can
 * move it. Anyone may scan.
 *
 * Endorsement notes for clients:
 * - `inspectCake` rewrites a record whose key-level policy requires RegulatorMSP: endorse on a
 *   set of orgs that includes RegulatorMSP (and a majority for the cake record it also updates).
 * - `recordSalePrice` writes only to the private collection `teaPrices`: endorse it on
 *   `['PlatformMSP', 'MemberMSP']` (the collection's members, whose `endorsementPolicy` the
 *   transaction must satisfy). `sellCake` then records the price's hash with the usual majority.
 */
@Info({ title: 'tea', description: '普洱茶溯源: lots, cakes, inspection, custody, sale and consumer scan' })
export class TeaContract extends ZhelianContract {
    constructor() {
        super('tea');
    }

    /** A grower registers a lot of raw leaf it picked; the grower holds it. */
    @Transaction()
    @Param('lotId', 'string', `${LOT_ID_DOC} It must be new.`)
    @Param('gardenName', 'string', 'The tea garden the leaf was picked in, e.g. 勐海布朗山老班章.')
    @Param('pickedAtMinute', 'number', 'Picking time in minutes since the Unix epoch; not after the transaction time.')
    @Param('weightGrams', 'number', 'Fresh leaf weight in grams, a positive integer.')
    @Returns('TeaLot')
    public async registerLot(
        ctx: Context,
        lotId: string,
        gardenName: string,
        pickedAtMinute: number,
        weightGrams: number,
    ): Promise<string> {
        const grower = requireRole(ctx, GROWER);
        const input = {
            lotId: parseArgument('lotId', lotId, identifier),
            gardenName: parseArgument('gardenName', gardenName, label),
            pickedAtMinute: parseArgument('pickedAtMinute', pickedAtMinute, minute),
            weightGrams: parseArgument('weightGrams', weightGrams, grams),
        };
        await assertNewLot(ctx, input.lotId);
        const lot = rules.harvestLot(input, partyOf(grower), txMinute(ctx));
        await putRecord(ctx, LOT, [lot.id], lot);
        this.emitEvent(ctx, 'LotRegistered', {
            lotId: lot.id,
            garden: input.gardenName,
            weightGrams: lot.weightGrams,
            holder: lot.holder,
        });
        return canonicalJson(lot);
    }

    /** The holder hands a lot to another party. */
    @Transaction()
    @Param('lotId', 'string', LOT_ID_DOC)
    @Param('toMspId', 'string', 'MSP ID of the new holder, e.g. MemberMSP.')
    @Param('toUnit', 'string', 'Unit of the new holder, e.g. 普洱茶厂.')
    @Returns('TeaLot')
    public async transferLot(ctx: Context, lotId: string, toMspId: string, toUnit: string): Promise<string> {
        const holder = requireCustodian(ctx);
        const to = {
            mspId: parseArgument('toMspId', toMspId, mspIdSchema),
            unit: parseArgument('toUnit', toUnit, label),
        };
        const lot = rules.transferLot(await lotOf(ctx, lotId), holder, to, txMinute(ctx));
        await putRecord(ctx, LOT, [lot.id], lot);
        this.emitEvent(ctx, 'LotTransferred', { lotId: lot.id, from: holder, to });
        return canonicalJson(lot);
    }

    /** The holder splits a lot into new lots that together weigh exactly what it weighs. */
    @Transaction()
    @Param('lotId', 'string', `${LOT_ID_DOC} The split consumes it.`)
    @Param(
        'partsJson',
        'string',
        'The new lots as JSON [{"lotId":"A","weightGrams":600},{"lotId":"B","weightGrams":400}]: at least two, weighing exactly the lot in grams.',
    )
    @Returns('TeaLot[]')
    public async splitLot(ctx: Context, lotId: string, partsJson: string): Promise<string> {
        const holder = requireCustodian(ctx);
        const parts = parseJson('partsJson', partsJson, splitParts);
        for (const part of parts) {
            await assertNewLot(ctx, part.lotId);
        }
        const { parent, children } = rules.splitLot(await lotOf(ctx, lotId), parts, holder, txMinute(ctx));
        for (const lot of [parent, ...children]) {
            await putRecord(ctx, LOT, [lot.id], lot);
        }
        this.emitEvent(ctx, 'LotSplit', {
            lotId: parent.id,
            into: children.map((child) => ({ lotId: child.id, weightGrams: child.weightGrams })),
        });
        return canonicalJson(children);
    }

    /** The holder merges lots it holds into one new lot weighing their sum. */
    @Transaction()
    @Param('newLotId', 'string', `The merged lot's id, new: ${IDENTIFIER_RULE}.`)
    @Param('lotIdsJson', 'string', 'JSON array of at least two lot ids held by the caller; they are consumed.')
    @Returns('TeaLot')
    public async mergeLots(ctx: Context, newLotId: string, lotIdsJson: string): Promise<string> {
        const holder = requireCustodian(ctx);
        const newId = parseArgument('newLotId', newLotId, identifier);
        const ids = parseJson('lotIdsJson', lotIdsJson, lotIds);
        await assertNewLot(ctx, newId);
        const lots = await lotsOf(ctx, ids);
        const { consumed, merged } = rules.mergeLots(lots, newId, holder, txMinute(ctx));
        for (const lot of [...consumed, merged]) {
            await putRecord(ctx, LOT, [lot.id], lot);
        }
        this.emitEvent(ctx, 'LotsMerged', { lotId: merged.id, from: ids, weightGrams: merged.weightGrams });
        return canonicalJson(merged);
    }

    /**
     * Presses cakes from whole lots. Each cake gets a PENDING inspection record whose key-level
     * endorsement policy requires RegulatorMSP, so only a regulator-endorsed transaction can
     * record the verdict.
     */
    @Transaction()
    @Param('batchId', 'string', `The processing batch id, new: ${IDENTIFIER_RULE}.`)
    @Param('lotIdsJson', 'string', 'JSON array of the lot ids pressed, held by the processor; they are consumed.')
    @Param(
        'cakesJson',
        'string',
        'The cakes as JSON [{"code":"PE-2026-000001","weightGrams":357,"fingerprintHash":"<SHA-256 hex, optional>"}]; together at most the weight of the lots.',
    )
    @Returns('TeaProcessingBatch')
    public async processCakes(ctx: Context, batchId: string, lotIdsJson: string, cakesJson: string): Promise<string> {
        const processor = requireRole(ctx, PROCESSOR);
        const id = parseArgument('batchId', batchId, identifier);
        const ids = parseJson('lotIdsJson', lotIdsJson, lotIds);
        const cakes = parseJson('cakesJson', cakesJson, cakeInputs);
        if (await recordExists(ctx, BATCH, [id])) {
            throw alreadyExists(`batch ${id}`);
        }
        for (const cake of cakes) {
            if (await recordExists(ctx, CAKE, [cake.code])) {
                throw alreadyExists(`cake ${cake.code}`);
            }
        }
        const lots = await lotsOf(ctx, ids);
        const result = rules.processLots(id, lots, cakes, partyOf(processor), txMinute(ctx));
        await putRecord(ctx, BATCH, [id], result.batch);
        for (const lot of result.consumed) {
            await putRecord(ctx, LOT, [lot.id], lot);
        }
        for (const cake of result.cakes) {
            await putRecord(ctx, CAKE, [cake.code], cake);
        }
        for (const inspection of result.inspections) {
            await putRecord(ctx, INSPECTION, [inspection.cakeCode], inspection);
            await requireEndorsementBy(ctx, INSPECTION, [inspection.cakeCode], ['RegulatorMSP']);
        }
        this.emitEvent(ctx, 'CakesProcessed', { batchId: id, lots: ids, cakes: result.batch.cakes });
        return canonicalJson(result.batch);
    }

    /** The holder hands a cake to another party; frozen, recalled and sold cakes stay put. */
    @Transaction()
    @Param('code', 'string', CAKE_CODE_DOC)
    @Param('toMspId', 'string', 'MSP ID of the new holder, e.g. PlatformMSP.')
    @Param('toUnit', 'string', 'Unit of the new holder, e.g. 云品荟.')
    @Returns('TeaCake')
    public async transferCake(ctx: Context, code: string, toMspId: string, toUnit: string): Promise<string> {
        const holder = requireCustodian(ctx);
        const to = {
            mspId: parseArgument('toMspId', toMspId, mspIdSchema),
            unit: parseArgument('toUnit', toUnit, label),
        };
        const cake = rules.transferCake(await cakeOf(ctx, code), holder, to, txMinute(ctx));
        await putRecord(ctx, CAKE, [cake.code], cake);
        this.emitEvent(ctx, 'CakeTransferred', { code: cake.code, from: holder, to });
        return canonicalJson(cake);
    }

    /**
     * The inspection centre's verdict. The inspection record requires RegulatorMSP's endorsement
     * (key-level policy set when the cake was pressed).
     */
    @Transaction()
    @Param('code', 'string', CAKE_CODE_DOC)
    @Param('result', 'string', 'The verdict: PASS or FAIL.')
    @Param('reportHash', 'string', 'SHA-256 hex of the inspection report.')
    @Returns('TeaInspection')
    public async inspectCake(ctx: Context, code: string, result: string, reportHash: string): Promise<string> {
        const inspector = requireRole(ctx, INSPECTOR);
        const verdict = parseArgument('result', result, z.enum(['PASS', 'FAIL']));
        const hash = parseArgument('reportHash', reportHash, sha256HexSchema);
        const by = partyOf(inspector);
        const now = txMinute(ctx);
        const cake = await cakeOf(ctx, code);
        const inspection = rules.inspect(await inspectionOf(ctx, code), verdict, hash, by, now);
        await putRecord(ctx, INSPECTION, [cake.code], inspection);
        await putRecord(ctx, CAKE, [cake.code], rules.noteInspection(cake, inspection, now));
        this.emitEvent(ctx, 'CakeInspected', { code: cake.code, result: verdict, reportHash: hash, inspector: by });
        return canonicalJson(inspection);
    }

    /** The market regulator freezes a cake: it can neither move nor sell until unfrozen. */
    @Transaction()
    @Param('code', 'string', CAKE_CODE_DOC)
    @Param('reason', 'string', 'Why the market regulator freezes the cake, shown on every scan.')
    @Returns('TeaCake')
    public async freezeCake(ctx: Context, code: string, reason: string): Promise<string> {
        return this.regulate(ctx, code, reason, rules.freezeCake, 'CakeFrozen');
    }

    @Transaction()
    @Param('code', 'string', CAKE_CODE_DOC)
    @Param('reason', 'string', 'Why the freeze is lifted.')
    @Returns('TeaCake')
    public async unfreezeCake(ctx: Context, code: string, reason: string): Promise<string> {
        return this.regulate(ctx, code, reason, rules.unfreezeCake, 'CakeUnfrozen');
    }

    /** The market regulator recalls a cake, for good. */
    @Transaction()
    @Param('code', 'string', CAKE_CODE_DOC)
    @Param('reason', 'string', 'Why the cake is recalled; a recall is final.')
    @Returns('TeaCake')
    public async recallCake(ctx: Context, code: string, reason: string): Promise<string> {
        return this.regulate(ctx, code, reason, rules.recallCake, 'CakeRecalled');
    }

    /**
     * Step 1 of a sale: the holding retailer records the price privately (transient field
     * `price` = `{"priceFen": 128000}`) in `teaPrices`. Writes nothing public: endorse on
     * `['PlatformMSP', 'MemberMSP']`.
     */
    @Transaction()
    @Param('code', 'string', `${CAKE_CODE_DOC} The caller must hold it, and it must have passed inspection.`)
    @Returns('TeaPriceReceipt')
    public async recordSalePrice(ctx: Context, code: string): Promise<string> {
        const retailer = requireRole(ctx, ...RETAILERS);
        const seller = partyOf(retailer);
        const cake = await cakeOf(ctx, code);
        rules.assertHolder(`cake ${cake.code}`, cake.holder, seller);
        rules.assertSellable(cake, await inspectionOf(ctx, cake.code));
        const { priceFen } = readTransientJson(ctx, 'price', priceInput);
        const price: TeaPrice = { docType: PRICE, cakeCode: cake.code, priceFen, seller };
        const priceHash = await putPrivateRecord(ctx, TEA_PRICES, PRICE, [cake.code], price);
        this.emitEvent(ctx, 'PriceRecorded', { code: cake.code, priceHash, seller });
        return canonicalJson({ cakeCode: cake.code, priceHash });
    }

    /**
     * Step 2 of a sale: only the holding retailer, only after PASS, only with a recorded price.
     * It reads the price's hash (readable on every peer) and writes public state, so any majority
     * may endorse it.
     */
    @Transaction()
    @Param('code', 'string', `${CAKE_CODE_DOC} Its price must have been recorded with recordSalePrice.`)
    @Returns('TeaCake')
    public async sellCake(ctx: Context, code: string): Promise<string> {
        const retailer = requireRole(ctx, ...RETAILERS);
        const seller = partyOf(retailer);
        const cake = await cakeOf(ctx, code);
        const inspection = await inspectionOf(ctx, cake.code);
        const priceHash = await privateDataHash(ctx, TEA_PRICES, PRICE, [cake.code]);
        rules.assertHolder(`cake ${cake.code}`, cake.holder, seller);
        rules.assertSellable(cake, inspection);
        if (priceHash === '') {
            throw refuse(TEA_CODES.NO_PRICE, `cake ${cake.code} has no recorded price; call recordSalePrice first`);
        }
        const sold = rules.sellCake(cake, inspection, seller, priceHash, txMinute(ctx));
        await putRecord(ctx, CAKE, [sold.code], sold);
        this.emitEvent(ctx, 'CakeSold', { code: sold.code, seller, priceHash });
        return canonicalJson(sold);
    }

    /** The private price of a cake; only on PlatformMSP and MemberMSP peers (collection members). */
    @Transaction(false)
    @Param('code', 'string', CAKE_CODE_DOC)
    @Returns('TeaPrice')
    public async getSalePrice(ctx: Context, code: string): Promise<string> {
        requireRole(ctx, { msp: 'PlatformMSP' }, { msp: 'MemberMSP' });
        const price = await getPrivateRecord<TeaPrice>(ctx, TEA_PRICES, PRICE, [code]);
        if (price === undefined) {
            throw refuse(COMMON_CODES.NOT_FOUND, `no price recorded for cake ${code}`);
        }
        return canonicalJson(price);
    }

    /** A consumer scans the QR code: counts the scan and returns the cake's whole life. Any identity. */
    @Transaction()
    @Param('code', 'string', CAKE_CODE_DOC)
    @Returns('TeaCakeTrace')
    public async scanCake(ctx: Context, code: string): Promise<string> {
        const cake = await cakeOf(ctx, code);
        const counter = await getRecord<TeaScanCount>(ctx, SCANS, [cake.code]);
        const scans: TeaScanCount = { docType: 'tea.scans', cakeCode: cake.code, count: (counter?.count ?? 0) + 1 };
        await putRecord(ctx, SCANS, [cake.code], scans);
        const trace = await this.trace(ctx, cake, scans.count);
        this.emitEvent(ctx, 'CakeScanned', {
            code: cake.code,
            scanCount: scans.count,
            verdict: trace.verdict,
            scannedBy: partyOf(callerOf(ctx)),
        });
        return canonicalJson(trace);
    }

    /** The same life story as {@link scanCake}, read-only (does not count). */
    @Transaction(false)
    @Param('code', 'string', CAKE_CODE_DOC)
    @Returns('TeaCakeTrace')
    public async traceCake(ctx: Context, code: string): Promise<string> {
        const cake = await cakeOf(ctx, code);
        const counter = await getRecord<TeaScanCount>(ctx, SCANS, [cake.code]);
        return canonicalJson(await this.trace(ctx, cake, counter?.count ?? 0));
    }

    @Transaction(false)
    @Param('code', 'string', CAKE_CODE_DOC)
    @Returns('TeaCake')
    public async getCake(ctx: Context, code: string): Promise<string> {
        return canonicalJson(await cakeOf(ctx, code));
    }

    @Transaction(false)
    @Param('lotId', 'string', LOT_ID_DOC)
    @Returns('TeaLot')
    public async getLot(ctx: Context, lotId: string): Promise<string> {
        return canonicalJson(await lotOf(ctx, lotId));
    }

    @Transaction(false)
    @Param('code', 'string', CAKE_CODE_DOC)
    @Returns('TeaInspection')
    public async getInspection(ctx: Context, code: string): Promise<string> {
        return canonicalJson(await inspectionOf(ctx, code));
    }

    private async regulate(
        ctx: Context,
        code: string,
        reason: string,
        change: (cake: TeaCake, regulator: Party, reason: string, nowMinute: number) => TeaCake,
        event: string,
    ): Promise<string> {
        const regulator = requireRole(ctx, MARKET_REGULATOR);
        const why = parseArgument('reason', reason, reasonSchema);
        const by = partyOf(regulator);
        const cake = change(await cakeOf(ctx, code), by, why, txMinute(ctx));
        await putRecord(ctx, CAKE, [cake.code], cake);
        this.emitEvent(ctx, event, { code: cake.code, reason: why, by, frozen: cake.frozen, recalled: cake.recalled });
        return canonicalJson(cake);
    }

    /** Builds the life story from `getHistoryForKey` of the cake, its inspection and every ancestor lot. */
    private async trace(ctx: Context, cake: TeaCake, scanCount: number): Promise<TeaCakeTrace> {
        const batch = await requireRecord<TeaProcessingBatch>(ctx, BATCH, [cake.batchId], `batch ${cake.batchId}`);
        const inspection = await inspectionOf(ctx, cake.code);
        const lots: TeaCakeTrace['lots'] = [];
        const queue = [...cake.inputLots];
        const seen = new Set<string>(queue);
        while (queue.length > 0) {
            const lotId = queue.shift() as string;
            const lot = await lotOf(ctx, lotId);
            lots.push({ lot, history: rules.traceSteps(await historyOf<TeaLot>(ctx, LOT, [lotId])) });
            for (const parent of lot.origin.parents) {
                if (!seen.has(parent)) {
                    seen.add(parent);
                    queue.push(parent);
                }
            }
        }
        const cakeHistory = rules.traceSteps(await historyOf<TeaCake>(ctx, CAKE, [cake.code]));
        return {
            cake,
            batch,
            inspection,
            lots,
            gardens: [...new Set(lots.flatMap((one) => one.lot.gardens))].sort(),
            cakeHistory,
            inspectionHistory: rules.inspectionSteps(await historyOf<TeaInspection>(ctx, INSPECTION, [cake.code])),
            custody: rules.custodyChain(cakeHistory),
            scanCount,
            verdict: rules.verdictOf(cake, inspection),
        };
    }
}
