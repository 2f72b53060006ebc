import { fen, identifier, sha256HexSchema, z } from '../lib';

/** The formats of the tea contract's transaction arguments, checked before anything is read. */

export const grams = z.number().int().positive().max(100_000_000);
export const harvestGrams = z.number().int().positive().max(1_000_000_000_000);
export const yearSchema = z.number().int().min(1900).max(2999);
export const mspIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$/, 'expected an MSP ID such as MemberMSP');
export const reasonSchema = z.string().trim().min(1).max(500);
export const splitParts = z
    .array(z.object({ lotId: identifier, weightGrams: grams }))
    .min(2)
    .max(100);
export const lotIds = z.array(identifier).min(1).max(100);
export const cakeInputs = z
    .array(z.object({ code: identifier, weightGrams: grams, fingerprintHash: sha256HexSchema.optional() }))
    .min(1)
    .max(1000);
export const priceInput = z.object({
    priceFen: fen.positive(),
    salt: z.string().regex(/^[0-9a-f]{32,128}$/, 'expected at least 128 random bits as 32-128 lowercase hex digits'),
});
