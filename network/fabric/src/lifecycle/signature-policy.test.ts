import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@zhelian/api';
import { describeApplicationPolicy, applicationPolicy } from './collections';
import { signaturePolicy } from './signature-policy';

describe("Fabric's signature policy language", () => {
    it('gives each principal occurrence an identity and nests n-out-of rules', () => {
        const envelope = signaturePolicy("AND('RegulatorMSP.member', OR('CourtMSP.peer', 'MemberMSP.admin'))");
        expect(envelope.getIdentitiesList()).toHaveLength(3);
        const rule = envelope.getRule()!.getNOutOf()!;
        expect(rule.getN()).toBe(2);
        expect(rule.getRulesList()[0].getSignedBy()).toBe(0);
        expect(rule.getRulesList()[1].getNOutOf()!.getN()).toBe(1);
    });

    it('reads OutOf with its count, and describes a policy back in the language', () => {
        const text = "OutOf(2, 'RegulatorMSP.member', 'CourtMSP.member', 'PlatformMSP.member')";
        const policy = applicationPolicy(text).serializeBinary();
        expect(describeApplicationPolicy(policy)).toBe(text);
        expect(describeApplicationPolicy(applicationPolicy("AND('A.peer', 'B.client')").serializeBinary())).toBe(
            "AND('A.peer', 'B.client')",
        );
    });

    it('names the channel policy MAJORITY Endorsement refers to', () => {
        const policy = applicationPolicy('MAJORITY Endorsement');
        expect(policy.getChannelConfigPolicyReference()).toBe('/Channel/Application/Endorsement');
        expect(describeApplicationPolicy(policy.serializeBinary())).toBe('MAJORITY Endorsement');
    });

    it('refuses what is not a policy, saying where', () => {
        expect(() => signaturePolicy("OR('RegulatorMSP.member'")).toThrow(
            expect.objectContaining({
                code: ErrorCode.POLICY_SYNTAX,
                message: expect.stringContaining('expected ")"'),
            }),
        );
        expect(() => signaturePolicy("OR('RegulatorMSP.owner')")).toThrow(
            /role member, admin, client, peer or orderer/,
        );
        expect(() => applicationPolicy('ANY Endorsement')).toThrow(
            expect.objectContaining({ code: ErrorCode.INVALID_POLICY }),
        );
    });
});
