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
    notFound,
    parseArgument,
    parseJson,
    type Party,
    partyName,
    partyOf,
    privateDataHash,
    putPrivateRecord,
    putRecord,
    readTransientJson,
    recordExists,
    refuse,
    requireEndorsementBy,
    requireRole,
    sameParty,
    sha256HexSchema,
    txMinute,
    z,
} from '../lib';
import * as cakeRules from './cakes';
import * as handover from './handover';
import {
    cakeInputs,
    grams,
    harvestGrams,
    lotIds,
    mspIdSchema,
    priceInput,
    reasonSchema,
    splitParts,
    yearSchema,
} from './inputs';
import { TEA_RECORDS, type TeaCake, type TeaGarden, type TeaHarvest, type TeaPrice, type TeaScan } from './model';
import * as lotRules from './lots';
import * as origin from './origin';
import { assertNewLot, cakeOf, gardenOf, inspectionOf, lotOf, lotsOf, TEA_PRICES } from './records';
import { GROWER, INSPECTOR, MARKET_REGULATOR, PROCESSOR, recipientOf, requireCustodian, RETAILERS } from './roles';
import * as rules from './rules';
import { TEA_CODES } from './rules';
import { countScans, traceOf } from './trace';

const { GARDEN, HARVEST, LOT, CAKE, INSPECTION, BATCH, SCAN, PRICE } = TEA_RECORDS;

const LOT_ID_DOC = `The lot id: ${IDENTIFIER_RULE}, e.g. MH-2026-0415-01.`;
const CAKE_CODE_DOC = 'The cake code printed on its wrapper and QR code, e.g. PE-2019-000001.';
const GARDEN_DOC = 'The registered garden name, e.g. 勐海县布朗山老班章.';

/**
 * 普洱茶溯源 — Pu'er tea traceability from garden to cup.
 *
 * Roles (certificate attributes): RegulatorMSP `inspector` (普洱茶质检中心) or `market-regulator`
 * (市场监管局) registers gardens and certifies their yearly harvest; MemberMSP `grower` registers
 * leaf lots from the gardens it picks; MemberMSP `processor` presses cakes; `inspector` passes or
 * fails them; `market-regulator` freezes, unfreezes and recalls; `retailer` (MemberMSP shops,
 * PlatformMSP 云品荟) sells. Whoever holds a lot or cake (MSP + `unit`) is the only one who can
 * offer it on. Anyone may scan.
 *
 * Rules chosen, and why:
 * - Origin: a garden is registered once, with the one grower who picks it, and its harvest is
 *   certified per year (China Standard Time year of picking). Lots registered from a garden in a
 *   year never weigh more than its certified harvest together. Raw lot registration is where
 *   weight enters the chain (splits and merges conserve it, pressing only loses it), so this caps
 *   every cake pressed from that garden's leaf too (`origin.ts`). Registrations from one garden
 *   in one year update one harvest record and so commit one at a time.
 * - Custody moves in two steps: `transferLot` / `transferCake` offer, and the lot or cake moves
 *   when a certificate of the named party calls `acceptLot` / `acceptCake`. The acceptance proves
 *   the recipient exists, which chaincode cannot otherwise learn; until then the holder keeps it
 *   (`handover.ts`).
 * - Scans are one record each (`tea.scan` / code / txId) and read no counter, so concurrent scans
 *   of one cake never conflict; `traceCake` counts them. `scanCake`'s answer has `scanCount: null`.
 * - A sale price is read by its seller only (any certificate of the seller's body). Buyers are
 *   not on the chain; a buyer, or the market regulator (not a member of `teaPrices`), checks a
 *   price the seller shows them, with its salt, against the public `sale.priceHash`.
 *
 * Endorsement notes for clients:
 * - `inspectCake` rewrites a record whose key-level policy requires RegulatorMSP: endorse on a
 *   set of orgs that includes RegulatorMSP (and a majority for the cake record it also updates).
 * - `recordSalePrice` writes only to the private collection `teaPrices`: endorse it on
 *   `['PlatformMSP', 'MemberMSP']` (the collection's members, whose `endorsementPolicy` the
 *   transaction must satisfy). `sellCake` then records the price's hash with the usual majority.
 */
@Info({ title: 'tea', description: '普洱茶溯源: gardens, lots, cakes, inspection, custody, sale and consumer scan' })
export class TeaContract extends ZhelianContract {
    constructor() {
        super('tea');
    }

