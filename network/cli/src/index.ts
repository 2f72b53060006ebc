/** `@zhelian/cli`: the `zhelian` command, over any LedgerBackend that `@zhelian/api` opens. */
export { runCli } from './program';
export type { CliEnvironment } from './program';
