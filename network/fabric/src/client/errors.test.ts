import * as grpc from '@grpc/grpc-js';
import * as fabricGateway from '@hyperledger/fabric-gateway';
import { describe, expect, it } from 'vitest';
import { chaincodeErrorCode, EndorseError, ErrorCode, GatewayError, SubmitError } from '@zhelian/api';
import { translateError } from './errors';

const cause = Object.assign(new Error('10 ABORTED: failed to endorse transaction'), {
    code: grpc.status.ABORTED,
    details: 'failed to endorse transaction',
    metadata: new grpc.Metadata(),
}) as grpc.ServiceError;
const details = [
    {
        address: '127.0.0.1:8081',
        mspId: 'MemberMSP',
        message: 'chaincode response 500, E_ALREADY_REIMBURSED: receipt 33010125-1 is reimbursed',
    },
];

describe("fabric-gateway's errors as Zhelian's", () => {
    it('keep an endorsement failure’s transaction id, status, details and chaincode code', () => {
        const translated = translateError(
            new fabricGateway.EndorseError({
                code: grpc.status.ABORTED,
                details,
                cause,
                transactionId: 'tx1',
                message: '10 ABORTED: failed to endorse transaction, see attached details for more info',
            }),
        );
        expect(translated).toBeInstanceOf(EndorseError);
        expect(translated).toMatchObject({
            code: ErrorCode.ENDORSE_FAILED,
            grpcStatus: grpc.status.ABORTED,
            transactionId: 'tx1',
            details,
        });
        expect((translated as Error).message).toMatch(
            /^failed to endorse transaction.*MemberMSP: chaincode response 500/,
        );
        expect(chaincodeErrorCode(translated)).toBe('E_ALREADY_REIMBURSED');
    });

    it('tell a submit failure (a GatewayError named SubmitError) from other gateway errors', () => {
        const submit = Object.assign(
            new fabricGateway.GatewayError({ code: grpc.status.UNAVAILABLE, details: [], cause }),
            { name: 'SubmitError', transactionId: 'tx2' },
        );
        expect(translateError(submit)).toBeInstanceOf(SubmitError);
        const evaluate = new fabricGateway.GatewayError({ code: grpc.status.UNKNOWN, details, cause });
        expect(translateError(evaluate)).toBeInstanceOf(GatewayError);
        expect(translateError(evaluate)).toMatchObject({ code: ErrorCode.GATEWAY_FAILED, grpcStatus: 2 });
    });

    it('leave other errors as they are', () => {
        const other = new TypeError('not a gateway error');
        expect(translateError(other)).toBe(other);
    });
});
