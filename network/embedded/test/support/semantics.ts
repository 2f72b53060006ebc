import path from 'node:path';
import type { Contract } from '@zhelian/api';
import type { EmbeddedLedger } from '../../src/embedded-ledger';

/** The `semantics` fixture chaincode's package: Fabric's ledger semantics, one small transaction each. */
export const SEMANTICS_PACKAGE = path.join(__dirname, '..', 'fixtures', 'ledger', 'semantics');

/**
 * The `semantics` contract on a test-network ledger (channel `mychannel`) where the fixture is
 * deployed, acting as `mspId`'s `name` (Org1MSP's user1 unless told).
 *
 * @example
 * await ledger.deploy({ packageDir: SEMANTICS_PACKAGE });
 * await semantics(ledger).submitTransaction('put', 'colour', 'red');
 */
export function semantics(ledger: EmbeddedLedger, mspId = 'Org1MSP', name = 'user1'): Contract {
    return ledger
        .connectWith(ledger.identity(mspId, name))
        .getNetwork('mychannel')
        .getContract('semantics', 'semantics');
}