    /** The regulator registers a garden and the grower who picks it; a name is registered once. */
    @Transaction()
    @Param('gardenName', 'string', `${GARDEN_DOC} It must be new.`)
    @Param('growerMspId', 'string', 'MSP ID of the grower who picks it, e.g. MemberMSP.')
    @Param('growerUnit', 'string', 'Unit of the grower who picks it, e.g. 勐海茶园.')
    @Returns('TeaGarden')
    public async registerGarden(
        ctx: Context,
        gardenName: string,
        growerMspId: string,
        growerUnit: string,
    ): Promise<string> {
        const regulator = partyOf(requireRole(ctx, INSPECTOR, MARKET_REGULATOR));
        const name = parseArgument('gardenName', gardenName, label);
        const grower = {
            mspId: parseArgument('growerMspId', growerMspId, mspIdSchema),
            unit: parseArgument('growerUnit', growerUnit, label),
        };
        const existing = await getRecord<TeaGarden>(ctx, GARDEN, [name]);
        const garden = origin.registerGarden(existing, name, grower, regulator, txMinute(ctx));
        await putRecord(ctx, GARDEN, [name], garden);
        this.emitEvent(ctx, 'GardenRegistered', { garden: name, grower, by: regulator });
        return canonicalJson(garden);
    }

    /**
     * The regulator certifies a garden's harvest for a year, or revises it (never below what is
     * already registered).
     */
    @Transaction()
    @Param('gardenName', 'string', GARDEN_DOC)
    @Param('year', 'number', 'The harvest year: the China Standard Time calendar year the leaf is picked in.')
    @Param('certifiedGrams', 'number', 'Leaf the garden may register that year, in grams as lots are registered.')
    @Returns('TeaHarvest')
    public async certifyHarvest(
        ctx: Context,
        gardenName: string,
        year: number,
        certifiedGrams: number,
    ): Promise<string> {
        const regulator = partyOf(requireRole(ctx, INSPECTOR, MARKET_REGULATOR));
        const harvestYear = parseArgument('year', year, yearSchema);
        const certified = parseArgument('certifiedGrams', certifiedGrams, harvestGrams);
        const garden = await gardenOf(ctx, gardenName);
        const key = [garden.name, String(harvestYear)];
        const existing = await getRecord<TeaHarvest>(ctx, HARVEST, key);
        const harvest = origin.certifyHarvest(existing, garden, harvestYear, certified, regulator, txMinute(ctx));
        await putRecord(ctx, HARVEST, key, harvest);
        this.emitEvent(ctx, 'HarvestCertified', {
            garden: garden.name,
            year: harvestYear,
            certifiedGrams: certified,
            registeredGrams: harvest.registeredGrams,
            by: regulator,
        });
        return canonicalJson(harvest);
    }

