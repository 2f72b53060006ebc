import type { Contract } from './contract';
import type { ChaincodeEvent, ChaincodeEventsOptions, CloseableAsyncIterable } from './events';

/**
 * A channel as a client sees it: its chaincodes and their events. A strict subset of
 * `@hyperledger/fabric-gateway`'s `Network`.
 *
 * ```ts
 * const network = gateway.getNetwork('zhelian');
 * const events = await network.getChaincodeEvents('zhelian', { startBlock: 0n });
 * for await (const event of events) {
 *     console.log(event.eventName, Buffer.from(event.payload).toString());
 * }
 * ```
 */
export interface Network {
    getName(): string;
    /** A chaincode on this channel; `contractName` picks one contract of a multi-contract package. */
    getContract(chaincodeName: string, contractName?: string): Contract;
    /**
     * Events of one chaincode's valid transactions, in block order: replayed from `startBlock` when
     * given, then live as blocks commit. Close the iterable to stop.
     */
    getChaincodeEvents(
        chaincodeName: string,
        options?: ChaincodeEventsOptions,
    ): Promise<CloseableAsyncIterable<ChaincodeEvent>>;
}
