/** The chaincode's plumbing, shared by every contract. */
export * from './errors';
export * from './json';
export * from './input';
export * from './hash';
export * from './time';
export * from './identity';
export * from './keys';
export * from './state';
export * from './events';
export * from './privateData';
export * from './endorsement';
export * from './contract';
