import { randomBytes } from 'node:crypto';
import { type DeployedChaincode, type DeployRequest, type LedgerBackend, notSupported } from '@zhelian/api';

/**
 * Deploys a chaincode for one test suite under a name no other suite uses on this network. A new
 * embedded ledger holds nothing, so the suite gets the name it asks for; a shared network (a Fabric
 * network that `npm run network:up` started) already holds it, so the suite gets the name plus a
 * random suffix, its own namespace: its keys, collections and events start empty, as on a new ledger.
 *
 * ```ts
 * const { name } = await deployForSuite(backend, { packageDir: CHAINCODE_DIR, name: 'zhelian' });
 * ```
 */
export async function deployForSuite(
    backend: LedgerBackend,
    request: DeployRequest & { name: string },
): Promise<DeployedChaincode> {
    if (!backend.lifecycle) {
        throw notSupported('deploying a test chaincode', backend.kind);
    }
    const taken = backend.describe().chaincodes.some((chaincode) => chaincode.name === request.name);
    const name = taken ? `${request.name}_${randomBytes(4).toString('hex')}` : request.name;
    return backend.lifecycle.deploy({ ...request, name });
}
