export { startChaincode, type ChaincodeHost, type ChaincodeHostOptions } from './host';
export * from './errors';
export type * from './handler';
