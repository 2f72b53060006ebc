import { createPrivateKey } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers } from '@hyperledger/fabric-gateway';
import { gateway as gatewayProtos, peer } from '@hyperledger/fabric-protos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Contract, EndorseError, GatewayError, GrpcStatus, TxValidationCode } from '@zhelian/api';
import { SEMANTICS_PACKAGE } from '../test/support/semantics';
import { EmbeddedLedger } from './embedded-ledger';

// The four-organization zhelian topology (chaincode policy: MAJORITY, three of four), with the
// chaincode installed on some organizations' peers only, as after a partial lifecycle on Fabric.
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

describe('endorsement planned on the peers that can run the chaincode, as Fabric discovery lists them', () => {
    let work: string;
    let ledger: EmbeddedLedger;
    let contract: (who: string, name?: string) => Promise<Contract>;

    beforeAll(async () => {
        work = await mkdtemp(path.join(tmpdir(), 'zhelian-availability-'));
        ledger = await EmbeddedLedger.open({
            dataDir: path.join(work, 'data'),
            topology: 'zhelian',
            syncCommits: false,
            serve: { ports: { RegulatorMSP: 0, CourtMSP: 0, PlatformMSP: 0, MemberMSP: 0 } },
        });
        const packageFile = path.join(work, 'semantics.tar.gz');
        const { packageId } = await ledger.lifecycle.package({
            packageDir: SEMANTICS_PACKAGE,
            label: 'semantics_1',
            file: packageFile,
        });
        for (const org of ['RegulatorMSP', 'PlatformMSP', 'MemberMSP']) {
            await ledger.lifecycle.install(org, packageFile);
        }
        // `semantics`: CourtMSP approves without installing, so its peer cannot run it; three can.
        // `partial`: the same package, run by RegulatorMSP's and MemberMSP's peers only: two of four.
        for (const org of ['RegulatorMSP', 'CourtMSP', 'PlatformMSP', 'MemberMSP']) {
            await ledger.lifecycle.approve(org, {
                name: 'semantics',
                sequence: 1,
                ...(org === 'CourtMSP' ? {} : { packageId }),
            });
            await ledger.lifecycle.approve(org, {
                name: 'partial',
                sequence: 1,
                ...(org === 'RegulatorMSP' || org === 'MemberMSP' ? { packageId } : {}),
            });
        }
        await ledger.lifecycle.commit({ name: 'semantics', sequence: 1 });
        await ledger.lifecycle.commit({ name: 'partial', sequence: 1 });
        contract = async (who, name = 'semantics') => {
            const [mspId, user] = who.split(':');
            return (await ledger.connect({ mspId, name: user })).getNetwork('zhelian').getContract(name);
        };
    });

    afterAll(async () => {
        await ledger?.close();
        await rm(work, { recursive: true, force: true });
    });

    it('commits VALID for a client whose own peer lacks the chaincode, endorsed by three peers that have it', async () => {
        const submitted = await (
            await contract('CourtMSP:hangzhou')
        ).submitAsync('semantics:put', {
            arguments: ['court', 'v'],
        });
        expect((await submitted.getStatus()).code).toBe(TxValidationCode.VALID);
        const tx = await ledger.explorer.getTransaction(submitted.getTransactionId());
        expect(tx?.endorsers.map((e) => e.mspId).sort()).toEqual(['MemberMSP', 'PlatformMSP', 'RegulatorMSP']);
    });

    it('leaves the peer without the chaincode out of the layout it plans for a client whose peer has it', async () => {
        const submitted = await (
            await contract('MemberMSP:zheyi')
        ).submitAsync('semantics:put', {
            arguments: ['member', 'v'],
        });
        expect((await submitted.getStatus()).code).toBe(TxValidationCode.VALID);
        const tx = await ledger.explorer.getTransaction(submitted.getTransactionId());
        expect(tx?.endorsers.map((e) => e.mspId).sort()).toEqual(['MemberMSP', 'PlatformMSP', 'RegulatorMSP']);
        expect(text(await (await contract('CourtMSP:hangzhou')).evaluateTransaction('semantics:get', 'member'))).toBe(
            'v',
        );
    });

    it("refuses as Fabric's gateway does when too few peers have the chaincode to satisfy its policy", async () => {
        const refused = await (
            await contract('MemberMSP:zheyi', 'partial')
        )
            .submitTransaction('semantics:put', 'k', 'v')
            .catch((err: unknown) => err);
        expect(refused).toBeInstanceOf(EndorseError);
        expect(refused).toMatchObject({
            grpcStatus: GrpcStatus.FAILED_PRECONDITION,
            message:
                'no combination of peers can be derived which satisfy the endorsement policy: required chaincodes are not installed on sufficient peers',
        });
        // An evaluation needs one peer that has it.
        expect(
            text(await (await contract('CourtMSP:hangzhou', 'partial')).evaluateTransaction('semantics:get', 'k')),
        ).toBe('');
    });

    it('refuses named organizations whose peers lack the chaincode before sending them anything', async () => {
        const member = await contract('MemberMSP:zheyi');
        await expect(
            member.submit('semantics:put', {
                arguments: ['named', 'v'],
                endorsingOrganizations: ['RegulatorMSP', 'CourtMSP', 'MemberMSP'],
            }),
        ).rejects.toMatchObject({
            grpcStatus: GrpcStatus.UNAVAILABLE,
            message: 'failed to find any endorsing peers for org(s): CourtMSP',
        });
        const evaluated = await member
            .evaluate('semantics:get', { arguments: ['named'], endorsingOrganizations: ['CourtMSP'] })
            .catch((err: unknown) => err);
        expect(evaluated).toBeInstanceOf(GatewayError);
        expect(evaluated).toMatchObject({
            grpcStatus: GrpcStatus.FAILED_PRECONDITION,
            message: 'no peers available to evaluate chaincode semantics in channel zhelian',
        });
    });

    it("keeps transient data from other organizations' peers when the client's own cannot run the chaincode", async () => {
        const court = await contract('CourtMSP:hangzhou');
        await expect(
            court.submit('semantics:put', { arguments: ['secret', 'v'], transientData: { note: 'for my peer only' } }),
        ).rejects.toThrow(
            "no endorsers found in the gateway's organization; retry specifying endorsing organization(s) to protect transient data",
        );
        await expect(
            court.evaluate('semantics:get', { arguments: ['secret'], transientData: { note: 'for my peer only' } }),
        ).rejects.toThrow(
            "no endorsers found in the gateway's organization; retry specifying target organization(s) to protect transient data: no peers available to evaluate chaincode semantics in channel zhelian",
        );
    });

    it('still has the peer refuse a proposal sent to it directly, in Fabric’s words (Endorser service)', async () => {
        const { organizations } = await ledger.fabricProtocols.exportOrganizations(path.join(work, 'organizations'));
        const court = organizations.find((org) => org.mspId === 'CourtMSP')!;
        const endpoint = ledger.fabricProtocols.endpoints().find((e) => e.mspId === 'CourtMSP')!;
        const userDir = court.users.hangzhou;
        const certDir = path.join(userDir, 'msp', 'signcerts');
        const credentials = grpc.credentials.createSsl(Buffer.from(endpoint.tlsCACertificate));
        const options = { 'grpc.ssl_target_name_override': endpoint.hostAlias };
        const client = new grpc.Client(endpoint.endpoint, credentials, options);
        const endorser = new peer.EndorserClient(endpoint.endpoint, credentials, options);
        const signer = signers.newPrivateKeySigner(
            createPrivateKey(await readFile(path.join(userDir, 'msp', 'keystore', 'priv_sk'))),
        );
        const gateway = connect({
            client,
            identity: {
                mspId: 'CourtMSP',
                credentials: await readFile(path.join(certDir, (await readdir(certDir))[0])),
            },
            signer,
            hash: hash.sha256,
        });
        try {
            const proposal = gateway
                .getNetwork('zhelian')
                .getContract('semantics')
                .newProposal('semantics:get', { arguments: ['court'] });
            // A proposal as the peer CLI sends it: signed, straight to one peer's Endorser service.
            const signed = gatewayProtos.ProposedTransaction.deserializeBinary(proposal.getBytes()).getProposal()!;
            signed.setSignature(await signer(proposal.getDigest()));
            const answer = await new Promise<peer.ProposalResponse | Error>((resolve) =>
                endorser.processProposal(signed, (err, response) => resolve(err ?? response!)),
            );
            expect(answer).toBeInstanceOf(peer.ProposalResponse);
            expect((answer as peer.ProposalResponse).getResponse()?.getStatus()).toBe(500);
            expect((answer as peer.ProposalResponse).getResponse()?.getMessage()).toMatch(
                "chaincode definition for 'semantics' exists, but chaincode is not installed",
            );
        } finally {
            gateway.close();
            endorser.close();
            client.close();
        }
    });
});
