import { common, msp } from '@hyperledger/fabric-protos';
import { describe, expect, it } from 'vitest';
import { InvalidPolicyError, PolicySyntaxError } from './errors';
import { decodeSignaturePolicy, formatSignaturePolicy, parseSignaturePolicy, rolePrincipals } from './signature-policy';

/* Expected envelopes are written out with the protobuf classes, independently of the parser. */

function principal(mspId: string, role: number): msp.MSPPrincipal {
    const mspRole = new msp.MSPRole();
    mspRole.setMspIdentifier(mspId);
    mspRole.setRole(role as msp.MSPRole.MSPRoleTypeMap[keyof msp.MSPRole.MSPRoleTypeMap]);
    const encoded = new msp.MSPPrincipal();
    encoded.setPrincipalClassification(msp.MSPPrincipal.Classification.ROLE);
    encoded.setPrincipal(mspRole.serializeBinary());
    return encoded;
}

function signedBy(index: number): common.SignaturePolicy {
    const rule = new common.SignaturePolicy();
    rule.setSignedBy(index);
    return rule;
}

function outOf(n: number, ...rules: common.SignaturePolicy[]): common.SignaturePolicy {
    const nOutOf = new common.SignaturePolicy.NOutOf();
    nOutOf.setN(n);
    nOutOf.setRulesList(rules);
    const rule = new common.SignaturePolicy();
    rule.setNOutOf(nOutOf);
    return rule;
}

function envelopeBytes(rule: common.SignaturePolicy, identities: msp.MSPPrincipal[]): Uint8Array {
    const envelope = new common.SignaturePolicyEnvelope();
    envelope.setVersion(0);
    envelope.setRule(rule);
    envelope.setIdentitiesList(identities);
    return envelope.serializeBinary();
}

const { MEMBER, ADMIN, CLIENT, PEER, ORDERER } = msp.MSPRole.MSPRoleType;

describe('parseSignaturePolicy', () => {
    it('builds AND, OR and OutOf as Fabric NOutOf rules over ROLE principals', () => {
        expect(parseSignaturePolicy("AND('Org1MSP.member', 'Org2MSP.peer')").serializeBinary()).toEqual(
            envelopeBytes(outOf(2, signedBy(0), signedBy(1)), [
                principal('Org1MSP', MEMBER),
                principal('Org2MSP', PEER),
            ]),
        );
        expect(parseSignaturePolicy("OR('A.admin', 'B.client', 'C.orderer')").serializeBinary()).toEqual(
            envelopeBytes(outOf(1, signedBy(0), signedBy(1), signedBy(2)), [
                principal('A', ADMIN),
                principal('B', CLIENT),
                principal('C', ORDERER),
            ]),
        );
        expect(parseSignaturePolicy("OutOf(2, 'A.member', 'B.member', 'C.member')").serializeBinary()).toEqual(
            envelopeBytes(outOf(2, signedBy(0), signedBy(1), signedBy(2)), [
                principal('A', MEMBER),
                principal('B', MEMBER),
                principal('C', MEMBER),
            ]),
        );
    });

    it("numbers identities as Fabric's policydsl does: nested gates first, no de-duplication", () => {
        expect(parseSignaturePolicy("OR('A.member', AND('B.member', 'C.member'))").serializeBinary()).toEqual(
            envelopeBytes(outOf(1, signedBy(2), outOf(2, signedBy(0), signedBy(1))), [
                principal('B', MEMBER),
                principal('C', MEMBER),
                principal('A', MEMBER),
            ]),
        );
        expect(
            parseSignaturePolicy("OR(AND('A.member', 'B.member'), OR('C.admin', 'D.member'))").serializeBinary(),
        ).toEqual(
            envelopeBytes(outOf(1, outOf(2, signedBy(0), signedBy(1)), outOf(1, signedBy(2), signedBy(3))), [
                principal('A', MEMBER),
                principal('B', MEMBER),
                principal('C', ADMIN),
                principal('D', MEMBER),
            ]),
        );
        expect(parseSignaturePolicy("AND('A.peer', 'A.peer')").getIdentitiesList()).toHaveLength(2);
    });

    it('accepts double quotes, free spacing, every Fabric spelling of the gates and dotted MSP IDs', () => {
        const canonical = parseSignaturePolicy(
            "OutOf(1, 'MSP.WITH.DOTS.member', 'MSP-WITH-DASHES.peer')",
        ).serializeBinary();
        for (const variant of [
            'OutOf(1, "MSP.WITH.DOTS.member", "MSP-WITH-DASHES.peer")',
            "  outof ( '1' ,'MSP.WITH.DOTS.member',\n\t'MSP-WITH-DASHES.peer' ) ",
            'OUTOF(1, \'MSP.WITH.DOTS.member\', "MSP-WITH-DASHES.peer")',
            "Or('MSP.WITH.DOTS.member', 'MSP-WITH-DASHES.peer')",
            "or('MSP.WITH.DOTS.member', 'MSP-WITH-DASHES.peer')",
        ]) {
            expect(parseSignaturePolicy(variant).serializeBinary(), variant).toEqual(canonical);
        }
        expect(rolePrincipals(parseSignaturePolicy("and('RegulatorMSP.member')"))).toEqual([
            { mspId: 'RegulatorMSP', role: 'member' },
        ]);
    });

    it('allows OutOf from 0 (always satisfied) to n + 1 (never satisfied), as Fabric does', () => {
        expect(parseSignaturePolicy("OutOf(0, 'A.member', 'B.member')").getRule()?.getNOutOf()?.getN()).toBe(0);
        expect(parseSignaturePolicy("OutOf(3, 'A.member', 'B.member')").getRule()?.getNOutOf()?.getN()).toBe(3);
    });

    it.each([
        ['', 0, 'starts with AND, OR or OutOf'],
        ["'A.member'", 0, 'starts with AND, OR or OutOf'],
        ["XOR('A.member')", 0, 'unknown operator "XOR"'],
        ["AnD('A.member')", 0, 'unknown operator "AnD"'],
        ["AND('A.member'", 14, 'expected ")"'],
        ["AND('A.member' 'B.member')", 15, 'expected ")"'],
        ["OR('A.member', 'Bmember')", 15, '"Bmember" is not a principal'],
        ["OR('A.member', 'B.teller')", 15, '"B.teller" is not a principal'],
        ["OR('A.member)", 3, 'never closed'],
        ["OR('A.member') extra", 15, 'expected the end of the policy'],
        ['OR()', 3, 'expected a principal'],
        ["OR('A.member'; 'B.member')", 13, 'unexpected character ";"'],
        ['OutOf(1)', 7, 'expected ","'],
        ["OutOf('x', 'A.member')", 6, 'number of required signatures'],
        ["OutOf(3, 'A.member')", 6, 'between 0 and 2'],
        ["OutOf(-1, 'A.member', 'B.member')", 6, 'between 0 and 3'],
        ["OR('A.member', AND('B.member', 42))", 31, 'expected a principal'],
    ])('reports %j as a syntax error at %i', (expression, position, reason) => {
        let caught: unknown;
        try {
            parseSignaturePolicy(expression);
        } catch (error) {
            caught = error;
        }
        expect(caught).toBeInstanceOf(PolicySyntaxError);
        expect(caught).toMatchObject({ code: 'POLICY_SYNTAX', position, expression });
        expect((caught as Error).message).toContain(reason);
    });

    it('refuses gates nested beyond a sane depth instead of exhausting the stack', () => {
        const deep = `${'OR('.repeat(200)}'A.member'${')'.repeat(200)}`;
        expect(() => parseSignaturePolicy(deep)).toThrow(PolicySyntaxError);
        const fine = `${'OR('.repeat(10)}'A.member'${')'.repeat(10)}`;
        expect(() => parseSignaturePolicy(fine)).not.toThrow();
    });
});

