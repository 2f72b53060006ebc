import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import {
    checkpointers,
    type CloseableAsyncIterable,
    type Contract,
    connect,
    EndorseError,
    type Gateway,
    GatewayError,
    hash,
    type Network,
    signers,
    type SubmitError,
} from '@hyperledger/fabric-gateway';
import { common, gateway as gatewayProtos, peer } from '@hyperledger/fabric-protos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedLedger } from './embedded-ledger';

const assetTransfer = path.join(__dirname, '..', 'test', 'fixtures', 'ledger', 'asset-transfer');
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

/** The next `count` items of a stream of events, then the stream is closed. */
async function take<T>(events: CloseableAsyncIterable<T>, count: number): Promise<T[]> {
    const items: T[] = [];
    const iterator = events[Symbol.asyncIterator]();
    try {
        while (items.length < count) {
            const next = await iterator.next();
            if (next.done) {
                break;
            }
            items.push(next.value);
        }
    } finally {
        events.close();
    }
    return items;
}

/** A fabric-gateway connection as Fabric's samples make one, from a cryptogen-layout user directory. */
async function connectAs(
    endpoint: { endpoint: string; hostAlias: string; tlsCACertificate: string },
    mspId: string,
    userDir: string,
    options: { signer?: 'none' } = {},
): Promise<{ gateway: Gateway; client: grpc.Client; privateKey: KeyObject }> {
    const certDir = path.join(userDir, 'msp', 'signcerts');
    const credentials = await readFile(path.join(certDir, (await readdir(certDir))[0]));
    const privateKey = createPrivateKey(await readFile(path.join(userDir, 'msp', 'keystore', 'priv_sk')));
    const client = new grpc.Client(
        endpoint.endpoint,
        grpc.credentials.createSsl(Buffer.from(endpoint.tlsCACertificate)),
        {
            'grpc.ssl_target_name_override': endpoint.hostAlias,
        },
    );
    const gateway = connect({
        client,
        identity: { mspId, credentials },
        ...(options.signer === 'none' ? {} : { signer: signers.newPrivateKeySigner(privateKey) }),
        hash: hash.sha256,
    });
    return { gateway, client, privateKey };
}

