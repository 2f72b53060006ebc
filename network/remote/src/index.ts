/**
 * `@zhelian/remote`: a `LedgerBackend` over a running Zhelian server's HTTP API. `openBackend`
 * of `@zhelian/api` loads it for `ZHELIAN_NETWORK=remote`, and when an embedded data dir is locked
 * by a server that names itself in it (`npx zhelian` while `npm start` runs).
 */
import type { BackendConfig, LedgerBackend } from '@zhelian/api';
import { RemoteBackend } from './backend';
import { locateServer } from './discovery';
import { ServerClient } from './server-client';

export { RemoteBackend } from './backend';
export { locateServer } from './discovery';
export type { ServerLocation } from './discovery';

/** Opens the backend of the server the configuration names, or the one serving the data dir. */
export async function openBackend(config: BackendConfig): Promise<LedgerBackend> {
    const location = await locateServer(config);
    return RemoteBackend.open(new ServerClient(location.url, location.token));
}
