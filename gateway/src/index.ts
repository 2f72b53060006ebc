/**
 * `@zhelian/gateway`: the Express server through which people, the web UI and other programs reach
 * a Zhelian network, over any `LedgerBackend`.
 */
export { isLoopback } from './options';
export type { GatewayOptions } from './options';
export { startGateway } from './server';
export type { RunningGateway } from './server';
export type { ServerFile } from './server-file';
export { readServerFile, SERVER_FILE_NAME } from './server-file';
export type { ChaincodeStatus, ServerState, TaskProgress } from './status';
export { ServerStatus } from './status';
export { CHAINCODE_STATUS, chaincodeStatus } from './http/ledger-errors';
export { LESSON_STEPS } from './workshop/lesson-steps';
export type { LessonStepDefinition, StepOutcome } from './workshop/lesson-steps';
