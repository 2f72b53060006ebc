import type { Network } from './network';

/**
 * The identity a client acts as: its MSP ID and its certificate (PEM bytes), as
 * `@hyperledger/fabric-gateway`'s `Identity`.
 */
export interface ClientIdentity {
    readonly mspId: string;
    readonly credentials: Uint8Array;
}

/**
 * A connection to a network, acting as one identity. A strict subset of
 * `@hyperledger/fabric-gateway`'s `Gateway`, so a real one can be used wherever this is asked for.
 *
 * ```ts
 * const gateway = await backend.connect({ mspId: 'MemberMSP', name: 'zheyi' });
 * try {
 *     const einvoice = gateway.getNetwork('zhelian').getContract('zhelian', 'einvoice');
 *     await einvoice.submitTransaction('reimburseReceipt', '33010125', '1');
 * } finally {
 *     gateway.close();
 * }
 * ```
 */
export interface Gateway {
    /** The channel `channelName`, as this identity sees it. */
    getNetwork(channelName: string): Network;
    /** The MSP ID and certificate this gateway signs with. */
    getIdentity(): ClientIdentity;
    /** Releases the connection; the gateway and everything obtained from it are unusable afterwards. */
    close(): void;
}
