/** The chaincode's plumbing, shared by every contract. */
export * from './errors';
export * from './json';
export * from './input';
export * from './hash';
export * from './time';
export * from './identity';
export * from './party';
export * from './keys';
export * from './record';
export * from './state';
// Not events.ts: contracts emit through ZhelianContract.emitEvent, which names the event after the contract.
export * from './privateData';
export * from './endorsement';
export * from './contract';
