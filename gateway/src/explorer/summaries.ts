import type { BlockInfo } from '@zhelian/api';

/** A block in a list or a live stream: its hashes, and each transaction's function and verdict. */
export function blockSummary(block: BlockInfo) {
    return {
        number: block.number,
        previousHash: block.previousHash,
        dataHash: block.dataHash,
        transactions: block.transactions.map((tx) => ({
            txId: tx.txId,
            txNumber: tx.txNumber,
            timestamp: tx.timestamp,
            creator: tx.creator.mspId,
            chaincode: tx.chaincodeName,
            function: tx.args[0] ?? '',
            validationCode: tx.validationCode,
            validationCodeName: tx.validationCodeName,
            event: tx.event?.eventName ?? null,
        })),
    };
}

export const BLOCK_SUMMARY_SCHEMA = {
    type: 'object',
    properties: {
        number: { type: 'integer' },
        previousHash: { type: 'string' },
        dataHash: { type: 'string' },
        transactions: {
            type: 'array',
            items: {
                type: 'object',
                properties: {
                    txId: { type: 'string' },
                    txNumber: { type: 'integer' },
                    timestamp: { type: 'string' },
                    creator: { type: 'string', description: 'MSP ID of the creator.' },
                    chaincode: { type: 'string' },
                    function: { type: 'string', description: 'contract:transaction as called.' },
                    validationCode: { type: 'integer' },
                    validationCodeName: { type: 'string' },
                    event: { type: ['string', 'null'] },
                },
            },
        },
    },
};
