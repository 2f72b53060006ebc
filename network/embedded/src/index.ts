export { EmbeddedLedger, LedgerError } from './embedded-ledger';
export type {
    ChainProblem,
    ChainVerification,
    DeployOptions,
    EmbeddedLedgerOptions,
    TransactionDetails,
} from './embedded-ledger';
export type { ChaincodeDefinition } from './chaincode/definition';
export type * from './gateway/api';
export { CommitError, EndorseError, GatewayError, SubmitError } from './gateway/errors';
export type { ErrorDetail } from './gateway/errors';
export { TxValidationCode, validationCodeName } from './ledger/codes';
export type { Identity } from './msp';
export { loadTopology, parseTopology, TopologyError } from './topology';
export type { Topology } from './topology';
