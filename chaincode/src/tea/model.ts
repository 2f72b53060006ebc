import { Object as DataType, Property } from 'fabric-contract-api';
import type { Party } from '../lib/party';

/**
 * The records of 普洱茶溯源 (Pu'er tea traceability) as they are stored in world state and
 * described by `org.hyperledger.fabric:GetMetadata`. Weights in grams, times in whole minutes
 * since the Unix epoch, money only in the private collection `teaPrices` (the channel keeps its
 * SHA-256 hash). Records carry `docType`; fields typed `X | null` are always present, `null`
 * when not applicable (`LedgerRecord` in `lib/record.ts`). Lots and cakes are held by a `Party`
 * (MSP + `unit`, e.g. `MemberMSP` / `勐海茶园`).
 *
 * Life of a cake: the regulator registers a garden and certifies its yearly harvest → the
 * garden's grower registers raw leaf lots, within that harvest → lots move by custody handover
 * (offer, then accept), split or merge → a processor presses lots into cakes → the inspection
 * centre passes or fails each cake → custody moves to a retailer → the retailer records a price
 * privately and sells. The market regulator can freeze or recall a cake at any point. Consumer
 * scans are records of their own, one per scan.
 */

/** The state key type of each record, equal to the record's `docType`. */
export const TEA_RECORDS = {
    GARDEN: 'tea.garden',
    HARVEST: 'tea.harvest',
    LOT: 'tea.lot',
    CAKE: 'tea.cake',
    INSPECTION: 'tea.inspection',
    BATCH: 'tea.batch',
    SCAN: 'tea.scan',
    PRICE: 'tea.price',
} as const;

/**
 * A registered tea garden (产地), keyed by its name: the name is what wrappers print and
 * consumers trust, so one name is one registry entry. Only its grower registers leaf from it.
 */
@DataType()
export class TeaGarden {
    @Property('docType', 'string') docType!: 'tea.garden';
    /** e.g. 勐海县布朗山老班章. */
    @Property('name', 'string') name!: string;
    /** The body that picks this garden's leaf, e.g. `MemberMSP` / `勐海茶园`. */
    @Property('grower', 'Party') grower!: Party;
    @Property('registeredBy', 'Party') registeredBy!: Party;
    @Property('registeredAtMinute', 'number') registeredAtMinute!: number;
}

/**
 * The regulator's certified harvest of one garden in one harvest year (China Standard Time year
 * of picking), and how much of it lots have already claimed. Raw lot registration is the only
 * place weight enters the chain (splits and merges conserve it, pressing only loses water), so
 * `registeredGrams <= certifiedGrams` bounds every cake pressed from the garden's leaf that year.
 */
@DataType()
export class TeaHarvest {
    @Property('docType', 'string') docType!: 'tea.harvest';
    @Property('garden', 'string') garden!: string;
    @Property('year', 'number') year!: number;
    /** Leaf, in grams as lots are registered, that the garden may register this year. */
    @Property('certifiedGrams', 'number') certifiedGrams!: number;
    /** Leaf already registered as lots from this garden this year. */
    @Property('registeredGrams', 'number') registeredGrams!: number;
    @Property('certifiedBy', 'Party') certifiedBy!: Party;
    @Property('certifiedAtMinute', 'number') certifiedAtMinute!: number;
}

/**
 * A pending custody handover: the holder offered the lot or cake to `to`; it moves only when a
 * certificate of `to` accepts, which also proves that `to` exists on the channel.
 */
@DataType()
export class TeaOffer {
    @Property('to', 'Party') to!: Party;
    @Property('by', 'Party') by!: Party;
    @Property('atMinute', 'number') atMinute!: number;
}

export type TeaActionKind =
    | 'HARVESTED'
    | 'SPLIT_FROM'
    | 'MERGED_FROM'
    | 'SPLIT'
    | 'MERGED'
    | 'PROCESSED'
    | 'PRODUCED'
    | 'OFFERED'
    | 'TRANSFERRED'
    | 'INSPECTED'
    | 'FROZEN'
    | 'UNFROZEN'
    | 'RECALLED'
    | 'SOLD';

/** The last thing that happened to a lot or cake; `getHistoryForKey` turns these into a life story. */
@DataType()
export class TeaAction {
    @Property('kind', 'string') kind!: TeaActionKind;
    @Property('by', 'Party') by!: Party;
    @Property('atMinute', 'number') atMinute!: number;
    /** Human-readable detail, e.g. `to MemberMSP/普洱茶厂` or the regulator's reason. */
    @Property('detail', 'string') detail!: string;
}

