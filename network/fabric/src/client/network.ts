import type * as fabricGateway from '@hyperledger/fabric-gateway';
import type { ChaincodeEvent, ChaincodeEventsOptions, CloseableAsyncIterable, Contract, Network } from '@zhelian/api';
import { ContractImpl } from './contract';
import { translated, translateError } from './errors';
import type { CommitSettled } from './transaction';

/** A fabric-gateway `Network` behind Zhelian's. */
export class NetworkImpl implements Network {
    readonly #network: fabricGateway.Network;
    readonly #settled: CommitSettled;

    constructor(network: fabricGateway.Network, settled: CommitSettled) {
        this.#network = network;
        this.#settled = settled;
    }

    getName(): string {
        return this.#network.getName();
    }

    getContract(chaincodeName: string, contractName?: string): Contract {
        return new ContractImpl(this.#network.getContract(chaincodeName, contractName), this.#settled);
    }

    async getChaincodeEvents(
        chaincodeName: string,
        options: ChaincodeEventsOptions = {},
    ): Promise<CloseableAsyncIterable<ChaincodeEvent>> {
        const events = await translated(() => this.#network.getChaincodeEvents(chaincodeName, options));
        return translatedIterable(events, ({ blockNumber, transactionId, chaincodeName, eventName, payload }) => ({
            blockNumber,
            transactionId,
            chaincodeName,
            eventName,
            payload,
        }));
    }
}

/** An event stream whose items are mapped and whose errors are translated; closing closes the source. */
export function translatedIterable<S, T>(
    source: fabricGateway.CloseableAsyncIterable<S>,
    map: (item: S) => T,
): CloseableAsyncIterable<T> {
    return {
        close: () => source.close(),
        async *[Symbol.asyncIterator]() {
            try {
                for await (const item of source) {
                    yield map(item);
                }
            } catch (err) {
                throw translateError(err);
            }
        },
    };
}
