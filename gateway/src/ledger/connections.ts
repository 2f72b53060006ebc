import type { Contract, Gateway, IdentityRef, LedgerBackend, Network } from '@zhelian/api';
import { identityKey } from '../auth/access';

/**
 * One client connection per identity the server acts as, opened on first use and kept: the
 * identity's key stays in the backend (the embedded ledger's wallet, or the server's Fabric
 * wallet), never in a request or a response.
 */
export class Connections {
    readonly #backend: LedgerBackend;
    readonly #gateways = new Map<string, Promise<Gateway>>();

    constructor(backend: LedgerBackend) {
        this.#backend = backend;
    }

    gateway(identity: IdentityRef): Promise<Gateway> {
        const key = identityKey(identity);
        let gateway = this.#gateways.get(key);
        if (!gateway) {
            gateway = this.#backend.connect({ mspId: identity.mspId, name: identity.name });
            this.#gateways.set(key, gateway);
            gateway.catch(() => this.#gateways.delete(key));
        }
        return gateway;
    }

    async network(identity: IdentityRef): Promise<Network> {
        return (await this.gateway(identity)).getNetwork(this.#backend.describe().channel);
    }

    async contract(identity: IdentityRef, chaincode: string, contractName?: string): Promise<Contract> {
        return (await this.network(identity)).getContract(chaincode, contractName);
    }

    /** Closes every connection; later calls open new ones. */
    async close(): Promise<void> {
        const gateways = [...this.#gateways.values()];
        this.#gateways.clear();
        for (const gateway of await Promise.allSettled(gateways)) {
            if (gateway.status === 'fulfilled') {
                gateway.value.close();
            }
        }
    }
}
