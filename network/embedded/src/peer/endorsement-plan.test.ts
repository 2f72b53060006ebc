import { describe, expect, it } from 'vitest';
import type { CollectionDefinition } from '../ledger/collections';
import {
    decodeSignaturePolicy,
    evaluateSignaturePolicy,
    parseEndorsementPolicy,
    parseSignaturePolicy,
} from '../policy';
import type { ChaincodeCall, ChaincodeInterest } from './chaincode-interest';
import { planFromInterest, type PlanningContext } from './endorsement-plan';

const ORGS = ['Org1MSP', 'Org2MSP', 'Org3MSP', 'Org4MSP'];

function context(
    chaincodePolicies: Record<string, string>,
    collections: Record<string, Partial<CollectionDefinition> & { memberOrgs: string[] }> = {},
    /** Per chaincode, the organizations whose peers run it; every one when not named. */
    running: Record<string, string[]> = {},
): PlanningContext {
    return {
        runs: (namespace, org) => (running[namespace] ?? ORGS).includes(org),
        orgs: ORGS,
        chaincodePolicy: (namespace) => chaincodePolicies[namespace],
        collection: (_namespace, name) => {
            const found = collections[name];
            return found && { name, policy: '', memberOnlyRead: false, memberOnlyWrite: false, ...found };
        },
        satisfied: (policy, orgs) => {
            const signers = orgs.map((mspId) => ({ mspId, nodeOU: 'peer' }));
            return typeof policy === 'string'
                ? parseEndorsementPolicy(policy, ORGS).evaluate(signers)
                : evaluateSignaturePolicy(decodeSignaturePolicy(policy), signers);
        },
    };
}

const call = (overrides: Partial<ChaincodeCall>): ChaincodeCall => ({
    name: 'cc',
    collectionNames: [],
    noPrivateReads: false,
    keyPolicies: [],
    disregardNamespacePolicy: false,
    ...overrides,
});
const interest = (...calls: ChaincodeCall[]): ChaincodeInterest => ({ chaincodes: calls });
const keyPolicy = (expression: string) => parseSignaturePolicy(expression).serializeBinary();
const ANY_ORG = "OR('Org1MSP.peer','Org2MSP.peer','Org3MSP.peer','Org4MSP.peer')";

