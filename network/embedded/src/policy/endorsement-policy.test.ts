import { KeyEndorsementPolicy } from 'fabric-shim';
import { describe, expect, it } from 'vitest';
import { allOf, parseEndorsementPolicy, toChannelPolicy } from './endorsement-policy';
import { PolicySyntaxError, UnsatisfiablePolicyError } from './errors';
import { decodeSignaturePolicy } from './signature-policy';

const ZHELIAN = ['RegulatorMSP', 'CourtMSP', 'PlatformMSP', 'MemberMSP'];
const TEST_NETWORK = ['Org1MSP', 'Org2MSP'];
const peers = (...mspIds: string[]) => mspIds.map((mspId) => ({ mspId, nodeOU: 'peer' }));

describe('implicit meta endorsement policies', () => {
    it('MAJORITY of four organizations needs three peers', () => {
        const policy = parseEndorsementPolicy('MAJORITY Endorsement', ZHELIAN);
        expect(policy.evaluate(peers('RegulatorMSP', 'MemberMSP'))).toBe(false);
        expect(policy.evaluate(peers('RegulatorMSP', 'MemberMSP', 'CourtMSP'))).toBe(true);
        expect(policy.evaluate(peers('RegulatorMSP', 'MemberMSP', 'MemberMSP'))).toBe(false);
        expect(policy.requiredOrgs()).toEqual([
            ['RegulatorMSP', 'CourtMSP', 'PlatformMSP'],
            ['RegulatorMSP', 'CourtMSP', 'MemberMSP'],
            ['RegulatorMSP', 'PlatformMSP', 'MemberMSP'],
            ['CourtMSP', 'PlatformMSP', 'MemberMSP'],
        ]);
        expect(policy.chooseOrgs('MemberMSP')).toEqual(['MemberMSP', 'RegulatorMSP', 'CourtMSP']);
        expect(policy.chooseOrgs()).toEqual(['RegulatorMSP', 'CourtMSP', 'PlatformMSP']);
        expect(policy.describe()).toBe(
            "MAJORITY Endorsement (3 of 4 organizations' peers: RegulatorMSP, CourtMSP, PlatformMSP, MemberMSP)",
        );
    });

    it('MAJORITY of the two test-network organizations needs both', () => {
        const policy = parseEndorsementPolicy('MAJORITY Endorsement', TEST_NETWORK);
        expect(policy.evaluate(peers('Org1MSP'))).toBe(false);
        expect(policy.evaluate(peers('Org1MSP', 'Org2MSP'))).toBe(true);
        expect(policy.requiredOrgs()).toEqual([['Org1MSP', 'Org2MSP']]);
        expect(policy.chooseOrgs('Org2MSP')).toEqual(['Org2MSP', 'Org1MSP']);
    });

    it('ANY needs one organization, preferably the client’s; ALL needs every one', () => {
        const any = parseEndorsementPolicy('ANY Endorsement', ZHELIAN);
        expect(any.evaluate(peers('PlatformMSP'))).toBe(true);
        expect(any.chooseOrgs('CourtMSP')).toEqual(['CourtMSP']);
        expect(any.requiredOrgs()).toHaveLength(4);

        const all = parseEndorsementPolicy('ALL Endorsement', ZHELIAN);
        expect(all.evaluate(peers('RegulatorMSP', 'CourtMSP', 'PlatformMSP'))).toBe(false);
        expect(all.evaluate(peers(...ZHELIAN))).toBe(true);
        expect(all.chooseOrgs('MemberMSP')).toEqual(['MemberMSP', 'RegulatorMSP', 'CourtMSP', 'PlatformMSP']);
    });

    it('counts only peers: an org Endorsement policy is OR(<org>.peer)', () => {
        const policy = parseEndorsementPolicy('ANY Endorsement', TEST_NETWORK);
        expect(
            policy.evaluate([
                { mspId: 'Org1MSP', nodeOU: 'client' },
                { mspId: 'Org2MSP', nodeOU: 'admin' },
            ]),
        ).toBe(false);
    });

    it('names the position of a sub-policy the channel does not define', () => {
        expect(() => parseEndorsementPolicy('MAJORITY Writers', ZHELIAN)).toThrow(PolicySyntaxError);
        expect(() => parseEndorsementPolicy('MAJORITY Writers', ZHELIAN)).toThrow(/at position 9/);
        expect(() => parseEndorsementPolicy('MOST Endorsement', ZHELIAN)).toThrow(PolicySyntaxError);
    });
});

