import { label, z } from '../lib';

/** The formats of the evidence contract's transaction arguments, checked before anything is read. */

/** Chinese case numbers such as `(2026)浙0192民初1234号`: letters (any script), digits, brackets, `.`, `_`, `-`. */
export const caseNumber = z
    .string()
    .regex(/^[\p{L}\p{N}()（）〔〕[\]._-]{1,64}$/u, 'expected a case number such as (2026)浙0192民初1234号');
export const fileType = z.string().trim().min(1).max(100);
export const sizeBytesSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
export const sealedInput = z.object({ title: label, content: z.string().min(1).max(1_000_000) });
/** A certificate id as Fabric prints it, `x509::<subject>::<issuer>`. */
export const certificateId = z
    .string()
    .max(1024)
    .regex(/^x509::.+::.+$/, 'expected a certificate id x509::<subject>::<issuer> (see whoami)');