describe('formatSignaturePolicy', () => {
    it.each([
        "AND('Org1MSP.member', 'Org2MSP.peer')",
        "OR('A.member', AND('B.member', 'C.member'))",
        "OutOf(2, 'A.member', 'B.admin', OR('C.client', 'D.orderer'))",
        "OR('RegulatorMSP.member')",
    ])('writes %s back in the policy language', (expression) => {
        const envelope = parseSignaturePolicy(expression);
        expect(formatSignaturePolicy(envelope)).toBe(expression);
        expect(parseSignaturePolicy(formatSignaturePolicy(envelope)).serializeBinary()).toEqual(
            envelope.serializeBinary(),
        );
    });

    it('writes a bare SignedBy rule as an OR of one', () => {
        const bytes = envelopeBytes(signedBy(0), [principal('CourtMSP', PEER)]);
        expect(formatSignaturePolicy(decodeSignaturePolicy(bytes))).toBe("OR('CourtMSP.peer')");
    });
});

describe('decodeSignaturePolicy', () => {
    it('round-trips what the parser encodes', () => {
        const envelope = parseSignaturePolicy("OutOf(2, 'A.member', OR('B.peer', 'C.admin'))");
        expect(decodeSignaturePolicy(envelope.serializeBinary()).serializeBinary()).toEqual(envelope.serializeBinary());
    });

    it('rejects bytes that are not a usable envelope', () => {
        expect(() => decodeSignaturePolicy(Uint8Array.from([0x0a, 0xff]))).toThrow(InvalidPolicyError);
        expect(() => decodeSignaturePolicy(envelopeBytes(outOf(1, signedBy(1)), [principal('A', MEMBER)]))).toThrow(
            /signs by identity 1, but the envelope has 1 identities/,
        );
        const noRule = new common.SignaturePolicyEnvelope();
        noRule.setIdentitiesList([principal('A', MEMBER)]);
        expect(() => decodeSignaturePolicy(noRule.serializeBinary())).toThrow(/no rule/);

        const organizationUnit = new msp.MSPPrincipal();
        organizationUnit.setPrincipalClassification(msp.MSPPrincipal.Classification.ORGANIZATION_UNIT);
        expect(() => decodeSignaturePolicy(envelopeBytes(outOf(1, signedBy(0)), [organizationUnit]))).toThrow(
            /only ROLE principals/,
        );
    });
});
