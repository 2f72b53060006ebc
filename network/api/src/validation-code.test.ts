import { peer } from '@hyperledger/fabric-protos';
import { describe, expect, it } from 'vitest';
import { TxValidationCode, validationCodeName } from './validation-code';

describe('TxValidationCode', () => {
    it("is exactly the protos' table", () => {
        expect({ ...TxValidationCode }).toEqual({ ...peer.TxValidationCode });
    });

    it('names codes as Fabric does', () => {
        expect(validationCodeName(0)).toBe('VALID');
        expect(validationCodeName(12)).toBe('PHANTOM_READ_CONFLICT');
        expect(validationCodeName(77)).toBe('UNKNOWN_77');
    });
});
