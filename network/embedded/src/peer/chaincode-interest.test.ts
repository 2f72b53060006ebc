import { describe, expect, it } from 'vitest';
import type { CollectionRwSet, NamespaceRwSet } from '../ledger/rwset';
import { buildChaincodeInterest } from './chaincode-interest';

const ORG1_POLICY = new Uint8Array([1, 1]);
const write = (key: string) => ({ key, isDelete: false, value: new Uint8Array([7]) });
const ns = (namespace: string, parts: Partial<NamespaceRwSet>): NamespaceRwSet => ({
    namespace,
    reads: [],
    rangeQueries: [],
    writes: [],
    metadataWrites: [],
    collections: [],
    ...parts,
});
const collection = (name: string, parts: Partial<CollectionRwSet>): CollectionRwSet => ({
    collection: name,
    hashedReads: [],
    hashedWrites: [],
    privateWrites: [],
    ...parts,
});
/** Committed state: `owned` carries Org1's key-level policy. */
const committed = async (_namespace: string, key: string) =>
    key === 'owned' ? { VALIDATION_PARAMETER: ORG1_POLICY } : undefined;

describe("the chaincode interest an endorser returns, as Fabric's endorser builds it", () => {
    it('disregards the chaincode policy when every key written has a committed key-level policy', async () => {
        const interest = await buildChaincodeInterest([ns('cc', { writes: [write('owned')] })], [], committed);
        expect(interest.chaincodes).toEqual([
            {
                name: 'cc',
                collectionNames: [],
                noPrivateReads: false,
                keyPolicies: [ORG1_POLICY],
                disregardNamespacePolicy: true,
            },
        ]);
    });

    it('keeps the chaincode policy for a key without one, or whose policy this transaction sets first', async () => {
        const mixed = await buildChaincodeInterest(
            [ns('cc', { writes: [write('owned'), write('free')] })],
            [],
            committed,
        );
        expect(mixed.chaincodes[0]).toMatchObject({ keyPolicies: [ORG1_POLICY], disregardNamespacePolicy: false });
        const setting = await buildChaincodeInterest(
            [ns('cc', { metadataWrites: [{ key: 'new', entries: { VALIDATION_PARAMETER: ORG1_POLICY } }] })],
            [],
            committed,
        );
        expect(setting.chaincodes).toEqual([
            {
                name: 'cc',
                collectionNames: [],
                noPrivateReads: false,
                keyPolicies: [],
                disregardNamespacePolicy: false,
            },
        ]);
    });

    it('needs the policy of a chaincode that was only read, and none for one that only wrote private data', async () => {
        const interest = await buildChaincodeInterest(
            [
                ns('other', { reads: [{ key: 'k', version: null }] }),
                ns('cc', {
                    collections: [
                        collection('shared', { hashedWrites: [{ keyHash: 'h', isDelete: false, valueHash: 'v' }] }),
                    ],
                }),
            ],
            [],
            committed,
        );
        expect(interest.chaincodes).toEqual([
            {
                name: 'other',
                collectionNames: [],
                noPrivateReads: false,
                keyPolicies: [],
                disregardNamespacePolicy: false,
            },
            {
                name: 'cc',
                collectionNames: ['shared'],
                noPrivateReads: true,
                keyPolicies: [],
                disregardNamespacePolicy: false,
            },
        ]);
    });

    it('marks a collection whose values were read, and not one whose hashes alone were', async () => {
        const interest = await buildChaincodeInterest(
            [
                ns('cc', {
                    collections: [
                        collection('values', { hashedReads: [{ keyHash: 'a', version: null }] }),
                        collection('hashes', { hashedReads: [{ keyHash: 'b', version: null }] }),
                    ],
                }),
            ],
            [{ namespace: 'cc', collection: 'values' }],
            committed,
        );
        expect(interest.chaincodes).toEqual([
            {
                name: 'cc',
                collectionNames: [],
                noPrivateReads: false,
                keyPolicies: [],
                disregardNamespacePolicy: false,
            },
            {
                name: 'cc',
                collectionNames: ['values'],
                noPrivateReads: false,
                keyPolicies: [],
                disregardNamespacePolicy: false,
            },
        ]);
    });
});