describe("Fabric's Gateway service over gRPC+TLS, with an unmodified fabric-gateway client", () => {
    let dataDir: string;
    let ledger: EmbeddedLedger;
    const clients: grpc.Client[] = [];
    const gateways: Gateway[] = [];
    let network: Network;
    let org1: Contract;
    let org2: Contract;
    let org1User: { endpoint: { endpoint: string; hostAlias: string; tlsCACertificate: string }; userDir: string };

    beforeAll(async () => {
        dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-grpc-'));
        ledger = await EmbeddedLedger.open({
            dataDir,
            topology: 'test-network',
            syncCommits: false,
            serve: { ports: { Org1MSP: 0, Org2MSP: 0 } },
        });
        await ledger.deploy({
            packageDir: assetTransfer,
            name: 'basic',
            collections: [
                {
                    name: 'assetCollection',
                    policy: "OR('Org1MSP.member', 'Org2MSP.member')",
                    requiredPeerCount: 0,
                    maxPeerCount: 1,
                    blockToLive: 0,
                    memberOnlyRead: true,
                    memberOnlyWrite: true,
                },
            ],
        });
        const exported = await ledger.fabricProtocols.exportOrganizations(path.join(dataDir, 'organizations'));
        const endpoints = ledger.fabricProtocols.endpoints();
        for (const mspId of ['Org1MSP', 'Org2MSP']) {
            const org = exported.organizations.find((o) => o.mspId === mspId)!;
            const endpoint = endpoints.find((e) => e.mspId === mspId)!;
            const { gateway, client } = await connectAs(endpoint, mspId, org.users.user1);
            clients.push(client);
            gateways.push(gateway);
            if (mspId === 'Org1MSP') {
                org1User = { endpoint, userDir: org.users.user1 };
            }
        }
        network = gateways[0].getNetwork('mychannel');
        org1 = network.getContract('basic');
        org2 = gateways[1].getNetwork('mychannel').getContract('basic');
    });

    afterAll(async () => {
        gateways.forEach((gateway) => gateway.close());
        clients.forEach((client) => client.close());
        await ledger?.close();
        await rm(dataDir, { recursive: true, force: true });
    });

    it('submits and evaluates', async () => {
        const created = JSON.parse(text(await org1.submitTransaction('CreateAsset', 'asset1', 'blue', '5')));
        expect(created).toMatchObject({ ID: 'asset1', OwnerOrg: 'Org1MSP' });
        expect(JSON.parse(text(await org2.evaluateTransaction('ReadAsset', 'asset1')))).toMatchObject({
            Color: 'blue',
        });
    });

    it('submits asynchronously and reads the commit status', async () => {
        const submitted = await org2.submitAsync('CreateAsset', { arguments: ['asset2', 'red', '3'] });
        expect(JSON.parse(text(submitted.getResult())).ID).toBe('asset2');
        const status = await submitted.getStatus();
        expect(status.successful).toBe(true);
        expect(status.code).toBe(peer.TxValidationCode.VALID);
        const tx = await ledger.explorer.getTransaction(submitted.getTransactionId());
        expect(tx?.blockNumber).toBe(Number(status.blockNumber));
    });

    it("reports the chaincode's refusal as an EndorseError with the peer's details", async () => {
        const error = await org1
            .submitTransaction('CreateAsset', 'asset1', 'x', '1')
            .catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(EndorseError);
        expect((error as EndorseError).code).toBe(grpc.status.ABORTED);
        expect((error as EndorseError).message).toContain('failed to endorse transaction, see attached details');
        expect((error as EndorseError).details).toEqual([
            expect.objectContaining({ mspId: 'Org1MSP', message: expect.stringContaining('already exists') }),
        ]);
        const evaluated = await org1.evaluateTransaction('ReadAsset', 'nothing').catch((caught: unknown) => caught);
        expect(evaluated).toBeInstanceOf(GatewayError);
        expect((evaluated as GatewayError).code).toBe(grpc.status.UNKNOWN);
    });

    it("serves a chain of common.Blocks that verifies under Fabric's hashing rules", async () => {
        const height = await ledger.explorer.getHeight();
        const blocks = await take(await network.getBlockEvents({ startBlock: 0n }), height);
        let previous: Uint8Array | undefined;
        for (const block of blocks) {
            const header = block.getHeader()!;
            const data = Buffer.concat(block.getData()!.getDataList_asU8());
            expect(Buffer.from(header.getDataHash_asU8())).toEqual(createHash('sha256').update(data).digest());
            if (previous) {
                expect(Buffer.from(header.getPreviousHash_asU8())).toEqual(Buffer.from(previous));
            }
            previous = asn1HeaderHash(header);
        }
        const info = common.BlockchainInfo.deserializeBinary(
            await network.getContract('qscc').evaluateTransaction('GetChainInfo', 'mychannel'),
        );
        expect(Buffer.from(info.getCurrentblockhash_asU8())).toEqual(Buffer.from(previous!));
        const byHash = common.Block.deserializeBinary(
            await network.getContract('qscc').evaluateTransaction('GetBlockByHash', 'mychannel', previous!),
        );
        expect(byHash.getHeader()?.getNumber()).toBe(height - 1);
    });

    it('reads blocks through qscc as common.Block protobufs', async () => {
        const qscc = network.getContract('qscc');
        const info = common.BlockchainInfo.deserializeBinary(
            await qscc.evaluateTransaction('GetChainInfo', 'mychannel'),
        );
        expect(info.getHeight()).toBe(await ledger.explorer.getHeight());
        const last = common.Block.deserializeBinary(
            await qscc.evaluateTransaction('GetBlockByNumber', 'mychannel', String(info.getHeight() - 1)),
        );
        expect(last.getHeader()?.getNumber()).toBe(info.getHeight() - 1);
    });

    it('delivers chaincode events of valid transactions, replayed from a block and resumed from a checkpoint', async () => {
        const start = BigInt(await ledger.explorer.getHeight());
        await org1.submitTransaction('CreateAsset', 'event1', 'green', '1');
        await org1.submitTransaction('CreateAsset', 'event2', 'green', '2');
        await org1.submitTransaction('CreateAsset', 'event3', 'green', '3');
        const replayed = await take(await network.getChaincodeEvents('basic', { startBlock: start }), 3);
        expect(replayed.map((e) => JSON.parse(text(e.payload)).ID)).toEqual(['event1', 'event2', 'event3']);
        expect(replayed.every((e) => e.eventName === 'CreateAsset' && e.chaincodeName === 'basic')).toBe(true);

        const checkpointer = checkpointers.inMemory();
        const first = await take(await network.getChaincodeEvents('basic', { startBlock: start }), 1);
        await checkpointer.checkpointChaincodeEvent(first[0]);
        const resumed = await take(await network.getChaincodeEvents('basic', { checkpoint: checkpointer }), 2);
        expect(resumed.map((e) => JSON.parse(text(e.payload)).ID)).toEqual(['event2', 'event3']);

        // Live: an event committed after the stream opened.
        const live = await network.getChaincodeEvents('basic');
        const next = take(live, 1);
        await org2.submitTransaction('CreateAsset', 'event4', 'green', '4');
        expect(JSON.parse(text((await next)[0].payload)).ID).toBe('event4');
    });

    it('delivers common.Blocks, filtered blocks and blocks with private data, with checkpointing', async () => {
        const height = BigInt(await ledger.explorer.getHeight());
        const blocks = await take(await network.getBlockEvents({ startBlock: 0n }), Number(height));
        expect(blocks.map((b) => b.getHeader()?.getNumber())).toEqual([...Array(Number(height)).keys()]);
        for (const [i, block] of blocks.entries()) {
            const stored = await ledger.explorer.getBlock(i);
            expect(Buffer.from(block.getHeader()!.getDataHash_asU8()).toString('hex')).toBe(stored?.dataHash);
            const filter = block.getMetadata()!.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER];
            expect([...filter]).toEqual(stored?.transactions.map((t) => t.validationCode));
        }

        const checkpointer = checkpointers.inMemory();
        await checkpointer.checkpointBlock(height - 2n);
        const filtered = await take(await network.getFilteredBlockEvents({ checkpoint: checkpointer }), 1);
        expect(BigInt(filtered[0].getNumber())).toBe(height - 1n);
        expect(filtered[0].getChannelId()).toBe('mychannel');
        expect(filtered[0].getFilteredTransactionsList()[0].getTxValidationCode()).toBe(peer.TxValidationCode.VALID);

        const submitted = await org1.submitAsync('CreateAsset', {
            arguments: ['secret1', 'black', '9'],
            transientData: { asset_properties: '{"salt":"s1"}' },
        });
        const { blockNumber } = await submitted.getStatus();
        const [withPrivate] = await take(await network.getBlockAndPrivateDataEvents({ startBlock: blockNumber }), 1);
        const privateData = withPrivate.getPrivateDataMapMap().get(0);
        const collection = privateData?.getNsPvtRwsetList()[0].getCollectionPvtRwsetList()[0];
        expect(collection?.getCollectionName()).toBe('assetCollection');
        expect(text(await org2.evaluateTransaction('ReadAssetProperties', 'secret1'))).toBe('{"salt":"s1"}');
        const block = withPrivate.getBlock()!;
        expect(Buffer.from(block.getData()!.getDataList_asU8()[0]).includes(Buffer.from('"salt":"s1"'))).toBe(false);
    });

    it('invalidates the second of two transactions that read the same key with MVCC_READ_CONFLICT', async () => {
        await org1.submitTransaction('CreateAsset', 'contested', 'white', '1');
        const first = await org1.newProposal('TransferAsset', { arguments: ['contested', 'Org2MSP'] }).endorse();
        const second = await org1.newProposal('TransferAsset', { arguments: ['contested', 'Org1MSP'] }).endorse();
        expect((await (await first.submit()).getStatus()).successful).toBe(true);
        const status = await (await second.submit()).getStatus();
        expect(status.successful).toBe(false);
        expect(status.code).toBe(peer.TxValidationCode.MVCC_READ_CONFLICT);
    });

    it('refuses an envelope the proposal creator did not sign, as the orderer does', async () => {
        const { gateway, client } = await connectAs(org1User.endpoint, 'Org1MSP', org1User.userDir, { signer: 'none' });
        const { privateKey } = await connectAs(org1User.endpoint, 'Org1MSP', org1User.userDir);
        try {
            const contract = gateway.getNetwork('mychannel').getContract('basic');
            const unsigned = contract.newProposal('CreateAsset', { arguments: ['forged', 'red', '1'] });
            const proposal = gateway.newSignedProposal(
                unsigned.getBytes(),
                await signDigest(privateKey, unsigned.getDigest()),
            );
            const transaction = await proposal.endorse();
            const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
            const forged = gateway.newSignedTransaction(
                transaction.getBytes(),
                await signDigest(stranger, transaction.getDigest()),
            );
            const error = await forged.submit().catch((caught: unknown) => caught);
            expect(error).toBeInstanceOf(GatewayError);
            expect((error as Error).name).toBe('SubmitError');
            expect((error as SubmitError).code).toBe(grpc.status.ABORTED);
            expect((error as SubmitError).message).toContain('status=FORBIDDEN');
        } finally {
            gateway.close();
            client.close();
        }
    });

    it("refuses a proposal signed outside the peers' time window, and one whose signature does not verify", async () => {
        const { gateway, client, privateKey } = await connectAs(org1User.endpoint, 'Org1MSP', org1User.userDir, {
            signer: 'none',
        });
        try {
            const contract = gateway.getNetwork('mychannel').getContract('basic');
            const late = skewed(contract.newProposal('ReadAsset', { arguments: ['asset1'] }).getBytes(), 16 * 60);
            const evaluate = await gateway
                .newSignedProposal(late, await signDigest(privateKey, proposalDigest(late)))
                .evaluate()
                .catch((caught: unknown) => caught);
            expect((evaluate as GatewayError).code).toBe(grpc.status.UNAVAILABLE);
            expect((evaluate as GatewayError).details[0].message).toMatch(
                /request unauthorized due to incorrect timestamp/,
            );
            const endorse = await gateway
                .newSignedProposal(late, await signDigest(privateKey, proposalDigest(late)))
                .endorse()
                .catch((caught: unknown) => caught);
            expect(endorse).toBeInstanceOf(EndorseError);
            expect((endorse as EndorseError).code).toBe(grpc.status.ABORTED);

            const unsigned = contract.newProposal('ReadAsset', { arguments: ['asset1'] });
            const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
            const forged = await gateway
                .newSignedProposal(unsigned.getBytes(), await signDigest(stranger, unsigned.getDigest()))
                .evaluate()
                .catch((caught: unknown) => caught);
            expect((forged as GatewayError).code).toBe(grpc.status.FAILED_PRECONDITION);
            expect((forged as GatewayError).details[0]).toMatchObject({ mspId: 'Org1MSP' });
        } finally {
            gateway.close();
            client.close();
        }
    });
});

