/**
 * Test helpers: a throwaway client identity and real `SignedProposal`s, built the way a Fabric
 * client builds them, for exercising chaincode hosts without the full MSP and gateway.
 */
// @peculiar/x509 needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import { KeyObject, randomBytes, sign, webcrypto } from 'node:crypto';
import { msp } from '@hyperledger/fabric-protos';
import * as x509 from '@peculiar/x509';
import { buildProposal, signProposal } from '../../src/peer/proposal';
import type { ChaincodeInvocation } from '../../src/chaincode/handler';

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
    const args = request.args.map((arg) => (typeof arg === 'string' ? new Uint8Array(Buffer.from(arg)) : arg));
    const creator = new msp.SerializedIdentity();
    creator.setMspid(identity.mspId);
    creator.setIdBytes(Buffer.from(identity.certificatePem));
    const unsigned = buildProposal({
        channelId,
        chaincodeName,
        args,
        transient: new Map(Object.entries(request.transient ?? {})),
        creator: creator.serializeBinary(),
        timestamp: request.timestamp ?? new Date(),
    });
    const proposal = signProposal(unsigned, sign('sha256', unsigned.proposalBytes, identity.privateKey));
    return { channelId, txId: proposal.txId, signedProposal: proposal.signedProposal, args };
}
