import { EndorseError as FabricEndorseError } from '@hyperledger/fabric-gateway';
import { describe, expect, it } from 'vitest';
import {
    chaincodeErrorCode,
    CommitError,
    commitError,
    EndorseError,
    ErrorCode,
    GrpcStatus,
    notSupported,
    privateDataRefusal,
    ZhelianError,
} from './errors';

describe('chaincodeErrorCode', () => {
    it("reads the chaincode's code from a peer's detail", () => {
        const err = new EndorseError('tx1', GrpcStatus.ABORTED, 'failed to endorse transaction tx1', [
            {
                address: 'peer0.regulator',
                mspId: 'RegulatorMSP',
                message: 'chaincode response 500, E_ALREADY_REIMBURSED: receipt 33010125-1 was already reimbursed',
            },
        ]);
        expect(chaincodeErrorCode(err)).toBe('E_ALREADY_REIMBURSED');
    });

    it("reads it from a real @hyperledger/fabric-gateway EndorseError's details", () => {
        const err = new FabricEndorseError({
            code: GrpcStatus.ABORTED,
            transactionId: 'tx2',
            message: '10 ABORTED: failed to endorse transaction',
            details: [{ address: 'peer0.org1:7051', mspId: 'Org1MSP', message: 'E_CUTOFF_PASSED: too late' }],
            cause: Object.assign(new Error('aborted'), { code: 10, details: '', metadata: undefined as never }),
        });
        expect(chaincodeErrorCode(err)).toBe('E_CUTOFF_PASSED');
    });

    it('reads it from an evaluation message and ignores errors without one', () => {
        expect(chaincodeErrorCode(new Error('E_NOT_FOUND: receipt 1 does not exist'))).toBe('E_NOT_FOUND');
        expect(chaincodeErrorCode(new Error('connection refused'))).toBeUndefined();
        expect(chaincodeErrorCode('E_NOT_AN_ERROR')).toBeUndefined();
        expect(chaincodeErrorCode(undefined)).toBeUndefined();
    });
});

describe('privateDataRefusal', () => {
    it("reads a peer's private data refusals in Fabric's words, from a detail or the message", () => {
        const unavailable = new FabricEndorseError({
            code: GrpcStatus.UNKNOWN,
            transactionId: 'tx4',
            message: '2 UNKNOWN: evaluate call to endorser returned error',
            details: [
                {
                    address: 'peer0.court:7051',
                    mspId: 'CourtMSP',
                    message:
                        'chaincode response 500, private data matching public hash version is not available. Public hash version = {BlockNum: 7, TxNum: 0}, Private data version = <nil>',
                },
            ],
            cause: Object.assign(new Error('unknown'), { code: 2, details: '', metadata: undefined as never }),
        });
        expect(privateDataRefusal(unavailable)).toBe('PRIVATE_DATA_UNAVAILABLE');
        expect(
            privateDataRefusal(
                new Error(
                    'tx creator does not have read access permission on privatedata in chaincodeName:zhelian collectionName: tea',
                ),
            ),
        ).toBe('PRIVATE_DATA_READ_DENIED');
        expect(
            privateDataRefusal(
                new Error(
                    'tx creator does not have write access permission on privatedata in chaincodeName:zhelian collectionName: tea',
                ),
            ),
        ).toBe('PRIVATE_DATA_WRITE_DENIED');
        expect(privateDataRefusal(new Error('E_NOT_FOUND: receipt 1 does not exist'))).toBeUndefined();
        expect(privateDataRefusal(undefined)).toBeUndefined();
    });
});

describe('the error family', () => {
    it('gives every error a stable code and its class name', () => {
        const failed = commitError({ transactionId: 'tx3', code: 11, successful: false, blockNumber: 7n });
        expect(failed).toBeInstanceOf(CommitError);
        expect(failed).toBeInstanceOf(ZhelianError);
        expect(failed).toMatchObject({
            name: 'CommitError',
            code: ErrorCode.COMMIT_FAILED,
            transactionId: 'tx3',
            validationCode: 11,
            validationCodeName: 'MVCC_READ_CONFLICT',
            blockNumber: 7n,
        });
        expect(failed.message).toBe(
            'Transaction tx3 failed to commit with status code 11 (MVCC_READ_CONFLICT) in block 7',
        );
        const endorse = new EndorseError('tx4', GrpcStatus.ABORTED, 'failed', [
            { address: 'a', mspId: 'CourtMSP', message: 'no' },
        ]);
        expect(endorse).toMatchObject({ name: 'EndorseError', code: 'ENDORSE_FAILED', grpcStatus: 10 });
        expect(endorse.message).toBe('failed: CourtMSP: no');
        expect(notSupported('deploy', 'fabric')).toMatchObject({ code: 'NOT_SUPPORTED', name: 'ZhelianError' });
    });

    it('uses each code once and spells it as its key', () => {
        for (const [key, value] of Object.entries(ErrorCode)) {
            expect(value).toBe(key);
        }
    });
});
