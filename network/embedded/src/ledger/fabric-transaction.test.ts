import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { common, peer } from '@hyperledger/fabric-protos';
import { describe, expect, it } from 'vitest';
import { buildTestInvocation, createTestIdentity } from '../../test/support/test-proposal';
import { type Block, computeCommitHash, computeDataHash, computeHeaderHash, type TransactionEnvelope } from './block';
import { verifyChain } from './chain-verifier';
import { encodeRecord, utf8 } from './encoding';
import { toFabricBlock } from './fabric-block';
import { decodeTxRwSet, encodeTxRwSet } from './fabric-rwset';
import {
    decodeResponsePayload,
    decodeTransaction,
    encodeResponsePayload,
    proposalHash,
    storedTransaction,
    transactionPayload,
} from './fabric-transaction';
import type { TxRwSet } from './rwset';
import { LedgerStore } from './store';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
const keyHash = createHash('sha256').update('patient-1').digest('hex');
const valueHash = createHash('sha256').update('secret').digest('hex');

const RWSET: TxRwSet = [
    {
        namespace: 'basic',
        reads: [
            { key: 'asset1', version: { blockNum: 3, txNum: 1 } },
            { key: 'asset9', version: null },
        ],
        rangeQueries: [
            {
                startKey: 'asset1',
                endKey: 'asset3',
                exhausted: true,
                reads: [{ key: 'asset2', version: { blockNum: 0, txNum: 0 } }],
            },
        ],
        writes: [
            { key: 'asset1', isDelete: false, value: utf8('{"owner":"Tom"}') },
            { key: 'asset2', isDelete: true, value: new Uint8Array() },
        ],
        metadataWrites: [{ key: 'asset1', entries: { VALIDATION_PARAMETER: utf8('policy') } }],
        collections: [
            {
                collection: 'patients',
                hashedReads: [{ keyHash, version: { blockNum: 2, txNum: 0 } }],
                hashedWrites: [{ keyHash, isDelete: false, valueHash }],
                privateWrites: [{ key: 'patient-1', isDelete: false, value: utf8('secret') }],
            },
        ],
    },
];

