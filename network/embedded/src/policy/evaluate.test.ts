import { KeyEndorsementPolicy } from 'fabric-shim';
import { describe, expect, it } from 'vitest';
import { evaluateSignaturePolicy, type PolicySigner } from './evaluate';
import { decodeSignaturePolicy, formatSignaturePolicy, parseSignaturePolicy } from './signature-policy';

const signer = (mspId: string, nodeOU: string, certificate?: string): PolicySigner => ({
    mspId,
    nodeOU,
    ...(certificate ? { certificate } : {}),
});
const peer = (mspId: string) => signer(mspId, 'peer');

function satisfied(expression: string, signers: PolicySigner[]): boolean {
    return evaluateSignaturePolicy(parseSignaturePolicy(expression), signers);
}

describe('evaluateSignaturePolicy', () => {
    it('AND needs every principal, OR any one', () => {
        const and = "AND('Org1MSP.peer', 'Org2MSP.peer')";
        expect(satisfied(and, [peer('Org1MSP'), peer('Org2MSP')])).toBe(true);
        expect(satisfied(and, [peer('Org2MSP'), peer('Org1MSP')])).toBe(true);
        expect(satisfied(and, [peer('Org1MSP')])).toBe(false);
        expect(satisfied(and, [])).toBe(false);

        const or = "OR('Org1MSP.peer', 'Org2MSP.peer')";
        expect(satisfied(or, [peer('Org2MSP')])).toBe(true);
        expect(satisfied(or, [peer('Org3MSP')])).toBe(false);
    });

    it('OutOf counts satisfied principals', () => {
        const twoOfThree = "OutOf(2, 'A.member', 'B.member', 'C.member')";
        expect(satisfied(twoOfThree, [peer('A')])).toBe(false);
        expect(satisfied(twoOfThree, [peer('A'), peer('C')])).toBe(true);
        expect(satisfied(twoOfThree, [peer('C'), signer('B', 'client')])).toBe(true);
        expect(satisfied("OutOf(0, 'A.member')", [])).toBe(true);
        expect(satisfied("OutOf(2, 'A.member')", [peer('A')])).toBe(false);
    });

    it('evaluates nested gates', () => {
        const nested =
            "AND('RegulatorMSP.peer', OR('CourtMSP.peer', OutOf(2, 'PlatformMSP.peer', 'MemberMSP.peer', 'Org9MSP.peer')))";
        expect(satisfied(nested, [peer('RegulatorMSP'), peer('CourtMSP')])).toBe(true);
        expect(satisfied(nested, [peer('RegulatorMSP'), peer('PlatformMSP'), peer('MemberMSP')])).toBe(true);
        expect(satisfied(nested, [peer('RegulatorMSP'), peer('PlatformMSP')])).toBe(false);
        expect(satisfied(nested, [peer('CourtMSP'), peer('PlatformMSP'), peer('MemberMSP')])).toBe(false);
    });

    it('matches roles by NodeOU; member matches any identity of the MSP', () => {
        for (const nodeOU of ['client', 'admin', 'peer', 'orderer']) {
            expect(satisfied("OR('A.member')", [signer('A', nodeOU)])).toBe(true);
            expect(satisfied(`OR('A.${nodeOU}')`, [signer('A', nodeOU)])).toBe(true);
            expect(satisfied(`OR('B.${nodeOU}')`, [signer('A', nodeOU)])).toBe(false);
        }
        expect(satisfied("OR('A.peer')", [signer('A', 'client')])).toBe(false);
        expect(satisfied("OR('A.admin')", [signer('A', 'client')])).toBe(false);
        expect(satisfied("OR('A.client')", [signer('A', 'admin')])).toBe(false);
    });

    it('never counts one signature for two principals, nor a repeated signer twice', () => {
        expect(satisfied("AND('A.member', 'A.peer')", [peer('A')])).toBe(false);
        expect(satisfied("AND('A.peer', 'A.peer')", [peer('A'), peer('A')])).toBe(false);
        expect(satisfied("OutOf(2, 'A.member', 'B.member')", [peer('A'), peer('A'), peer('A')])).toBe(false);
        const same = signer('A', 'client', 'PEM of alice');
        expect(satisfied("OutOf(2, 'A.member', 'A.member')", [same, same])).toBe(false);
        // Two distinct identities of one org and role are two signatures.
        expect(satisfied("OutOf(2, 'A.member', 'A.member')", [same, signer('A', 'client', 'PEM of bob')])).toBe(true);
    });

    it('consumes signatures greedily in order, reproducing the pitfall Fabric documents', () => {
        const policy = "AND('A.member', 'A.admin')";
        // 'member' takes the first matching signature: the admin's, leaving only a client for 'admin'.
        expect(satisfied(policy, [signer('A', 'admin'), signer('A', 'client')])).toBe(false);
        expect(satisfied(policy, [signer('A', 'client'), signer('A', 'admin')])).toBe(true);
    });
});

describe('interoperability with fabric-shim KeyEndorsementPolicy', () => {
    it('decodes and evaluates the validation parameter chaincode sets for a key', () => {
        const keyPolicy = new KeyEndorsementPolicy();
        keyPolicy.addOrgs('MEMBER', 'RegulatorMSP');
        const envelope = decodeSignaturePolicy(keyPolicy.getPolicy());

        expect(formatSignaturePolicy(envelope)).toBe("OR('RegulatorMSP.member')");
        expect(evaluateSignaturePolicy(envelope, [peer('RegulatorMSP')])).toBe(true);
        expect(evaluateSignaturePolicy(envelope, [signer('RegulatorMSP', 'client')])).toBe(true);
        expect(evaluateSignaturePolicy(envelope, [peer('CourtMSP'), peer('MemberMSP')])).toBe(false);
    });

    it('requires every org KeyEndorsementPolicy lists, in the role it gives', () => {
        const keyPolicy = new KeyEndorsementPolicy();
        keyPolicy.addOrgs('PEER', 'CourtMSP', 'RegulatorMSP');
        const envelope = decodeSignaturePolicy(keyPolicy.getPolicy());

        expect(formatSignaturePolicy(envelope)).toBe("AND('CourtMSP.peer', 'RegulatorMSP.peer')");
        expect(evaluateSignaturePolicy(envelope, [peer('RegulatorMSP'), peer('CourtMSP')])).toBe(true);
        expect(evaluateSignaturePolicy(envelope, [peer('RegulatorMSP'), signer('CourtMSP', 'client')])).toBe(false);
    });

    it('produces envelopes KeyEndorsementPolicy reads back', () => {
        const envelope = parseSignaturePolicy("AND('RegulatorMSP.member', 'CourtMSP.peer')");
        const keyPolicy = new KeyEndorsementPolicy(Buffer.from(envelope.serializeBinary()));
        expect(keyPolicy.listOrgs().sort()).toEqual(['CourtMSP', 'RegulatorMSP']);
        expect(
            evaluateSignaturePolicy(decodeSignaturePolicy(keyPolicy.getPolicy()), [
                peer('RegulatorMSP'),
                peer('CourtMSP'),
            ]),
        ).toBe(true);
    });
});
