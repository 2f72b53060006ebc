/**
 * `@zhelian/api`: the one seam between Zhelian and its networks. The CLI, the gateway, scripts
 * and tests import only this package; the embedded ledger and the Fabric backend implement it.
 */
export type { ChaincodeEvent, ChaincodeEventsOptions, CloseableAsyncIterable } from './client/events';
export type { Contract } from './client/contract';
export type { ClientIdentity, Gateway } from './client/gateway';
export type { Network } from './client/network';
export type { Proposal, ProposalOptions } from './client/proposal';
export type { Status, SubmittedTransaction } from './client/submitted-transaction';
export type { Transaction } from './client/transaction';
export type {
    ApproveRequest,
    BackendKind,
    ChaincodeDefinitionRequest,
    ChaincodeInfo,
    ChaincodeLifecycle,
    ChaincodePackageInfo,
    CommitReadiness,
    CommittedChaincode,
    DeployedChaincode,
    DeployRequest,
    EnrollOptions,
    IdentityInfo,
    IdentityRef,
    InstalledChaincodeInfo,
    LedgerBackend,
    NetworkInfo,
    OrganizationInfo,
    PackageRequest,
} from './backend';
export {
    chaincodeErrorCode,
    CommitError,
    commitError,
    EndorseError,
    ErrorCode,
    GatewayError,
    GrpcStatus,
    notSupported,
    privateDataRefusal,
    type PrivateDataRefusal,
    SubmitError,
    ZhelianError,
} from './errors';
export type { ErrorDetail } from './errors';
export type { ExportedOrganizations, FabricProtocols, PeerEndpoint, ServeOptions } from './fabric-protocols';
export type {
    BlockInfo,
    ChainProblem,
    ChainVerification,
    CollectionHashes,
    Explorer,
    KeyModification,
    KeyRead,
    KeyVersion,
    KeyWrite,
    MissingPrivateData,
    NamespaceReadWriteSet,
    RangeRead,
    Signer,
    StateProblem,
    StateVerification,
    TransactionInfo,
} from './explorer';
export { signerOf } from './signer';
export type { LedgerMaintenance, RebuildReport, TamperReport, UndoTamperReport } from './maintenance';
export { backendKind, openBackend } from './open-backend';
export type { BackendConfig, BackendModule } from './open-backend';
export { TxValidationCode, validationCodeName } from './validation-code';
export type { TxValidationCodeName } from './validation-code';
