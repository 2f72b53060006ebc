import { label, z } from '../lib';
import { MAX_SERVICE_MINUTES } from './rules';

/** The formats of the time bank's transaction arguments, checked before anything is read. */

// Account ids are certificate ids (`x509::<subject>::<issuer>`), not short identifiers.
export const accountIdSchema = z
    .string()
    .min(1)
    .max(1024)
    .refine(
        (value) => !value.includes('\u0000') && !value.includes('\u{10FFFF}'),
        'contains a character Fabric keys forbid',
    );
export const minutesSchema = z.number().int().positive().max(1_000_000_000);
export const plannedMinutesSchema = z.number().int().positive().max(MAX_SERVICE_MINUTES);
export const memoSchema = z.string().trim().max(200);
export const elderDetails = z.object({
    name: label,
    address: z.string().trim().min(1).max(300),
    phone: z.string().regex(/^[0-9+\- ]{5,20}$/, 'expected a phone number'),
});
