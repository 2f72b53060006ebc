/*
 * One suite of a Fabric client application, run unchanged against the embedded ledger's Fabric
 * endpoints and against a Fabric network of native binaries: submit, evaluate, submitAsync and
 * commit status, chaincode events with replay and checkpoint, block events, private data with
 * transient input, an endorsement refused by the chaincode, an MVCC conflict and qscc. It uses
 * @hyperledger/fabric-gateway and the zhelian chaincode's evidence contract only.
 */
import { createHash } from 'node:crypto';
import {
    checkpointers,
    type CloseableAsyncIterable,
    type Contract,
    type EndorseError,
    type GatewayError,
    type Network,
} from '@hyperledger/fabric-gateway';
import { common, peer } from '@hyperledger/fabric-protos';
import { afterAll, beforeAll, describe, expect, it as vitestIt } from 'vitest';
import { type Connection, newConnection, type PeerConfig, type UserConfig } from './app/connect';

/** What the application is configured with: a network's peers, users, channel and chaincode. */
export interface ClientNetwork {
    channel: string;
    chaincode: string;
    peer(mspId: string): PeerConfig;
    user(mspId: string, name: string): UserConfig;
    close(): Promise<void>;
}

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
const json = <T = Record<string, unknown>>(bytes: Uint8Array): T => JSON.parse(text(bytes)) as T;
const sha256 = (content: string): string => createHash('sha256').update(content).digest('hex');

/** Items of a stream until `done` says so (or `limit` items), then the stream is closed. */
async function until<T>(events: CloseableAsyncIterable<T>, done: (seen: T[]) => boolean, limit = 1000): Promise<T[]> {
    const seen: T[] = [];
    try {
        for await (const item of events) {
            seen.push(item);
            if (done(seen) || seen.length >= limit) {
                break;
            }
        }
    } finally {
        events.close();
    }
    return seen;
}

/**
 * Registers the suite. `openNetwork` gives the network, or the reason it cannot (e.g. none is
 * running), and then every test is skipped with that reason.
 */
