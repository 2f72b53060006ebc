import { isUtf8 } from 'node:buffer';
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

/** What {@link parseWholeNumber} accepts, in words, for messages. */
const WHOLE_NUMBER_RULE = 'a whole number in decimal digits (no sign, spaces, point, exponent or leading zero)';

const DECIMAL_DIGITS = /^(0|[1-9][0-9]*)$/;

/**
 * The one parser for whole numbers that arrive as text: decimal digits and nothing else, at most
 * `Number.MAX_SAFE_INTEGER`; anything else is refused with `E_BAD_INPUT`. It is what a `number`
 * parameter accepts (`invocation.ts` applies it to every one before fabric-contract-api's own
 * conversion, `Number(text)`, which takes `0x10` as 16, `' 5 '` as 5, `1e3` as 1000, `''` as 0
 * and `-0` as 0); ranges are the contract's to check, with a schema such as {@link fen}.
 *
 * ```ts
 * parseWholeNumber('claimFen', '31250'); // 31250
 * parseWholeNumber('claimFen', '0x10');  // E_BAD_INPUT: claimFen: expected a whole number in decimal digits …
 * ```
 */
export function parseWholeNumber(name: string, text: string): number {
    if (!DECIMAL_DIGITS.test(text) || !Number.isSafeInteger(Number(text))) {
        throw badInput(`${name}: expected ${WHOLE_NUMBER_RULE}, got ${JSON.stringify(text.slice(0, 24))}`);
    }
    return Number(text);
}

/**
 * Bytes as text, refused with `E_BAD_INPUT` unless they are valid UTF-8: a lenient decoder would
 * store U+FFFD in their place, a value the client never sent.
 */
export function decodeUtf8(what: string, bytes: Uint8Array): string {
    if (!isUtf8(bytes)) {
        throw badInput(`${what} is not valid UTF-8`);
    }
    return Buffer.from(bytes).toString('utf8');
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
