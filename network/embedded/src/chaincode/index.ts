export { startChaincode, type ChaincodeHost, type ChaincodeHostOptions, type ChaincodeIsolation } from './host';
export * from './errors';
export type * from './handler';