describe("Fabric's bytes for read-write sets and transactions", () => {
    it('encodes a read-write set as rwset.TxReadWriteSet and reads it back without its private values', () => {
        const decoded = decodeTxRwSet(encodeTxRwSet(RWSET));
        expect(decoded).toEqual([{ ...RWSET[0], collections: [{ ...RWSET[0].collections[0], privateWrites: [] }] }]);
        const bytes = encodeTxRwSet(RWSET);
        expect(Buffer.from(bytes).includes(Buffer.from('secret'))).toBe(false);
    });

    it('marks a purge as Fabric does (KVWriteHash.is_purge) and keeps it through a round trip', () => {
        const purge: TxRwSet = [
            {
                ...RWSET[0],
                collections: [
                    {
                        collection: 'patients',
                        hashedReads: [],
                        hashedWrites: [{ keyHash, isDelete: true, valueHash: '', isPurge: true }],
                        privateWrites: [],
                    },
                ],
            },
        ];
        expect(decodeTxRwSet(encodeTxRwSet(purge))[0].collections[0].hashedWrites).toEqual([
            { keyHash, isDelete: true, valueHash: '', isPurge: true },
        ]);
    });

    it('builds the proposal response payload a Fabric client parses, with the event and the response', async () => {
        const identity = await createTestIdentity('Org1MSP', 'user1');
        const invocation = buildTestInvocation({
            identity,
            channelId: 'mychannel',
            chaincodeName: 'basic',
            args: ['CreateAsset', 'asset1'],
            transient: { secret: utf8('hidden') },
        });
        const proposalBytes = peer.SignedProposal.deserializeBinary(invocation.signedProposal).getProposalBytes_asU8();
        const bytes = encodeResponsePayload({
            proposalHash: proposalHash(proposalBytes),
            chaincodeName: 'basic',
            txId: invocation.txId,
            response: { status: 200, message: '', payload: utf8('done') },
            event: { eventName: 'Created', payload: utf8('asset1') },
            rwset: RWSET,
        });
        const action = peer.ChaincodeAction.deserializeBinary(
            peer.ProposalResponsePayload.deserializeBinary(bytes).getExtension_asU8(),
        );
        expect(Buffer.from(action.getResponse()?.getPayload_asU8() ?? []).toString()).toBe('done');
        const event = peer.ChaincodeEvent.deserializeBinary(action.getEvents_asU8());
        expect([event.getChaincodeId(), event.getTxId(), event.getEventName()]).toEqual([
            'basic',
            invocation.txId,
            'Created',
        ]);
        const decoded = decodeResponsePayload(bytes);
        expect(decoded.event?.eventName).toBe('Created');
        expect(decoded.chaincodeName).toBe('basic');

        // The transaction: the proposal's header as it is, the input without the transient map.
        const endorsement = { endorser: utf8('peer'), signature: utf8('sig') };
        const payload = transactionPayload(proposalBytes, bytes, [endorsement]);
        expect(Buffer.from(payload).includes(Buffer.from('hidden'))).toBe(false);
        const proposalHeader = peer.Proposal.deserializeBinary(proposalBytes).getHeader_asU8();
        expect(Buffer.from(common.Payload.deserializeBinary(payload).getHeader()!.serializeBinary())).toEqual(
            Buffer.from(proposalHeader),
        );
        const envelope: TransactionEnvelope = {
            ...decodeTransaction(
                storedTransaction({ ...emptyEnvelope(), payloadBytes: payload, signature: utf8('s') }),
            ),
        };
        expect(envelope.txId).toBe(invocation.txId);
        expect(envelope.chaincodeName).toBe('basic');
        expect(envelope.args.map((a) => Buffer.from(a).toString())).toEqual(['CreateAsset', 'asset1']);
        expect(envelope.endorsements).toEqual([endorsement]);
        expect(Buffer.from(envelope.payloadBytes!)).toEqual(Buffer.from(payload));
    });

    it('serves an older JSON transaction record in a common.Block as an envelope with the same content', () => {
        const responsePayload = encodeRecord({
            proposalHash: '00ff',
            chaincodeName: 'basic',
            response: { status: 200, message: '', payload: utf8('ok') },
            event: null,
            rwset: RWSET,
        });
        const legacy = encodeRecord({ ...emptyEnvelope(), args: [utf8('ReadAsset')], responsePayload });
        const block = toFabricBlock({
            header: { number: 0, previousHash: '', dataHash: computeDataHash([legacy]) },
            data: [legacy],
            metadata: { validationCodes: [0], committedAt: new Date(0).toISOString(), commitHash: 'ab' },
        });
        const envelope = decodeTransaction(block.getData()!.getDataList_asU8()[0]);
        expect([envelope.txId, envelope.chaincodeName, text(envelope.args[0])]).toEqual([
            'tx-legacy',
            'basic',
            'ReadAsset',
        ]);
        expect(decodeResponsePayload(envelope.responsePayload).rwset[0].writes).toEqual(RWSET[0].writes);
        expect([...block.getMetadata()!.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER]]).toEqual(
            [0],
        );
    });

    it('still reads transactions and payloads stored as JSON records by older ledgers', () => {
        const legacy = { ...emptyEnvelope(), responsePayload: encodeRecord({ chaincodeName: 'basic', event: null }) };
        const decoded = decodeTransaction(encodeRecord(legacy));
        expect(decoded.txId).toBe('tx-legacy');
        expect(decoded.payloadBytes).toBeUndefined();
        expect(decodeResponsePayload(decoded.responsePayload).chaincodeName).toBe('basic');
    });

    it("hashes headers as Fabric does (ASN.1 DER), and verifies a chain whose older blocks use the ledger's former hash", async () => {
        const previous = Buffer.alloc(32, 1);
        const data = Buffer.alloc(32, 2);
        const der = Buffer.concat([
            Buffer.from([0x30, 0x47, 0x02, 0x01, 0x05, 0x04, 0x20]),
            previous,
            Buffer.from([0x04, 0x20]),
            data,
        ]);
        expect(
            computeHeaderHash({
                number: 5,
                previousHash: previous.toString('hex'),
                dataHash: data.toString('hex'),
                hashing: 'fabric',
            }),
        ).toBe(createHash('sha256').update(der).digest('hex'));

        const dir = await mkdtemp(path.join(tmpdir(), 'zhelian-fabric-chain-'));
        const store = await LedgerStore.open(path.join(dir, 'ledger'), { sync: false });
        try {
            const legacy = blockAfter(0, '', '', undefined);
            await store.commit(legacy.block, legacy.headerHash, []);
            const fabric = blockAfter(1, legacy.headerHash, legacy.block.metadata.commitHash, 'fabric');
            await store.commit(fabric.block, fabric.headerHash, []);
            expect(await verifyChain(store)).toEqual({ ok: true, height: 2, problems: [] });
        } finally {
            await store.close();
            await rm(dir, { recursive: true, force: true });
        }
    });
});

function emptyEnvelope(): TransactionEnvelope {
    return {
        txId: 'tx-legacy',
        channelId: 'mychannel',
        timestamp: { seconds: 1, nanos: 0 },
        creator: utf8('creator'),
        chaincodeName: 'basic',
        args: [],
        responsePayload: new Uint8Array(),
        endorsements: [],
        signature: new Uint8Array(),
    };
}

function blockAfter(
    number: number,
    previousHash: string,
    previousCommitHash: string,
    hashing: 'fabric' | undefined,
): { block: Block; headerHash: string } {
    const header = { number, previousHash, dataHash: computeDataHash([]), ...(hashing ? { hashing } : {}) };
    const headerHash = computeHeaderHash(header);
    const committedAt = new Date(0).toISOString();
    return {
        block: {
            header,
            data: [],
            metadata: {
                validationCodes: [],
                committedAt,
                commitHash: computeCommitHash(previousCommitHash, headerHash, [], committedAt),
            },
        },
        headerHash,
    };
}
