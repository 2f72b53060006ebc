import { z } from 'zod';
import { badInput } from './errors';
import { parseJsonArgument } from './json';

export { z };

/**
 * Input validation at the edge of a transaction. Arguments arrive as strings (structured ones as
 * JSON); each is checked once against a zod schema and trusted afterwards.
 *
 * ```ts
 * const prize = parseJson('prizes', prizesJson, z.array(PrizeInput).min(1));
 * const number = parseArgument('number', receiptNumber, receiptNumberSchema);
 * ```
 */
export function parseArgument<S extends z.ZodType>(name: string, value: unknown, schema: S): z.output<S> {
    const result = schema.safeParse(value);
    if (!result.success) {
        const issue = result.error.issues[0];
        const where = issue.path.length > 0 ? `${name}.${issue.path.join('.')}` : name;
        throw badInput(`${where}: ${issue.message}`);
    }
    return result.data;
}

/** Parses a JSON string argument, then validates it like {@link parseArgument}. */
export function parseJson<S extends z.ZodType>(name: string, text: string, schema: S): z.output<S> {
    return parseArgument(name, parseJsonArgument(name, text), schema);
}

/** Money: a non-negative integer number of fen (分). */
export const fen = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** Time: an integer number of minutes since the Unix epoch. */
export const minute = z.number().int().nonnegative();

/** A lowercase hex SHA-256 digest. */
export const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'expected a lowercase hex SHA-256 digest');

/** What {@link identifier} accepts, in words, for messages and `@Param` descriptions. */
export const IDENTIFIER_RULE = '1-64 letters, digits, ".", "_" or "-"';

/**
 * An identifier that is safe inside a composite key and readable in a URL: letters, digits,
 * `-`, `_`, `.`, 1–64 characters.
 */
export const identifier = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, `expected ${IDENTIFIER_RULE}`);

/** A short human text (title, name): trimmed, 1–200 characters. */
export const label = z.string().trim().min(1).max(200);