@DataType()
export class TeaLotOrigin {
    @Property('kind', 'string') kind!: 'HARVEST' | 'SPLIT' | 'MERGE';
    @Property('parents', 'string[]') parents!: string[];
}

@DataType()
export class TeaLotConsumption {
    @Property('kind', 'string') kind!: 'SPLIT' | 'MERGE' | 'PROCESS';
    /** The lots it became (split, comma-separated), the merged lot, or the processing batch. */
    @Property('ref', 'string') ref!: string;
}

/** A lot of raw (毛茶) leaf. `CONSUMED` lots were split, merged or processed and never move again. */
@DataType()
export class TeaLot {
    @Property('docType', 'string') docType!: 'tea.lot';
    @Property('id', 'string') id!: string;
    /** Garden names the leaf came from (one for a harvest, several after a merge), sorted. */
    @Property('gardens', 'string[]') gardens!: string[];
    /** Earliest picking minute of the leaf in the lot. */
    @Property('pickedAtMinute', 'number') pickedAtMinute!: number;
    @Property('weightGrams', 'number') weightGrams!: number;
    @Property('holder', 'Party') holder!: Party;
    /** A handover the holder started and the recipient has not accepted yet. */
    @Property('offer', 'TeaOffer') offer!: TeaOffer | null;
    @Property('status', 'string') status!: 'ACTIVE' | 'CONSUMED';
    @Property('origin', 'TeaLotOrigin') origin!: TeaLotOrigin;
    @Property('consumedBy', 'TeaLotConsumption') consumedBy!: TeaLotConsumption | null;
    @Property('lastAction', 'TeaAction') lastAction!: TeaAction;
}

@DataType()
export class TeaSale {
    @Property('seller', 'Party') seller!: Party;
    @Property('atMinute', 'number') atMinute!: number;
    /** SHA-256 (hex) of the private price record in `teaPrices`, as the channel holds it. */
    @Property('priceHash', 'string') priceHash!: string;
}

/** A pressed cake (饼), identified by the code printed on its wrapper and QR code. */
@DataType()
export class TeaCake {
    @Property('docType', 'string') docType!: 'tea.cake';
    @Property('code', 'string') code!: string;
    @Property('weightGrams', 'number') weightGrams!: number;
    /** SHA-256 of the cake's texture fingerprint image (anti-counterfeiting), if one was taken. */
    @Property('fingerprintHash', 'string') fingerprintHash!: string | null;
    @Property('batchId', 'string') batchId!: string;
    @Property('inputLots', 'string[]') inputLots!: string[];
    @Property('processor', 'Party') processor!: Party;
    @Property('producedAtMinute', 'number') producedAtMinute!: number;
    @Property('holder', 'Party') holder!: Party;
    /** A handover the holder started and the recipient has not accepted yet. */
    @Property('offer', 'TeaOffer') offer!: TeaOffer | null;
    @Property('status', 'string') status!: 'IN_STOCK' | 'SOLD';
    @Property('frozen', 'boolean') frozen!: boolean;
    @Property('recalled', 'boolean') recalled!: boolean;
    @Property('sale', 'TeaSale') sale!: TeaSale | null;
    @Property('lastAction', 'TeaAction') lastAction!: TeaAction;
}

export type InspectionResult = 'PASS' | 'FAIL';
export type InspectionStatus = 'PENDING' | InspectionResult;

/**
 * The inspection record of one cake, created `PENDING` with the cake. Its key carries a
 * key-level endorsement policy requiring RegulatorMSP, so the PASS/FAIL verdict can only be
 * written by a transaction that the regulator's peer endorsed.
 */
@DataType()
export class TeaInspection {
    @Property('docType', 'string') docType!: 'tea.inspection';
    @Property('cakeCode', 'string') cakeCode!: string;
    @Property('result', 'string') result!: InspectionStatus;
    @Property('reportHash', 'string') reportHash!: string | null;
    @Property('inspector', 'Party') inspector!: Party | null;
    @Property('atMinute', 'number') atMinute!: number | null;
}

@DataType()
export class TeaBatchInput {
    @Property('lotId', 'string') lotId!: string;
    @Property('weightGrams', 'number') weightGrams!: number;
}

@DataType()
export class TeaBatchOutput {
    @Property('code', 'string') code!: string;
    @Property('weightGrams', 'number') weightGrams!: number;
}

