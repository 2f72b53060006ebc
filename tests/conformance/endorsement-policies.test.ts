import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommitError, TxValidationCode } from '@zhelian/api';
import { type ConformanceNetwork, MAJORITY, openConformanceNetwork, text } from '../support/conformance';

/**
 * Endorsement policies as the committer enforces them, on both backends: the chaincode's MAJORITY
 * Endorsement, and a key-level (state-based) policy that, for the key it guards, takes the
 * chaincode-level policy's place.
 */
const WRITER = 'MemberMSP:zheyi';
let network: ConformanceNetwork;

beforeAll(async () => {
    network = await openConformanceNetwork();
});

afterAll(async () => {
    await network?.close();
});

describe('endorsement policies', () => {
    it('invalidates a transaction endorsed by fewer organizations than the policy asks: ENDORSEMENT_POLICY_FAILURE (10)', async () => {
        await network.contract(WRITER).submitTransaction('put', 'policy', 'before');
        const status = await network.commitWith(WRITER, 'put', ['policy', 'after'], ['MemberMSP']);
        expect(status).toMatchObject({ successful: false, code: TxValidationCode.ENDORSEMENT_POLICY_FAILURE });
        expect(text(await network.contract(WRITER).evaluateTransaction('get', 'policy'))).toBe('before');
    });

    it('raises that failure from submit as a CommitError with the block it is in', async () => {
        const failure = await network
            .contract(WRITER)
            .submit('put', { arguments: ['policy', 'after'], endorsingOrganizations: ['RegulatorMSP'] })
            .catch((err: unknown) => err);
        expect(failure).toBeInstanceOf(CommitError);
        expect(failure).toMatchObject({
            validationCode: TxValidationCode.ENDORSEMENT_POLICY_FAILURE,
            validationCodeName: 'ENDORSEMENT_POLICY_FAILURE',
        });
        expect((failure as CommitError).blockNumber).toBeGreaterThan(0n);
    });

    it('guards a key with its own policy, which replaces the chaincode-level one for that key', async () => {
        const contract = network.contract(WRITER);
        await contract.submitTransaction('put', 'guarded', 'v1');
        await contract.submitTransaction('setKeyPolicy', 'guarded', 'CourtMSP');

        const withoutCourt = await network.commitWith(WRITER, 'put', ['guarded', 'v2'], MAJORITY);
        expect(withoutCourt.code).toBe(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        const courtAlone = await network.commitWith(WRITER, 'put', ['guarded', 'v3'], ['CourtMSP']);
        expect(courtAlone.code).toBe(TxValidationCode.VALID);
        expect(text(await contract.evaluateTransaction('get', 'guarded'))).toBe('v3');
    });

    it('leaves other keys to the chaincode-level policy', async () => {
        const status = await network.commitWith(WRITER, 'put', ['unguarded', 'v'], ['CourtMSP']);
        expect(status.code).toBe(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
    });
});
