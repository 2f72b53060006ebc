/**
 * Test helpers: a throwaway client identity and real `SignedProposal`s, built the way a Fabric
 * client builds them, for exercising chaincode hosts without the full MSP and gateway.
 */
// @peculiar/x509 needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import { createHash, KeyObject, randomBytes, sign, webcrypto } from 'node:crypto';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import * as x509 from '@peculiar/x509';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import type { ChaincodeInvocation } from './handler';

/** An MSP member for tests: a self-signed ECDSA P-256 certificate and its key. */
export interface TestIdentity {
    mspId: string;
    certificatePem: string;
    privateKey: KeyObject;
}

/** What to propose: who, where, which chaincode function with which arguments and transient data. */
export interface TestProposalRequest {
    identity: TestIdentity;
    channelId: string;
    chaincodeName: string;
    /** The transaction name first (`contract:function` or `function`), then its arguments. */
    args: (string | Uint8Array)[];
    transient?: Record<string, Uint8Array>;
    /** Proposal time; default now. */
    timestamp?: Date;
}

export async function createTestIdentity(mspId: string, commonName: string): Promise<TestIdentity> {
    const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
    const notBefore = new Date();
    const certificate = await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: randomBytes(8).toString('hex'),
        name: `CN=${commonName}, O=${mspId}`,
        notBefore,
        notAfter: new Date(notBefore.getTime() + 24 * 3600 * 1000),
        signingAlgorithm: algorithm,
        keys,
    });
    return { mspId, certificatePem: certificate.toString('pem'), privateKey: KeyObject.from(keys.privateKey) };
}

/** Builds and signs a proposal; returns the invocation a peer would hand to the chaincode. */
export function buildTestInvocation(request: TestProposalRequest): ChaincodeInvocation {
    const { identity, channelId, chaincodeName } = request;
    const args = request.args.map((arg) => (typeof arg === 'string' ? Buffer.from(arg) : arg));

    const creator = new msp.SerializedIdentity();
    creator.setMspid(identity.mspId);
    creator.setIdBytes(Buffer.from(identity.certificatePem));
    const creatorBytes = creator.serializeBinary();
    const nonce = randomBytes(24);
    // Fabric's transaction id: hex(sha256(nonce ‖ creator)).
    const txId = createHash('sha256').update(nonce).update(creatorBytes).digest('hex');

    const time = request.timestamp ?? new Date();
    const timestamp = new Timestamp();
    timestamp.setSeconds(Math.floor(time.getTime() / 1000));
    timestamp.setNanos((time.getTime() % 1000) * 1_000_000);

    const chaincodeId = new peer.ChaincodeID();
    chaincodeId.setName(chaincodeName);
    const extension = new peer.ChaincodeHeaderExtension();
    extension.setChaincodeId(chaincodeId);

    const channelHeader = new common.ChannelHeader();
    channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
    channelHeader.setChannelId(channelId);
    channelHeader.setTxId(txId);
    channelHeader.setTimestamp(timestamp);
    channelHeader.setExtension$(extension.serializeBinary());

    const signatureHeader = new common.SignatureHeader();
    signatureHeader.setCreator(creatorBytes);
    signatureHeader.setNonce(nonce);

    const header = new common.Header();
    header.setChannelHeader(channelHeader.serializeBinary());
    header.setSignatureHeader(signatureHeader.serializeBinary());

    const input = new peer.ChaincodeInput();
    input.setArgsList(args);
    const spec = new peer.ChaincodeSpec();
    spec.setType(peer.ChaincodeSpec.Type.NODE);
    spec.setChaincodeId(chaincodeId);
    spec.setInput(input);
    const invocationSpec = new peer.ChaincodeInvocationSpec();
    invocationSpec.setChaincodeSpec(spec);

    const payload = new peer.ChaincodeProposalPayload();
    payload.setInput(invocationSpec.serializeBinary());
    for (const [key, value] of Object.entries(request.transient ?? {})) {
        payload.getTransientmapMap().set(key, value);
    }

    const proposal = new peer.Proposal();
    proposal.setHeader(header.serializeBinary());
    proposal.setPayload(payload.serializeBinary());
    const proposalBytes = proposal.serializeBinary();

    const signedProposal = new peer.SignedProposal();
    signedProposal.setProposalBytes(proposalBytes);
    signedProposal.setSignature(sign('sha256', proposalBytes, identity.privateKey));

    return { channelId, txId, signedProposal: signedProposal.serializeBinary(), args };
}
