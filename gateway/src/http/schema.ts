import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject } from 'ajv';
import { z } from 'zod';

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1). */
export type JsonSchema = Record<string, unknown>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

/**
 * One schema, two uses: it validates a request part at the edge, and its JSON Schema goes into the
 * OpenAPI document as is, so the document and the validation cannot drift apart. Hand-written
 * routes build theirs with zod ({@link zodSchema}); routes generated from contract metadata have
 * JSON Schemas already and validate them with ajv ({@link ajvSchema}).
 */
export interface RequestSchema<T> {
    readonly jsonSchema: JsonSchema;
    /** The value, coerced where the schema says (query and path text to numbers), or the first problem. */
    parse(value: unknown): Parsed<T>;
}

function fieldOf(path: readonly PropertyKey[]): string {
    return path.map(String).join('.');
}

/** A zod schema as a {@link RequestSchema}; its JSON Schema is zod's own rendering of it. */
export function zodSchema<S extends z.ZodType>(schema: S): RequestSchema<z.output<S>> {
    const rendered = z.toJSONSchema(schema, {
        target: 'draft-2020-12',
        io: 'input',
        unrepresentable: 'any',
    }) as JsonSchema;
    // OpenAPI 3.1 documents are in this dialect already; the schema need not say so.
    const jsonSchema = Object.fromEntries(Object.entries(rendered).filter(([key]) => key !== '$schema'));
    return {
        jsonSchema,
        parse(value) {
            const result = schema.safeParse(value);
            if (result.success) {
                return { ok: true, value: result.data };
            }
            const [issue] = result.error.issues;
            const field = fieldOf(issue.path);
            return { ok: false, field, message: field ? `${field}: ${issue.message}` : issue.message };
        },
    };
}

const strictAjv = new Ajv2020({ allowUnionTypes: true, strict: true, useDefaults: true });
const coercingAjv = new Ajv2020({ allowUnionTypes: true, strict: true, useDefaults: true, coerceTypes: true });

function ajvField(error: ErrorObject): string {
    const path = error.instancePath.split('/').slice(1).map(decodeURIComponent);
    const params = error.params as { missingProperty?: string; additionalProperty?: string };
    const child = params.missingProperty ?? params.additionalProperty;
    return fieldOf(child === undefined ? path : [...path, child]);
}

function ajvMessage(error: ErrorObject, field: string): string {
    if (error.keyword === 'additionalProperties') {
        return `${field}: not a field of this request`;
    }
    if (error.keyword === 'required') {
        return `${field}: required`;
    }
    return `${field || 'the request'}: ${error.message ?? 'invalid'}`;
}

/**
 * A JSON Schema as a {@link RequestSchema}, validated by ajv. `coerce` converts text to the
 * schema's types first: query strings and path segments arrive as text.
 */
export function ajvSchema<T = unknown>(jsonSchema: JsonSchema, options: { coerce?: boolean } = {}): RequestSchema<T> {
    const validate = (options.coerce ? coercingAjv : strictAjv).compile<T>(jsonSchema);
    return {
        jsonSchema,
        parse(value) {
            // ajv coerces and fills defaults in place: validate a copy of the request's own object.
            const copy = value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...value } : value;
            if (validate(copy)) {
                return { ok: true, value: copy as T };
            }
            const [error] = validate.errors ?? [];
            const field = error ? ajvField(error) : '';
            return { ok: false, field, message: error ? ajvMessage(error, field) : 'invalid request' };
        },
    };
}
