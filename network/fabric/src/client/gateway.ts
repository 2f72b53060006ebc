import type * as fabricGateway from '@hyperledger/fabric-gateway';
import type { ClientIdentity, Gateway, Network } from '@zhelian/api';
import { NetworkImpl } from './network';
import type { CommitSettled } from './transaction';

/** A fabric-gateway `Gateway` behind Zhelian's; closing it leaves the shared gRPC connection open. */
export class GatewayImpl implements Gateway {
    readonly #gateway: fabricGateway.Gateway;
    readonly #settled: CommitSettled;

    constructor(gateway: fabricGateway.Gateway, settled: CommitSettled) {
        this.#gateway = gateway;
        this.#settled = settled;
    }

    getNetwork(channelName: string): Network {
        return new NetworkImpl(this.#gateway.getNetwork(channelName), this.#settled);
    }

    getIdentity(): ClientIdentity {
        return this.#gateway.getIdentity();
    }

    close(): void {
        this.#gateway.close();
    }
}
