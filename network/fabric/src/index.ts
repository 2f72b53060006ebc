/**
 * `@zhelian/fabric`: Zhelian's LedgerBackend for a real Hyperledger Fabric network, through the
 * peers' gateway service with `@hyperledger/fabric-gateway`. Chosen with `ZHELIAN_NETWORK=fabric`
 * (`openBackend` in `@zhelian/api` loads it by name); the native network's scripts also use its
 * connection description, chaincode-as-a-service packages and certificate issuer.
 */
export { FabricBackend, openBackend } from './backend';
export { defaultConnectionFile, readConnection } from './connection';
export type { ChaincodeServer, FabricConnection, NodeEndpoint, OrganizationConnection } from './connection';
export { ccaasPackage } from './lifecycle/ccaas-package';
export type { CcaasPackage, ChaincodeServerAddress } from './lifecycle/ccaas-package';
