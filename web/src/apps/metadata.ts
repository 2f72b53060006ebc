import { shallowRef } from 'vue';
import { api, unwrap } from '../api/client';

/** The chaincode's contract metadata (org.hyperledger.fabric:GetMetadata), from which forms are built. */
export interface ParameterMetadata {
    name: string;
    description?: string;
    schema: { type?: string };
}

export interface TransactionMetadata {
    name: string;
    tag?: string[];
    parameters?: ParameterMetadata[];
}

export interface ContractMetadata {
    name: string;
    info?: { title?: string; description?: string };
    transactions: TransactionMetadata[];
}

export interface ChaincodeMetadata {
    contracts: Record<string, ContractMetadata>;
}

export const CHAINCODE = 'zhelian';

const metadata = shallowRef<ChaincodeMetadata | undefined>();
let loading: Promise<ChaincodeMetadata> | undefined;

/** The metadata, fetched once per page load. */
export function loadMetadata(): Promise<ChaincodeMetadata> {
    loading ??= unwrap(
        api.GET('/api/chaincode/{chaincode}/metadata', { params: { path: { chaincode: CHAINCODE } } }),
    ).then((answer) => {
        metadata.value = answer as unknown as ChaincodeMetadata;
        return metadata.value;
    });
    loading.catch(() => {
        loading = undefined;
    });
    return loading;
}

export function isSubmit(transaction: TransactionMetadata): boolean {
    const tags = transaction.tag ?? [];
    return !tags.includes('EVALUATE') && !tags.includes('evaluateTx');
}

/** Parameters whose value is structured JSON (the zhelian dialect names them `…Json`). */
export const isJsonParameter = (parameter: ParameterMetadata): boolean => /Json$/.test(parameter.name);

export const isNumberParameter = (parameter: ParameterMetadata): boolean =>
    parameter.schema.type === 'number' || parameter.schema.type === 'integer';