export function describeEvidenceClient(label: string, openNetwork: () => Promise<ClientNetwork | string>): void {
    describe(`a fabric-gateway application on ${label}`, () => {
        // Ids new to this run: a Fabric network keeps what earlier runs wrote.
        const run = `${Date.now().toString(36)}${process.pid.toString(36)}`;
        let network: ClientNetwork;
        let unavailable: string | undefined;
        const connections: Connection[] = [];
        const it = (name: string, test: () => Promise<void>) =>
            vitestIt(name, async (context) => {
                if (unavailable !== undefined) {
                    context.skip(unavailable);
                }
                await test();
            });
        let litigant: Contract;
        let litigantNetwork: Network;
        let platform: Contract;
        let court: Contract;

        const contractOf = async (mspId: string, name: string): Promise<{ contract: Contract; network: Network }> => {
            const connection = await newConnection(network.peer(mspId), network.user(mspId, name));
            connections.push(connection);
            const channel = connection.gateway.getNetwork(network.channel);
            return { contract: channel.getContract(network.chaincode, 'evidence'), network: channel };
        };

        beforeAll(async () => {
            const opened = await openNetwork();
            if (typeof opened === 'string') {
                unavailable = opened;
                return;
            }
            network = opened;
            ({ contract: litigant, network: litigantNetwork } = await contractOf('MemberMSP', 'litigant'));
            ({ contract: platform } = await contractOf('PlatformMSP', 'alipay'));
            ({ contract: court } = await contractOf('CourtMSP', 'hangzhou'));
        });

        afterAll(async () => {
            connections.forEach((connection) => connection.close());
            await network?.close();
        });

        const deposit = (id: string, content: string) =>
            litigant.submitTransaction(
                'depositEvidence',
                id,
                sha256(content),
                '聊天记录',
                'chat-log',
                String(content.length),
            );

        it("submits a deposit, and another organization's peer evaluates a check against it", async () => {
            const record = json(await deposit(`ev-${run}-1`, 'the first file'));
            expect(record).toMatchObject({ id: `ev-${run}-1`, hash: sha256('the first file') });
            const check = json(
                await platform.evaluateTransaction('verifyEvidence', `ev-${run}-1`, sha256('the first file')),
            );
            expect(check).toMatchObject({ outcome: 'MATCH' });
        });

        it('submits asynchronously and reads the commit status, which names the block', async () => {
            const submitted = await litigant.submitAsync('depositEvidence', {
                arguments: [`ev-${run}-2`, sha256('second'), '合同', 'contract/pdf', '6'],
            });
            expect(json(submitted.getResult()).id).toBe(`ev-${run}-2`);
            const status = await submitted.getStatus();
            expect(status).toMatchObject({ successful: true, code: peer.TxValidationCode.VALID });
            const qscc = litigantNetwork.getContract('qscc');
            const processed = peer.ProcessedTransaction.deserializeBinary(
                await qscc.evaluateTransaction('GetTransactionByID', network.channel, submitted.getTransactionId()),
            );
            expect(processed.getValidationcode()).toBe(peer.TxValidationCode.VALID);
            const info = common.BlockchainInfo.deserializeBinary(
                await qscc.evaluateTransaction('GetChainInfo', network.channel),
            );
            expect(info.getHeight()).toBeGreaterThan(Number(status.blockNumber));
        });

        it('replays chaincode events from a block, and resumes after a checkpoint', async () => {
            const first = await litigant.submitAsync('depositEvidence', {
                arguments: [`ev-${run}-3`, sha256('third'), '照片', 'image/png', '5'],
            });
            const { blockNumber } = await first.getStatus();
            await deposit(`ev-${run}-4`, 'fourth');
            const ours = (ids: string[]) => (seen: { payload: Uint8Array }[]) =>
                ids.every((id) => seen.some((event) => json(event.payload).evidenceId === id));
            const replayed = await until(
                await litigantNetwork.getChaincodeEvents(network.chaincode, { startBlock: blockNumber }),
                ours([`ev-${run}-3`, `ev-${run}-4`]),
            );
            const event = replayed.find((e) => json(e.payload).evidenceId === `ev-${run}-3`)!;
            expect(event).toMatchObject({ eventName: 'evidence.Deposited', transactionId: first.getTransactionId() });

            const checkpointer = checkpointers.inMemory();
            await checkpointer.checkpointChaincodeEvent(event);
            const resumed = await until(
                await litigantNetwork.getChaincodeEvents(network.chaincode, { checkpoint: checkpointer }),
                ours([`ev-${run}-4`]),
            );
            expect(resumed.map((e) => json(e.payload).evidenceId)).not.toContain(`ev-${run}-3`);
        });

        it("delivers the transaction's block and its filtered block", async () => {
            const submitted = await litigant.submitAsync('depositEvidence', {
                arguments: [`ev-${run}-5`, sha256('fifth'), '录音', 'audio/mp3', '5'],
            });
            const { blockNumber } = await submitted.getStatus();
            const [block] = await until(await litigantNetwork.getBlockEvents({ startBlock: blockNumber }), () => true);
            expect(BigInt(block.getHeader()!.getNumber())).toBe(blockNumber);
            const txIds = block
                .getData()!
                .getDataList_asU8()
                .map((bytes) => {
                    const payload = common.Payload.deserializeBinary(
                        common.Envelope.deserializeBinary(bytes).getPayload_asU8(),
                    );
                    return common.ChannelHeader.deserializeBinary(
                        payload.getHeader()!.getChannelHeader_asU8(),
                    ).getTxId();
                });
            expect(txIds).toContain(submitted.getTransactionId());
            const [filtered] = await until(
                await litigantNetwork.getFilteredBlockEvents({ startBlock: blockNumber }),
                () => true,
            );
            const transaction = filtered
                .getFilteredTransactionsList()
                .find((tx) => tx.getTxid() === submitted.getTransactionId());
            expect(transaction?.getTxValidationCode()).toBe(peer.TxValidationCode.VALID);
        });

        it('keeps sealed material private: transient input, a court-only collection, its hash on the channel', async () => {
            const caseId = `(2026)浙0192民初${run}号`;
            await court.submitTransaction('openCase', caseId, '网络购物合同纠纷');
            const material = JSON.stringify({ title: '证人证言', content: `sealed ${run}` });
            const sealed = await court.submitAsync('sealMaterial', {
                arguments: [caseId, 'm1'],
                transientData: { material },
                endorsingOrganizations: ['CourtMSP'],
            });
            const status = await sealed.getStatus();
            expect(status.successful).toBe(true);
            expect(json(await court.evaluateTransaction('readSealedMaterial', caseId, 'm1'))).toMatchObject({
                content: `sealed ${run}`,
            });
            const [block] = await until(
                await litigantNetwork.getBlockEvents({ startBlock: status.blockNumber }),
                () => true,
            );
            const bytes = Buffer.concat(block.getData()!.getDataList_asU8());
            expect(bytes.includes(Buffer.from(`sealed ${run}`))).toBe(false);
        });

        it("refuses a second deposit of the same id at endorsement, with the chaincode's code in the details", async () => {
            await deposit(`ev-${run}-6`, 'once');
            const error = (await deposit(`ev-${run}-6`, 'twice').catch((caught: unknown) => caught)) as EndorseError;
            expect(error.name).toBe('EndorseError');
            expect(error.code).toBe(10); // ABORTED
            expect(error.details.map((detail) => detail.message).join(' ')).toMatch(/E_EXISTS.*already exists/);
            const evaluated = (await litigant
                .evaluateTransaction('getEvidence', `missing-${run}`)
                .catch((caught: unknown) => caught)) as GatewayError;
            expect(evaluated.code).toBe(2); // UNKNOWN: the chaincode's error
        });

        it('invalidates the second of two changes endorsed from the same state with MVCC_READ_CONFLICT', async () => {
            const caseId = `(2026)浙0192民初${run}号之二`;
            await court.submitTransaction('openCase', caseId, '名誉权纠纷');
            const first = await court.newProposal('advanceCase', { arguments: [caseId, 'ACCEPTED'] }).endorse();
            const second = await court.newProposal('advanceCase', { arguments: [caseId, 'ACCEPTED'] }).endorse();
            expect((await (await first.submit()).getStatus()).successful).toBe(true);
            const status = await (await second.submit()).getStatus();
            expect(status.successful).toBe(false);
            expect(status.code).toBe(peer.TxValidationCode.MVCC_READ_CONFLICT);
        });
    });
}
