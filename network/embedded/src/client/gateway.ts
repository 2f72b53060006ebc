import type { ClientIdentity, Gateway, Network } from '@zhelian/api';
import type { Identity } from '../msp';
import type { GatewayService } from '../peer/gateway-service';
import { NetworkImpl } from './network';

/**
 * A client connection to the embedded peers' gateway service, acting as `identity`: the
 * embedded side of `@zhelian/api`'s `Gateway`. Proposals and envelopes are signed here, with the
 * client's key, as fabric-gateway signs them in the client process.
 */
export function connectGateway(service: GatewayService, identity: Identity): Gateway {
    return new GatewayImpl(service, identity);
}

class GatewayImpl implements Gateway {
    readonly #service: GatewayService;
    readonly #identity: Identity;

    constructor(service: GatewayService, identity: Identity) {
        this.#service = service;
        this.#identity = identity;
    }

    getNetwork(channelName: string): Network {
        return new NetworkImpl(this.#service, this.#identity, channelName);
    }

    getIdentity(): ClientIdentity {
        return { mspId: this.#identity.mspId, credentials: this.#identity.credentials };
    }

    close(): void {
        // Nothing to release: the connection is in-process.
    }
}
