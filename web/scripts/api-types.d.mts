/** The file the UI's API types live in. */
export declare const SCHEMA_FILE: string;
/** The text of `schema.d.ts` for an OpenAPI document. */
export declare function apiTypes(document: object): Promise<string>;
