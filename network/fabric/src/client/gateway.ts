import type * as fabricGateway from '@hyperledger/fabric-gateway';
import type { ClientIdentity, Gateway, Network } from '@zhelian/api';
import { NetworkImpl } from './network';

/** A fabric-gateway `Gateway` behind Zhelian's; closing it leaves the shared gRPC connection open. */
export class GatewayImpl implements Gateway {
    readonly #gateway: fabricGateway.Gateway;

    constructor(gateway: fabricGateway.Gateway) {
        this.#gateway = gateway;
    }

    getNetwork(channelName: string): Network {
        return new NetworkImpl(this.#gateway.getNetwork(channelName));
    }

    getIdentity(): ClientIdentity {
        return this.#gateway.getIdentity();
    }

    close(): void {
        this.#gateway.close();
    }
}
