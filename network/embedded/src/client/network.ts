import type { ChaincodeEvent, ChaincodeEventsOptions, CloseableAsyncIterable, Contract, Network } from '@zhelian/api';
import type { Identity } from '../msp';
import type { GatewayService } from '../peer/gateway-service';
import { ContractImpl } from './contract';

export class NetworkImpl implements Network {
    readonly #service: GatewayService;
    readonly #identity: Identity;
    readonly #name: string;

    constructor(service: GatewayService, identity: Identity, name: string) {
        this.#service = service;
        this.#identity = identity;
        this.#name = name;
    }

    getName(): string {
        return this.#name;
    }

    getContract(chaincodeName: string, contractName?: string): Contract {
        return new ContractImpl(this.#service, this.#identity, this.#name, chaincodeName, contractName);
    }

    getChaincodeEvents(
        chaincodeName: string,
        options: ChaincodeEventsOptions = {},
    ): Promise<CloseableAsyncIterable<ChaincodeEvent>> {
        return this.#service.chaincodeEvents(this.#name, chaincodeName, options.startBlock);
    }
}