/** One processing run: which lots went in, which cakes came out. */
@DataType()
export class TeaProcessingBatch {
    @Property('docType', 'string') docType!: 'tea.batch';
    @Property('id', 'string') id!: string;
    @Property('inputLots', 'TeaBatchInput[]') inputLots!: TeaBatchInput[];
    @Property('cakes', 'TeaBatchOutput[]') cakes!: TeaBatchOutput[];
    @Property('inputGrams', 'number') inputGrams!: number;
    @Property('outputGrams', 'number') outputGrams!: number;
    @Property('processor', 'Party') processor!: Party;
    @Property('atMinute', 'number') atMinute!: number;
}

/**
 * The private sale price of a cake in `teaPrices` (PlatformMSP, MemberMSP). The seller's random
 * `salt` is part of it because the channel holds the record's SHA-256 for everyone to see: without
 * it, hashing every plausible price would find the price.
 */
@DataType()
export class TeaPrice {
    @Property('docType', 'string') docType!: 'tea.price';
    @Property('cakeCode', 'string') cakeCode!: string;
    @Property('priceFen', 'number') priceFen!: number;
    @Property('seller', 'Party') seller!: Party;
    /** Hex of at least 128 random bits, chosen by the seller. */
    @Property('salt', 'string') salt!: string;
}

/** Answer of `recordSalePrice`: the hash the channel will hold for the private price. */
@DataType()
export class TeaPriceReceipt {
    @Property('cakeCode', 'string') cakeCode!: string;
    @Property('priceHash', 'string') priceHash!: string;
}

/**
 * One consumer scan, under its own key `tea.scan` / code / txId: a scan writes only this new key
 * and reads no counter, so any number of scans of one cake commit side by side. The count is the
 * number of these records, read by `traceCake`.
 */
@DataType()
export class TeaScan {
    @Property('docType', 'string') docType!: 'tea.scan';
    @Property('cakeCode', 'string') cakeCode!: string;
    @Property('txId', 'string') txId!: string;
    @Property('atMinute', 'number') atMinute!: number;
    @Property('scannedBy', 'Party') scannedBy!: Party;
}

/** One version of a record from `getHistoryForKey`, reduced to what a consumer reads. */
@DataType()
export class TeaTraceStep {
    @Property('txId', 'string') txId!: string;
    /** Commit timestamp of the transaction, whole minutes since the epoch. */
    @Property('atMinute', 'number') atMinute!: number;
    @Property('action', 'string') action!: TeaActionKind | 'PENDING';
    @Property('by', 'Party') by!: Party | null;
    @Property('detail', 'string') detail!: string;
    @Property('holder', 'Party') holder!: Party | null;
}

@DataType()
export class TeaLotTrace {
    @Property('lot', 'TeaLot') lot!: TeaLot;
    @Property('history', 'TeaTraceStep[]') history!: TeaTraceStep[];
}

@DataType()
export class TeaCustody {
    @Property('holder', 'Party') holder!: Party;
    @Property('sinceMinute', 'number') sinceMinute!: number;
    @Property('txId', 'string') txId!: string;
}

export type TraceVerdict = 'RECALLED' | 'FROZEN' | 'FAILED_INSPECTION' | 'NOT_INSPECTED' | 'SOLD' | 'INSPECTED_PASS';

/** What a consumer sees when scanning a cake: its whole life, oldest first. */
@DataType()
export class TeaCakeTrace {
    @Property('cake', 'TeaCake') cake!: TeaCake;
    @Property('batch', 'TeaProcessingBatch') batch!: TeaProcessingBatch;
    @Property('inspection', 'TeaInspection') inspection!: TeaInspection;
    /** Every lot the cake descends from (inputs, their split/merge parents, up to the harvests). */
    @Property('lots', 'TeaLotTrace[]') lots!: TeaLotTrace[];
    @Property('gardens', 'string[]') gardens!: string[];
    @Property('cakeHistory', 'TeaTraceStep[]') cakeHistory!: TeaTraceStep[];
    @Property('inspectionHistory', 'TeaTraceStep[]') inspectionHistory!: TeaTraceStep[];
    /** Custody chain: each holder in order, with the minute it took the cake. */
    @Property('custody', 'TeaCustody[]') custody!: TeaCustody[];
    /**
     * Committed scans of the cake; `null` in `scanCake`'s answer, which does not read the count
     * (reading it would make concurrent scans conflict).
     */
    @Property('scanCount', 'number') scanCount!: number | null;
    /** `RECALLED`, `FROZEN`, `FAILED_INSPECTION`, `NOT_INSPECTED`, `SOLD` or `INSPECTED_PASS`. */
    @Property('verdict', 'string') verdict!: TraceVerdict;
}
