import type { Network } from '@zhelian/api';
import type { JsonSchema } from '../http/schema';

/**
 * A chaincode's contract metadata as Fabric's Node runtime reports it
 * (`org.hyperledger.fabric:GetMetadata`): its contracts, their transactions with each parameter's
 * name, JSON Schema and `@Param` description, and the record schemas (`@Object`) they return.
 */
export interface ChaincodeMetadata {
    info?: { title?: string; version?: string };
    contracts: Record<string, ContractMetadata>;
    components?: { schemas?: Record<string, JsonSchema> };
}

export interface ContractMetadata {
    name: string;
    info?: { title?: string; description?: string; version?: string };
    transactions: TransactionMetadata[];
}

export interface TransactionMetadata {
    name: string;
    /** `SUBMIT`/`submitTx` for `@Transaction()`, `EVALUATE`/`evaluateTx` for `@Transaction(false)`. */
    tag?: string[];
    parameters?: ParameterMetadata[];
    returns?: JsonSchema;
}

export interface ParameterMetadata {
    name: string;
    description?: string;
    schema: JsonSchema;
}

/** Fabric's own contract in every Node chaincode: it answers GetMetadata, and is not an application. */
export const SYSTEM_CONTRACT = 'org.hyperledger.fabric';

/** Asks the chaincode for its metadata, as any Fabric client can. */
export async function fetchMetadata(network: Network, chaincode: string): Promise<ChaincodeMetadata> {
    const bytes = await network.getContract(chaincode).evaluateTransaction(`${SYSTEM_CONTRACT}:GetMetadata`);
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as ChaincodeMetadata;
}

/** Whether a transaction is submitted (ordered into a block) rather than evaluated; untagged ones are, as on Fabric. */
export function isSubmit(transaction: TransactionMetadata): boolean {
    const tags = transaction.tag ?? [];
    return !tags.includes('EVALUATE') && !tags.includes('evaluateTx');
}

/** The OpenAPI name of a chaincode's record schema: `zhelian.Receipt`. */
const componentName = (chaincode: string, name: string): string => `${chaincode}.${name}`;

/** A metadata schema with its `$ref`s (`#/components/schemas/Receipt`, or just `Receipt`) pointing into the document. */
export function documentSchema(chaincode: string, schema: JsonSchema): JsonSchema {
    const rewrite = (value: unknown): unknown => {
        if (Array.isArray(value)) {
            return value.map(rewrite);
        }
        if (value === null || typeof value !== 'object') {
            return value;
        }
        return Object.fromEntries(
            Object.entries(value)
                .filter(([key]) => key !== '$id')
                .map(([key, field]) =>
                    key === '$ref' && typeof field === 'string'
                        ? [key, `#/components/schemas/${componentName(chaincode, field.split('/').pop() ?? field)}`]
                        : [key, rewrite(field)],
                ),
        );
    };
    return rewrite(schema) as JsonSchema;
}

/** The record schemas of a chaincode's metadata, named and linked for the API document. */
export function componentSchemas(chaincode: string, metadata: ChaincodeMetadata): Record<string, JsonSchema> {
    return Object.fromEntries(
        Object.entries(metadata.components?.schemas ?? {}).map(([name, schema]) => [
            componentName(chaincode, name),
            documentSchema(chaincode, schema),
        ]),
    );
}
