import { describe, expect, it } from 'vitest';
import { CommitError, EndorseError, ErrorCode, GatewayError, GrpcStatus, ZhelianError } from '@zhelian/api';
import { chaincodeStatus, httpErrorOf, isEndorsementMismatch } from './ledger-errors';

const refusal = (code: string) =>
    new EndorseError('tx1', GrpcStatus.ABORTED, 'failed to endorse transaction tx1', [
        { address: 'peer0.MemberMSP', mspId: 'MemberMSP', message: `chaincode response 500, ${code}: what happened` },
    ]);
const commit = (code: number) => new CommitError({ transactionId: 'tx2', code, blockNumber: 7n, successful: false });

describe('HTTP statuses of ledger errors', () => {
    it.each([
        ['E_BAD_INPUT', 400],
        ['E_ARGUMENT_COUNT', 400],
        ['E_FORBIDDEN', 403],
        ['E_NOT_HOLDER', 403],
        ['E_NOT_FOUND', 404],
        ['E_UNKNOWN_TRANSACTION', 404],
        ['E_VERIFY_FAILED', 404],
        ['E_INTERNAL', 500],
        ['E_ALREADY_REIMBURSED', 409],
        ['E_SOME_CODE_ADDED_LATER', 409],
    ])('a chaincode refusal %s is %i, keeping its code and sentence', (code, status) => {
        expect(chaincodeStatus(code)).toBe(status);
        const error = httpErrorOf(refusal(code));
        expect(error).toMatchObject({ status, code, message: `${code}: what happened` });
        expect(error.extras).toMatchObject({ networkCode: ErrorCode.ENDORSE_FAILED, transactionId: 'tx1' });
    });

    it("a creator the peers refuse (Fabric's access denied) is 403 ACCESS_DENIED, nothing else to say", () => {
        const denied = new EndorseError(
            'tx3',
            GrpcStatus.ABORTED,
            'failed to endorse transaction, see attached details for more info',
            [{ address: 'peer0.Org1MSP', mspId: 'Org1MSP', message: 'access denied: not signed by a valid member' }],
            ErrorCode.ACCESS_DENIED,
        );
        expect(httpErrorOf(denied)).toMatchObject({ status: 403, code: ErrorCode.ACCESS_DENIED });
    });

    it("a peer's private data refusal keeps Fabric's words: 404 where the peer holds only the hash, 403 for a non-member client", () => {
        const onPeer = (message: string) =>
            new GatewayError(
                ErrorCode.GATEWAY_FAILED,
                GrpcStatus.UNKNOWN,
                `evaluate call to endorser returned error: chaincode response 500, ${message}`,
                [{ address: 'peer0.CourtMSP', mspId: 'CourtMSP', message: `chaincode response 500, ${message}` }],
            );
        const unavailable = httpErrorOf(
            onPeer(
                'private data matching public hash version is not available. Public hash version = {BlockNum: 7, TxNum: 0}, Private data version = <nil>',
            ),
        );
        expect(unavailable).toMatchObject({ status: 404, code: 'PRIVATE_DATA_UNAVAILABLE' });
        expect(unavailable.message).toMatch(/Public hash version = \{BlockNum: 7, TxNum: 0\}/);
        expect(unavailable.extras).toMatchObject({
            grpcStatus: GrpcStatus.UNKNOWN,
            networkCode: ErrorCode.GATEWAY_FAILED,
        });
        expect(
            httpErrorOf(
                onPeer(
                    'tx creator does not have read access permission on privatedata in chaincodeName:zhelian collectionName: tea',
                ),
            ),
        ).toMatchObject({ status: 403, code: 'PRIVATE_DATA_READ_DENIED' });
        // A chaincode that names the refusal with a code of its own is answered by that code.
        expect(
            httpErrorOf(onPeer('E_NOT_FOUND: private data matching public hash version is not available')),
        ).toMatchObject({ status: 404, code: 'E_NOT_FOUND' });
    });

    it('an MVCC or phantom-read conflict is 409 with its validation code, saying it was retried', () => {
        for (const [code, name] of [
            [11, 'MVCC_READ_CONFLICT'],
            [12, 'PHANTOM_READ_CONFLICT'],
        ] as const) {
            const error = httpErrorOf(commit(code));
            expect(error).toMatchObject({ status: 409, code: name });
            expect(error.extras).toMatchObject({ validationCode: code, transactionId: 'tx2', blockNumber: 7 });
            expect(error.message).toMatch(/retries/);
        }
    });

    it('an endorsement policy failure is 409 and says so', () => {
        const error = httpErrorOf(commit(10));
        expect(error).toMatchObject({ status: 409, code: 'ENDORSEMENT_POLICY_FAILURE' });
        expect(error.message).toMatch(/endorsement policy/);
    });

    it('a network that does not answer is 503', () => {
        expect(httpErrorOf(new GatewayError(ErrorCode.GATEWAY_FAILED, GrpcStatus.UNAVAILABLE, 'no peer')).status).toBe(
            503,
        );
        for (const code of [ErrorCode.DATA_DIR_LOCKED, ErrorCode.LEDGER_DAMAGED, ErrorCode.DATA_DIR_CORRUPT]) {
            expect(httpErrorOf(new ZhelianError(code, 'damaged')).status).toBe(503);
        }
    });

    it('anything else is 500 with a message that reveals nothing', () => {
        const error = httpErrorOf(new TypeError("Cannot read properties of undefined (reading 'secret')"));
        expect(error).toMatchObject({ status: 500, code: 'INTERNAL' });
        expect(error.message).not.toMatch(/secret|undefined/);
        expect(JSON.stringify(error.toBody())).not.toMatch(/\n\s+at /);
    });
});

describe('endorsements that differ', () => {
    it('are a conflict (409 ENDORSEMENTS_DIFFER) when the peers answered different results, not when one failed', () => {
        const differing = new EndorseError(
            'tx3',
            GrpcStatus.ABORTED,
            'ProposalResponsePayloads do not match for transaction tx3',
        );
        expect(isEndorsementMismatch(differing)).toBe(true);
        expect(httpErrorOf(differing)).toMatchObject({ status: 409, code: 'ENDORSEMENTS_DIFFER' });
        expect(isEndorsementMismatch(refusal('E_EXISTS'))).toBe(false);
        expect(
            isEndorsementMismatch(
                new EndorseError('tx4', GrpcStatus.ABORTED, 'failed to endorse', [
                    { address: 'peer0', mspId: 'MemberMSP', message: 'chaincode crashed' },
                ]),
            ),
        ).toBe(false);
    });
});