/** A signature over a digest by `privateKey`, as fabric-gateway's own signer makes it (low S). */
function signDigest(privateKey: KeyObject, digest: Uint8Array): Promise<Uint8Array> {
    return signers.newPrivateKeySigner(privateKey)(digest);
}

/** A proposal (fabric-gateway's `getBytes()`) whose timestamp is moved by `seconds`, as a client with a wrong clock sends it. */
function skewed(bytes: Uint8Array, seconds: number): Uint8Array {
    const proposed = gatewayProtos.ProposedTransaction.deserializeBinary(bytes);
    const signed = proposed.getProposal()!;
    const proposal = peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8());
    const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
    const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
    channelHeader.getTimestamp()!.setSeconds(channelHeader.getTimestamp()!.getSeconds() + seconds);
    header.setChannelHeader(channelHeader.serializeBinary());
    proposal.setHeader(header.serializeBinary());
    signed.setProposalBytes(proposal.serializeBinary());
    return proposed.serializeBinary();
}

/** What fabric-gateway signs for a proposal: the SHA-256 of its proposal bytes. */
function proposalDigest(bytes: Uint8Array): Uint8Array {
    const signed = gatewayProtos.ProposedTransaction.deserializeBinary(bytes).getProposal()!;
    return hash.sha256(signed.getProposalBytes_asU8());
}

/** Fabric's header hash, written out here as a Fabric tool computes it: SHA-256 of DER SEQUENCE { INTEGER, OCTET STRING, OCTET STRING }. */
function asn1HeaderHash(header: common.BlockHeader): Uint8Array {
    const element = (tag: number, content: Buffer): Buffer => {
        if (content.length >= 0x80) {
            throw new Error('long DER lengths are not needed for 32-byte hashes');
        }
        return Buffer.concat([Buffer.from([tag, content.length]), content]);
    };
    let number = Buffer.from(
        header
            .getNumber()
            .toString(16)
            .padStart(2, '0')
            .replace(/^(.(..)*)$/, '0$1'),
        'hex',
    );
    if (number[0] & 0x80) {
        number = Buffer.concat([Buffer.from([0]), number]);
    }
    const der = element(
        0x30,
        Buffer.concat([
            element(0x02, number),
            element(0x04, Buffer.from(header.getPreviousHash_asU8())),
            element(0x04, Buffer.from(header.getDataHash_asU8())),
        ]),
    );
    return createHash('sha256').update(der).digest();
}
