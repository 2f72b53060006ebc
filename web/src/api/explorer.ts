import { api, unwrap } from './client';

/** Bytes as the gateway sends them: base64, and the text when they are text. */
export interface Bytes {
    base64: string;
    text?: string;
}

export interface Signer {
    mspId: string;
    subject?: string;
}

export interface ReadWriteSet {
    namespace: string;
    reads: { key: string; version: { blockNumber: number; txNumber: number } | null }[];
    rangeReads: { startKey: string; endKey: string }[];
    writes: { key: string; isDelete: boolean; value: Bytes }[];
    collections: {
        collection: string;
        reads: { keyHash: string }[];
        writes: { keyHash: string; isDelete: boolean; valueHash: string }[];
    }[];
}

/** A transaction's anatomy, as `GET /api/explorer/transactions/{txId}` answers it. */
export interface TransactionAnatomy {
    txId: string;
    blockNumber: number;
    txNumber: number;
    validationCode: number;
    validationCodeName: string;
    timestamp: string;
    creator: Signer;
    chaincodeName: string;
    args: string[];
    endorsers: Signer[];
    response: { status: number; message: string; payload: Bytes };
    event: { eventName: string; payload: Bytes } | null;
    readWriteSets: ReadWriteSet[];
}

export interface BlockDetail {
    number: number;
    previousHash: string;
    dataHash: string;
    transactions: TransactionAnatomy[];
}

export interface ChainCheck {
    ok: boolean;
    height: number;
    problems: { blockNumber: number; reason: string }[];
    state?: { problems: unknown[]; problemCount?: number };
    damage?: string;
    remedy?: string;
}

export async function getTransaction(txId: string): Promise<TransactionAnatomy> {
    return (await unwrap(
        api.GET('/api/explorer/transactions/{txId}', { params: { path: { txId } } }),
    )) as unknown as TransactionAnatomy;
}

export async function getBlock(number: number): Promise<BlockDetail> {
    return (await unwrap(
        api.GET('/api/explorer/blocks/{number}', { params: { path: { number } } }),
    )) as unknown as BlockDetail;
}

export async function verifyChain(): Promise<ChainCheck> {
    return (await unwrap(api.GET('/api/explorer/verify'))) as unknown as ChainCheck;
}

/** A composite key as people read it: Fabric's U+0000 separators shown as `·`. */
export const readableKey = (key: string): string => key.replaceAll('\u0000', '·').replace(/^·|·$/g, '');
