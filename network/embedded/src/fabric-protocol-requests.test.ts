import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { hash, signers } from '@hyperledger/fabric-gateway';
import { common, gateway, msp, orderer, peer } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PeerEndpoint } from '@zhelian/api';
import { EmbeddedLedger } from './embedded-ledger';

const assetTransfer = path.join(__dirname, '..', 'test', 'fixtures', 'ledger', 'asset-transfer');

/** Raw requests to the served peers, as tools other than fabric-gateway send them, and how each is refused. */
describe("Fabric's Deliver and Gateway requests, checked as a peer checks them", () => {
    let dataDir: string;
    let ledger: EmbeddedLedger;
    let endpoint: PeerEndpoint;
    let creator: Uint8Array;
    let key: KeyObject;
    let deliver: peer.DeliverClient;
    let gatewayClient: gateway.GatewayClient;

    beforeAll(async () => {
        dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-grpc-requests-'));
        ledger = await EmbeddedLedger.open({
            dataDir,
            topology: 'test-network',
            syncCommits: false,
            serve: { ports: { Org1MSP: 0, Org2MSP: 0 } },
        });
        await ledger.deploy({ packageDir: assetTransfer, name: 'basic' });
        const contract = (await ledger.connect({ mspId: 'Org1MSP', name: 'user1' }))
            .getNetwork('mychannel')
            .getContract('basic');
        for (const id of ['a1', 'a2', 'a3']) {
            await contract.submitTransaction('CreateAsset', id, 'blue', '1');
        }
        const { organizations } = await ledger.fabricProtocols.exportOrganizations(path.join(dataDir, 'orgs'));
        const userDir = organizations[0].users.user1;
        const identity = new msp.SerializedIdentity();
        identity.setMspid('Org1MSP');
        identity.setIdBytes(
            await readFile(path.join(userDir, 'msp', 'signcerts', `${path.basename(userDir)}-cert.pem`)),
        );
        creator = identity.serializeBinary();
        key = createPrivateKey(await readFile(path.join(userDir, 'msp', 'keystore', 'priv_sk')));
        endpoint = ledger.fabricProtocols.endpoints()[0];
        const credentials = grpc.credentials.createSsl(Buffer.from(endpoint.tlsCACertificate));
        const options = { 'grpc.ssl_target_name_override': endpoint.hostAlias };
        deliver = new peer.DeliverClient(endpoint.endpoint, credentials, options);
        gatewayClient = new gateway.GatewayClient(endpoint.endpoint, credentials, options);
    });

    afterAll(async () => {
        deliver?.close();
        gatewayClient?.close();
        await ledger?.close();
        await rm(dataDir, { recursive: true, force: true });
    });

    /** A signed SeekInfo envelope: from `start` to `stop`, by `signer` (the user's key unless another). */
    async function seek(
        start: orderer.SeekPosition,
        stop: orderer.SeekPosition,
        options: {
            channel?: string;
            skewSeconds?: number;
            signer?: KeyObject;
            configure?: (s: orderer.SeekInfo) => void;
        } = {},
    ): Promise<common.Envelope> {
        const channelHeader = new common.ChannelHeader();
        channelHeader.setType(common.HeaderType.DELIVER_SEEK_INFO);
        channelHeader.setChannelId(options.channel ?? 'mychannel');
        channelHeader.setTimestamp(Timestamp.fromDate(new Date(Date.now() + (options.skewSeconds ?? 0) * 1000)));
        const signatureHeader = new common.SignatureHeader();
        signatureHeader.setCreator(creator);
        const header = new common.Header();
        header.setChannelHeader(channelHeader.serializeBinary());
        header.setSignatureHeader(signatureHeader.serializeBinary());
        const seekInfo = new orderer.SeekInfo();
        seekInfo.setStart(start);
        seekInfo.setStop(stop);
        options.configure?.(seekInfo);
        const payload = new common.Payload();
        payload.setHeader(header);
        payload.setData(seekInfo.serializeBinary());
        const envelope = new common.Envelope();
        envelope.setPayload(payload.serializeBinary());
        envelope.setSignature(
            await signers.newPrivateKeySigner(options.signer ?? key)(hash.sha256(envelope.getPayload_asU8())),
        );
        return envelope;
    }

    const at = (number: number): orderer.SeekPosition => {
        const position = new orderer.SeekPosition();
        const specified = new orderer.SeekSpecified();
        specified.setNumber(number);
        position.setSpecified(specified);
        return position;
    };
    const newest = (): orderer.SeekPosition => {
        const position = new orderer.SeekPosition();
        position.setNewest(new orderer.SeekNewest());
        return position;
    };

    /** What the peer answers one request with: the blocks' numbers (or data counts) and the final status. */
    function answer(
        envelope: common.Envelope,
        method: 'deliver' | 'deliverFiltered' = 'deliver',
    ): Promise<{ blocks: number[]; dataCounts: number[]; status: number }> {
        return new Promise((resolve, reject) => {
            const call = deliver[method]();
            const blocks: number[] = [];
            const dataCounts: number[] = [];
            call.on('data', (response: peer.DeliverResponse) => {
                if (response.hasStatus()) {
                    resolve({ blocks, dataCounts, status: response.getStatus() });
                    call.cancel();
                } else if (response.hasBlock()) {
                    blocks.push(response.getBlock()!.getHeader()!.getNumber());
                    dataCounts.push(response.getBlock()!.getData()?.getDataList().length ?? 0);
                } else if (response.hasFilteredBlock()) {
                    blocks.push(response.getFilteredBlock()!.getNumber());
                }
            });
            call.on('error', (err: grpc.ServiceError) => err.code !== grpc.status.CANCELLED && reject(err));
            call.write(envelope);
        });
    }

    it('delivers the blocks from the start to the stop position, then SUCCESS', async () => {
        expect(await answer(await seek(at(0), at(1)))).toMatchObject({ blocks: [0, 1], status: common.Status.SUCCESS });
        const height = await ledger.explorer.getHeight();
        expect(await answer(await seek(at(1), newest()), 'deliverFiltered')).toMatchObject({
            blocks: [...Array(height).keys()].slice(1),
            status: common.Status.SUCCESS,
        });
    });

    it('sends headers without transactions for HEADER_WITH_SIG', async () => {
        const envelope = await seek(at(0), at(0), {
            configure: (info) => info.setContentType(orderer.SeekInfo.SeekContentType.HEADER_WITH_SIG),
        });
        expect(await answer(envelope)).toMatchObject({ blocks: [0], dataCounts: [0], status: common.Status.SUCCESS });
    });

    it('answers NOT_FOUND for a block not yet committed when asked not to wait, and for another channel', async () => {
        const notReady = await seek(at(99), at(99), {
            configure: (info) => info.setBehavior(orderer.SeekInfo.SeekBehavior.FAIL_IF_NOT_READY),
        });
        expect((await answer(notReady)).status).toBe(common.Status.NOT_FOUND);
        expect((await answer(await seek(at(0), at(0), { channel: 'other' }))).status).toBe(common.Status.NOT_FOUND);
    });

    it('refuses a request signed by a key that is not the creator’s (FORBIDDEN) and one outside the time window (BAD_REQUEST)', async () => {
        const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
        expect((await answer(await seek(at(0), at(0), { signer: stranger }))).status).toBe(common.Status.FORBIDDEN);
        expect((await answer(await seek(at(0), at(0), { skewSeconds: -20 * 60 }))).status).toBe(
            common.Status.BAD_REQUEST,
        );
        expect((await answer(await seek(at(2), at(1)))).status).toBe(common.Status.BAD_REQUEST);
    });

    it("refuses a commit status request its identity did not sign, and a prepared transaction that is not signed, with Fabric's codes", async () => {
        const request = new gateway.CommitStatusRequest();
        request.setChannelId('mychannel');
        request.setTransactionId('tx');
        request.setIdentity(creator);
        const signed = new gateway.SignedCommitStatusRequest();
        signed.setRequest(request.serializeBinary());
        const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
        signed.setSignature(await signers.newPrivateKeySigner(stranger)(hash.sha256(request.serializeBinary())));
        const denied = await new Promise<grpc.ServiceError>((resolve) =>
            gatewayClient.commitStatus(signed, (err) => resolve(err!)),
        );
        expect(denied.code).toBe(grpc.status.PERMISSION_DENIED);
        expect(denied.details).toMatch(/Readers/);

        const submit = new gateway.SubmitRequest();
        submit.setTransactionId('tx');
        submit.setChannelId('mychannel');
        submit.setPreparedTransaction(new common.Envelope());
        const unsigned = await new Promise<grpc.ServiceError>((resolve) =>
            gatewayClient.submit(submit, (err) => resolve(err!)),
        );
        expect([unsigned.code, unsigned.details]).toEqual([
            grpc.status.INVALID_ARGUMENT,
            'prepared transaction must be signed',
        ]);
    });
});