    /**
     * The garden's grower registers a lot of raw leaf it picked there; the grower holds it. The
     * lot counts against the garden's certified harvest of the picking year.
     */
    @Transaction()
    @Param('lotId', 'string', `${LOT_ID_DOC} It must be new.`)
    @Param('gardenName', 'string', `${GARDEN_DOC} The caller must be its grower.`)
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
        const grower = partyOf(requireRole(ctx, GROWER));
        const input = {
            lotId: parseArgument('lotId', lotId, identifier),
            gardenName: parseArgument('gardenName', gardenName, label),
            pickedAtMinute: parseArgument('pickedAtMinute', pickedAtMinute, minute),
            weightGrams: parseArgument('weightGrams', weightGrams, grams),
        };
        await assertNewLot(ctx, input.lotId);
        const lot = lotRules.harvestLot(input, grower, txMinute(ctx));
        const garden = await gardenOf(ctx, input.gardenName);
        const year = origin.harvestYear(input.pickedAtMinute);
        const key = [garden.name, String(year)];
        const harvest = origin.claimHarvest(
            garden,
            await getRecord<TeaHarvest>(ctx, HARVEST, key),
            year,
            grower,
            lot.weightGrams,
        );
        await putRecord(ctx, HARVEST, key, harvest);
        await putRecord(ctx, LOT, [lot.id], lot);
        this.emitEvent(ctx, 'LotRegistered', {
            lotId: lot.id,
            garden: garden.name,
            year,
            weightGrams: lot.weightGrams,
            holder: lot.holder,
        });
        return canonicalJson(lot);
    }

    /** The holder offers a lot to another party; it moves when that party accepts (`acceptLot`). */
    @Transaction()
    @Param('lotId', 'string', LOT_ID_DOC)
    @Param('toMspId', 'string', 'MSP ID of the new holder, e.g. MemberMSP.')
    @Param('toUnit', 'string', 'Unit of the new holder, e.g. 普洱茶厂.')
    @Returns('TeaLot')
    public async transferLot(ctx: Context, lotId: string, toMspId: string, toUnit: string): Promise<string> {
        const holder = requireCustodian(ctx);
        const to = recipientOf(toMspId, toUnit);
        const lot = handover.offerLot(await lotOf(ctx, lotId), holder, to, txMinute(ctx));
        await putRecord(ctx, LOT, [lot.id], lot);
        this.emitEvent(ctx, 'LotOffered', { lotId: lot.id, from: holder, to });
        return canonicalJson(lot);
    }

    /** The party a lot was offered to takes it, with any of its certificates. */
    @Transaction()
    @Param('lotId', 'string', `${LOT_ID_DOC} It must be offered to the caller's MSP and unit.`)
    @Returns('TeaLot')
    public async acceptLot(ctx: Context, lotId: string): Promise<string> {
        const recipient = requireCustodian(ctx);
        const before = await lotOf(ctx, lotId);
        const lot = handover.acceptLot(before, recipient, txMinute(ctx));
        await putRecord(ctx, LOT, [lot.id], lot);
        this.emitEvent(ctx, 'LotTransferred', { lotId: lot.id, from: before.holder, to: lot.holder });
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
        const { parent, children } = lotRules.splitLot(await lotOf(ctx, lotId), parts, holder, txMinute(ctx));
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
        const { consumed, merged } = lotRules.mergeLots(lots, newId, holder, txMinute(ctx));
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
        const result = lotRules.processLots(id, lots, cakes, partyOf(processor), txMinute(ctx));
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

    /**
     * The holder offers a cake to another party; it moves when that party accepts
     * (`acceptCake`). Frozen, recalled and sold cakes stay put.
     */
    @Transaction()
    @Param('code', 'string', CAKE_CODE_DOC)
    @Param('toMspId', 'string', 'MSP ID of the new holder, e.g. PlatformMSP.')
    @Param('toUnit', 'string', 'Unit of the new holder, e.g. 云品荟.')
    @Returns('TeaCake')
    public async transferCake(ctx: Context, code: string, toMspId: string, toUnit: string): Promise<string> {
        const holder = requireCustodian(ctx);
        const to = recipientOf(toMspId, toUnit);
        const cake = handover.offerCake(await cakeOf(ctx, code), holder, to, txMinute(ctx));
        await putRecord(ctx, CAKE, [cake.code], cake);
        this.emitEvent(ctx, 'CakeOffered', { code: cake.code, from: holder, to });
        return canonicalJson(cake);
    }

    /** The party a cake was offered to takes it, with any of its certificates. */
    @Transaction()
    @Param('code', 'string', `${CAKE_CODE_DOC} It must be offered to the caller's MSP and unit.`)
    @Returns('TeaCake')
    public async acceptCake(ctx: Context, code: string): Promise<string> {
        const recipient = requireCustodian(ctx);
        const before = await cakeOf(ctx, code);
        const cake = handover.acceptCake(before, recipient, txMinute(ctx));
        await putRecord(ctx, CAKE, [cake.code], cake);
        this.emitEvent(ctx, 'CakeTransferred', { code: cake.code, from: before.holder, to: cake.holder });
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
        const inspection = cakeRules.inspect(await inspectionOf(ctx, code), verdict, hash, by, now);
        await putRecord(ctx, INSPECTION, [cake.code], inspection);
        await putRecord(ctx, CAKE, [cake.code], cakeRules.noteInspection(cake, inspection, now));
        this.emitEvent(ctx, 'CakeInspected', { code: cake.code, result: verdict, reportHash: hash, inspector: by });
        return canonicalJson(inspection);
    }

    /** The market regulator freezes a cake: it can neither move nor sell until unfrozen. */
    @Transaction()
    @Param('code', 'string', CAKE_CODE_DOC)
    @Param('reason', 'string', 'Why the market regulator freezes the cake, shown on every scan.')
    @Returns('TeaCake')
    public async freezeCake(ctx: Context, code: string, reason: string): Promise<string> {
        return this.regulate(ctx, code, reason, cakeRules.freezeCake, 'CakeFrozen');
    }

    @Transaction()
    @Param('code', 'string', CAKE_CODE_DOC)
    @Param('reason', 'string', 'Why the freeze is lifted.')
    @Returns('TeaCake')
    public async unfreezeCake(ctx: Context, code: string, reason: string): Promise<string> {
        return this.regulate(ctx, code, reason, cakeRules.unfreezeCake, 'CakeUnfrozen');
    }

    /** The market regulator recalls a cake, for good. */
    @Transaction()
    @Param('code', 'string', CAKE_CODE_DOC)
    @Param('reason', 'string', 'Why the cake is recalled; a recall is final.')
    @Returns('TeaCake')
    public async recallCake(ctx: Context, code: string, reason: string): Promise<string> {
        return this.regulate(ctx, code, reason, cakeRules.recallCake, 'CakeRecalled');
    }

    /**
     * Step 1 of a sale: the holding retailer records the price privately (transient field
     * `price` = `{"priceFen": 128000, "salt": "<32-128 random lowercase hex digits>"}`) in
     * `teaPrices`. The salt keeps the public hash from giving the price away to anyone who hashes
     * every plausible price; the seller keeps it to show a buyer or the regulator later. Writes
     * nothing public: endorse on `['PlatformMSP', 'MemberMSP']`.
     */
    @Transaction()
    @Param('code', 'string', `${CAKE_CODE_DOC} The caller must hold it, and it must have passed inspection.`)
    @Returns('TeaPriceReceipt')
    public async recordSalePrice(ctx: Context, code: string): Promise<string> {
        const retailer = requireRole(ctx, ...RETAILERS);
        const seller = partyOf(retailer);
        const cake = await cakeOf(ctx, code);
        rules.assertHolder(`cake ${cake.code}`, cake.holder, seller);
        cakeRules.assertSellable(cake, await inspectionOf(ctx, cake.code));
        const { priceFen, salt } = readTransientJson(ctx, 'price', priceInput);
        const price: TeaPrice = { docType: PRICE, cakeCode: cake.code, priceFen, seller, salt };
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
        cakeRules.assertSellable(cake, inspection);
        if (priceHash === '') {
            throw refuse(TEA_CODES.NO_PRICE, `cake ${cake.code} has no recorded price; call recordSalePrice first`);
        }
        const sold = cakeRules.sellCake(cake, inspection, seller, priceHash, txMinute(ctx));
        await putRecord(ctx, CAKE, [sold.code], sold);
        this.emitEvent(ctx, 'CakeSold', { code: sold.code, seller, priceHash });
        return canonicalJson(sold);
    }

    /**
     * The private price of a cake, for its seller only (any certificate of the seller's MSP and
     * unit), on a PlatformMSP or MemberMSP peer (the collection's members).
     */
    @Transaction(false)
    @Param('code', 'string', CAKE_CODE_DOC)
    @Returns('TeaPrice')
    public async getSalePrice(ctx: Context, code: string): Promise<string> {
        const caller = partyOf(requireRole(ctx, { msp: 'PlatformMSP' }, { msp: 'MemberMSP' }));
        const price = await getPrivateRecord<TeaPrice>(ctx, TEA_PRICES, PRICE, [code]);
        if (price === undefined) {
            throw refuse(COMMON_CODES.NOT_FOUND, `no price recorded for cake ${code}`);
        }
        if (!sameParty(caller, price.seller)) {
            throw forbidden(`the price of cake ${code} is for its seller ${partyName(price.seller)} only`);
        }
        return canonicalJson(price);
    }

    /**
     * A consumer scans the QR code: records the scan and returns the cake's whole life. Any
     * identity. The scan is a new record of its own and reads no counter, so scans of one cake
     * never conflict; the answer's `scanCount` is `null` (`traceCake` counts).
     */
    @Transaction()
    @Param('code', 'string', CAKE_CODE_DOC)
    @Returns('TeaCakeTrace')
    public async scanCake(ctx: Context, code: string): Promise<string> {
        const cake = await cakeOf(ctx, code);
        const txId = ctx.stub.getTxID();
        const scan: TeaScan = {
            docType: SCAN,
            cakeCode: cake.code,
            txId,
            atMinute: txMinute(ctx),
            scannedBy: partyOf(callerOf(ctx)),
        };
        await putRecord(ctx, SCAN, [cake.code, txId], scan);
        const trace = await traceOf(ctx, cake, null);
        this.emitEvent(ctx, 'CakeScanned', { code: cake.code, verdict: trace.verdict, scannedBy: scan.scannedBy });
        return canonicalJson(trace);
    }

    /** The same life story as {@link scanCake}, read-only, with the number of committed scans. */
    @Transaction(false)
    @Param('code', 'string', CAKE_CODE_DOC)
    @Returns('TeaCakeTrace')
    public async traceCake(ctx: Context, code: string): Promise<string> {
        const cake = await cakeOf(ctx, code);
        return canonicalJson(await traceOf(ctx, cake, await countScans(ctx, cake.code)));
    }

    @Transaction(false)
    @Param('gardenName', 'string', GARDEN_DOC)
    @Returns('TeaGarden')
    public async getGarden(ctx: Context, gardenName: string): Promise<string> {
        return canonicalJson(await gardenOf(ctx, gardenName));
    }

    /** A garden's certified harvest of a year, and how much of it lots have registered. */
    @Transaction(false)
    @Param('gardenName', 'string', GARDEN_DOC)
    @Param('year', 'number', 'The harvest year.')
    @Returns('TeaHarvest')
    public async getHarvest(ctx: Context, gardenName: string, year: number): Promise<string> {
        const garden = await gardenOf(ctx, gardenName);
        const harvestYear = parseArgument('year', year, yearSchema);
        const harvest = await getRecord<TeaHarvest>(ctx, HARVEST, [garden.name, String(harvestYear)]);
        if (harvest === undefined) {
            throw notFound(`certified ${harvestYear} harvest of garden ${garden.name}`);
        }
        return canonicalJson(harvest);
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
}
