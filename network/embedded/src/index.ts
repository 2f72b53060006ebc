/**
 * `@zhelian/embedded`: a small, faithful Fabric in one process. Code above the networks reaches
 * it through `@zhelian/api`'s `openBackend`; tests and tools of the embedded ledger itself use
 * `EmbeddedLedger` for its extra options.
 */
export { openBackend } from './backend';
export { EmbeddedLedger } from './embedded-ledger';
export type { EmbeddedLedgerOptions } from './embedded-ledger';
export type { ChaincodeDefinition, CollectionConfigJson } from './chaincode/definition';
export type { ChaincodeIsolation } from './chaincode/host';
export type { DeployOptions } from './peer/lifecycle';
export type { Identity } from './msp';
export { loadTopology, parseTopology, TopologyError } from './topology';
export type { BlockCutting, OrgConfig, QueryLimits, Topology, UserConfig } from './topology';
