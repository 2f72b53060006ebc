import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { type LedgerBackend, openBackend } from '@zhelian/api';
import { type GatewayOptions, type RunningGateway, startGateway } from '@zhelian/gateway';

const CHAINCODE_DIR = path.join(__dirname, '..', '..', '..', 'chaincode');

export interface ApiServer {
    url: string;
    backend: LedgerBackend;
    gateway: RunningGateway;
    close(): Promise<void>;
}

/** A gateway over a fresh embedded ledger with the zhelian chaincode deployed; no UI unless `webRoot` says. */
export async function startApiServer(options: GatewayOptions = {}): Promise<ApiServer> {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-api-'));
    const backend = await openBackend({ dataDir, topology: 'zhelian', viaServer: false });
    await backend.lifecycle!.deploy({
        packageDir: CHAINCODE_DIR,
        name: 'zhelian',
        collections: path.join(CHAINCODE_DIR, 'collections_config.json'),
    });
    const gateway = await startGateway(backend, {
        port: 0,
        logger: pino({ level: process.env.ZHELIAN_TEST_LOG ?? 'silent' }),
        webRoot: false,
        ...options,
    });
    await gateway.chaincodeReady;
    return {
        url: gateway.url,
        backend,
        gateway,
        async close() {
            if (!gateway.closing) {
                await gateway.close();
            }
            await backend.close();
            await rm(dataDir, { recursive: true, force: true });
        },
    };
}