describe("endorsement planning from the first endorsement's chaincode interest, as Fabric's gateway plans", () => {
    it("picks a smallest layout holding the first endorser's organization", () => {
        const plan = planFromInterest(
            interest(call({})),
            'cc',
            'Org4MSP',
            false,
            context({ cc: 'MAJORITY Endorsement' }),
        );
        expect(plan).toEqual(['Org1MSP', 'Org2MSP', 'Org4MSP']);
    });

    it('uses the chaincode policy of the invoked chaincode when the interest is empty', () => {
        const plan = planFromInterest(
            interest(),
            'cc',
            'Org2MSP',
            false,
            context({ cc: "AND('Org1MSP.peer','Org2MSP.peer')" }),
        );
        expect(plan).toEqual(['Org1MSP', 'Org2MSP']);
    });

    it('plans for key-level policies alone when the chaincode policy is disregarded, leaving out a first endorser it does not need', () => {
        const only = call({ keyPolicies: [keyPolicy("OR('Org1MSP.member')")], disregardNamespacePolicy: true });
        const plan = planFromInterest(interest(only), 'cc', 'Org2MSP', false, context({ cc: ANY_ORG }));
        expect(plan).toEqual(['Org1MSP']);
    });

    it('satisfies key-level policies and the chaincode policy together', () => {
        const both = call({ keyPolicies: [keyPolicy("OR('Org3MSP.member')")] });
        const plan = planFromInterest(
            interest(both),
            'cc',
            'Org2MSP',
            false,
            context({ cc: "AND('Org1MSP.peer','Org2MSP.peer')" }),
        );
        expect(plan).toEqual(['Org1MSP', 'Org2MSP', 'Org3MSP']);
    });

    it('prefers a larger layout with the first endorser over a smaller one without it, as discovery orders layouts', () => {
        const plan = planFromInterest(
            interest(call({})),
            'cc',
            'Org2MSP',
            false,
            context({ cc: "OR('Org1MSP.peer', AND('Org2MSP.peer','Org3MSP.peer'))" }),
        );
        expect(plan).toEqual(['Org2MSP', 'Org3MSP']);
    });

    it("needs each collection's own endorsement policy, or else the chaincode's", () => {
        const collections = {
            audited: { memberOrgs: ORGS, endorsementPolicy: "OR('Org3MSP.peer')" },
            plain: { memberOrgs: ORGS },
        };
        const ctx = context({ cc: "OR('Org1MSP.peer')" }, collections);
        const audited = call({ collectionNames: ['audited'], noPrivateReads: true });
        expect(planFromInterest(interest(audited), 'cc', 'Org2MSP', false, ctx)).toEqual(['Org3MSP']);
        const plain = call({ collectionNames: ['plain'], noPrivateReads: true });
        expect(planFromInterest(interest(plain), 'cc', 'Org2MSP', false, ctx)).toEqual(['Org1MSP']);
    });

    it("keeps to a collection's members when its values were read, and with transient data whenever it is touched", () => {
        const ctx = context({ cc: ANY_ORG }, { shared: { memberOrgs: ['Org1MSP', 'Org2MSP'] } });
        const read = call({ collectionNames: ['shared'], noPrivateReads: false });
        expect(planFromInterest(interest(read), 'cc', 'Org3MSP', false, ctx)).toEqual(['Org1MSP']);
        const written = call({ collectionNames: ['shared'], noPrivateReads: true });
        expect(planFromInterest(interest(written), 'cc', 'Org3MSP', false, ctx)).toEqual(['Org3MSP']);
        expect(planFromInterest(interest(written), 'cc', 'Org3MSP', true, ctx)).toEqual(['Org1MSP']);
    });

    it('refuses to send transient data outside a collection when the policies need it, as Fabric does', () => {
        const ctx = context(
            { cc: ANY_ORG },
            { secret: { memberOrgs: ['Org1MSP'], endorsementPolicy: "OR('Org2MSP.peer')" } },
        );
        const written = call({ collectionNames: ['secret'], noPrivateReads: true });
        expect(planFromInterest(interest(written), 'cc', 'Org1MSP', false, ctx)).toEqual(['Org2MSP']);
        expect(() => planFromInterest(interest(written), 'cc', 'Org1MSP', true, ctx)).toThrow(
            'requires endorsement from organisation(s) that are not in the distribution policy of the private data collection(s): [secret]; retry specifying trusted endorsing organizations to protect transient data',
        );
    });

    it('fails when no organizations of the channel can satisfy the policies', () => {
        const foreign = call({ keyPolicies: [keyPolicy("OR('ElsewhereMSP.member')")], disregardNamespacePolicy: true });
        expect(() => planFromInterest(interest(foreign), 'cc', 'Org1MSP', false, context({ cc: ANY_ORG }))).toThrow(
            'no combination of peers can be derived which satisfy the endorsement policy: no peer combination can satisfy the endorsement policy',
        );
    });

    it('leaves out peers that cannot run the chaincode, as discovery lists only peers that have it', () => {
        const ctx = context({ cc: 'MAJORITY Endorsement' }, {}, { cc: ['Org2MSP', 'Org3MSP', 'Org4MSP'] });
        expect(planFromInterest(interest(call({})), 'cc', 'Org1MSP', false, ctx)).toEqual([
            'Org2MSP',
            'Org3MSP',
            'Org4MSP',
        ]);
        const fewer = context({ cc: 'MAJORITY Endorsement' }, {}, { cc: ['Org1MSP', 'Org2MSP'] });
        expect(() => planFromInterest(interest(call({})), 'cc', 'Org1MSP', false, fewer)).toThrow(
            'no combination of peers can be derived which satisfy the endorsement policy: required chaincodes are not installed on sufficient peers',
        );
    });

    it('needs every chaincode a transaction calls on each endorsing peer', () => {
        const ctx = context({ cc: ANY_ORG, other: ANY_ORG }, {}, { cc: ['Org1MSP', 'Org2MSP'], other: ['Org2MSP'] });
        expect(planFromInterest(interest(call({}), call({ name: 'other' })), 'cc', 'Org1MSP', false, ctx)).toEqual([
            'Org2MSP',
        ]);
    });
});