describe('signature endorsement policies over a channel', () => {
    it('lists every minimal set of orgs and picks one with the client’s org', () => {
        const policy = parseEndorsementPolicy(
            "AND('RegulatorMSP.peer', OR('CourtMSP.peer', 'MemberMSP.peer'))",
            ZHELIAN,
        );
        expect(policy.requiredOrgs()).toEqual([
            ['RegulatorMSP', 'CourtMSP'],
            ['RegulatorMSP', 'MemberMSP'],
        ]);
        expect(policy.chooseOrgs('MemberMSP')).toEqual(['MemberMSP', 'RegulatorMSP']);
        expect(policy.chooseOrgs('PlatformMSP')).toEqual(['RegulatorMSP', 'CourtMSP']);
        expect(policy.describe()).toBe("AND('RegulatorMSP.peer', OR('CourtMSP.peer', 'MemberMSP.peer'))");
    });

    it('prefers fewer organizations over including the client’s own', () => {
        const policy = parseEndorsementPolicy(
            "OR('RegulatorMSP.member', AND('CourtMSP.peer', 'MemberMSP.peer'))",
            ZHELIAN,
        );
        expect(policy.requiredOrgs()).toEqual([['RegulatorMSP'], ['CourtMSP', 'MemberMSP']]);
        expect(policy.chooseOrgs('MemberMSP')).toEqual(['RegulatorMSP']);
    });

    it('reports policies no peer can satisfy', () => {
        for (const expression of ["OR('RegulatorMSP.admin')", "OR('Org9MSP.peer')", "OutOf(2, 'CourtMSP.member')"]) {
            const policy = parseEndorsementPolicy(expression, ZHELIAN);
            expect(policy.requiredOrgs(), expression).toEqual([]);
            expect(() => policy.chooseOrgs('CourtMSP'), expression).toThrow(UnsatisfiablePolicyError);
        }
    });

    it('still asks one organization when the policy needs no signature', () => {
        const policy = parseEndorsementPolicy("OutOf(0, 'CourtMSP.peer')", ZHELIAN);
        expect(policy.requiredOrgs()).toEqual([[]]);
        expect(policy.chooseOrgs('MemberMSP')).toEqual(['MemberMSP']);
        expect(policy.chooseOrgs()).toEqual(['RegulatorMSP']);
    });
});

describe('allOf', () => {
    it('chooses endorsers that satisfy the chaincode policy and a key-level policy together', () => {
        const chaincode = parseEndorsementPolicy('MAJORITY Endorsement', ZHELIAN);
        const inspection = new KeyEndorsementPolicy();
        inspection.addOrgs('MEMBER', 'CourtMSP', 'PlatformMSP');
        const keyLevel = toChannelPolicy(decodeSignaturePolicy(inspection.getPolicy()), ZHELIAN);
        const both = allOf([chaincode, keyLevel]);

        expect(both.chooseOrgs('MemberMSP')).toEqual(['MemberMSP', 'CourtMSP', 'PlatformMSP']);
        expect(both.chooseOrgs('RegulatorMSP')).toEqual(['RegulatorMSP', 'CourtMSP', 'PlatformMSP']);
        expect(both.evaluate(peers('RegulatorMSP', 'CourtMSP', 'MemberMSP'))).toBe(false);
        expect(both.evaluate(peers('RegulatorMSP', 'CourtMSP', 'PlatformMSP'))).toBe(true);
        expect(both.describe()).toContain("AND('CourtMSP.member', 'PlatformMSP.member')");
        expect(both.channelOrgs).toEqual(ZHELIAN);
    });
});
