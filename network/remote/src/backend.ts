import type {
    ApproveRequest,
    BlockInfo,
    ChainVerification,
    ChaincodeDefinitionRequest,
    ChaincodeLifecycle,
    ChaincodePackageInfo,
    CloseableAsyncIterable,
    CommitReadiness,
    CommittedChaincode,
    DeployedChaincode,
    DeployRequest,
    EnrollOptions,
    Explorer,
    Gateway,
    IdentityInfo,
    IdentityRef,
    InstalledChaincodeInfo,
    KeyModification,
    LedgerBackend,
    LedgerMaintenance,
    NetworkInfo,
    PackageRequest,
    RebuildReport,
    TamperReport,
    TransactionInfo,
    UndoTamperReport,
} from '@zhelian/api';
import path from 'node:path';
import { RemoteGateway } from './client';
import { openEventStream } from './event-stream';
import { blockOf, historyOf, transactionOf } from './json-form';
import type { ServerClient } from './server-client';

/** The explorer of the network the server serves, over its explorer routes and block stream. */
class RemoteExplorer implements Explorer {
    readonly #client: ServerClient;
    readonly verifyChain?: () => Promise<ChainVerification>;

    constructor(client: ServerClient, verifies: boolean) {
        this.#client = client;
        if (verifies) {
            this.verifyChain = () => this.#client.request<ChainVerification>('GET', '/api/explorer/verify');
        }
    }

    async getHeight(): Promise<number> {
        return (await this.#client.request<{ height: number }>('GET', '/api/explorer')).height;
    }

    async getBlock(blockNumber: number): Promise<BlockInfo | undefined> {
        const block = await this.#client.find<unknown>(`/api/explorer/blocks/${blockNumber}`, 'BLOCK_NOT_FOUND');
        return block === undefined ? undefined : blockOf(block);
    }

    async getTransaction(txId: string): Promise<TransactionInfo | undefined> {
        const transaction = await this.#client.find<unknown>(
            `/api/explorer/transactions/${encodeURIComponent(txId)}`,
            'TRANSACTION_NOT_FOUND',
        );
        return transaction === undefined ? undefined : transactionOf(transaction);
    }

    async getKeyHistory(chaincodeName: string, key: string): Promise<KeyModification[]> {
        const answer = await this.#client.request<{ history: unknown }>('GET', '/api/explorer/history', {
            query: { chaincode: chaincodeName, key },
        });
        return historyOf(answer.history);
    }

    getBlocks(options: { startBlock?: number } = {}): Promise<CloseableAsyncIterable<BlockInfo>> {
        return openEventStream(
            this.#client,
            '/api/events/blocks',
            { from: options.startBlock, detail: 'full' },
            'block',
            blockOf,
        );
    }
}

/** Paths go to the server as absolute paths: it runs on this machine, in another directory maybe. */
const absolute = <T extends { collections?: string }>(request: T): T => ({
    ...request,
    ...(request.collections ? { collections: path.resolve(request.collections) } : {}),
});

/** Fabric's lifecycle, step by step, on the server's network (the instructor's token is needed). */
class RemoteLifecycle implements ChaincodeLifecycle {
    readonly #client: ServerClient;
    readonly #changed: () => Promise<void>;

    constructor(client: ServerClient, changed: () => Promise<void>) {
        this.#client = client;
        this.#changed = changed;
    }

    package(request: PackageRequest): Promise<ChaincodePackageInfo> {
        return this.#client.request('POST', '/api/admin/lifecycle/package', {
            body: { ...request, packageDir: path.resolve(request.packageDir), file: path.resolve(request.file) },
        });
    }

    install(mspId: string, packageFile: string): Promise<InstalledChaincodeInfo> {
        return this.#client.request('POST', '/api/admin/lifecycle/install', {
            body: { mspId, packageFile: path.resolve(packageFile) },
        });
    }

    async queryInstalled(mspId: string): Promise<InstalledChaincodeInfo[]> {
        return (
            await this.#client.request<{ installed: InstalledChaincodeInfo[] }>(
                'GET',
                '/api/admin/lifecycle/installed',
                {
                    query: { mspId },
                },
            )
        ).installed;
    }

    async approve(mspId: string, definition: ApproveRequest): Promise<void> {
        await this.#client.request('POST', '/api/admin/lifecycle/approve', {
            body: { mspId, definition: absolute(definition) },
        });
    }

    checkCommitReadiness(definition: ChaincodeDefinitionRequest): Promise<CommitReadiness> {
        return this.#client.request('POST', '/api/admin/lifecycle/readiness', {
            body: { definition: absolute(definition) },
        });
    }

    async commit(definition: ChaincodeDefinitionRequest): Promise<CommittedChaincode> {
        const committed = await this.#client.request<CommittedChaincode>('POST', '/api/admin/lifecycle/commit', {
            body: { definition: absolute(definition) },
        });
        await this.#changed();
        return committed;
    }

    async queryCommitted(name?: string): Promise<CommittedChaincode[]> {
        return (
            await this.#client.request<{ committed: CommittedChaincode[] }>('GET', '/api/admin/lifecycle/committed', {
                query: { name },
            })
        ).committed;
    }

    async deploy(request: DeployRequest): Promise<DeployedChaincode> {
        const deployed = await this.#client.request<DeployedChaincode>('POST', '/api/admin/lifecycle/deploy', {
            body: { ...absolute(request), packageDir: path.resolve(request.packageDir) },
        });
        await this.#changed();
        return deployed;
    }
}

/**
 * A `LedgerBackend` over a running Zhelian gateway's HTTP API: identities, transactions,
 * explorer, events, lifecycle, rebuild and tampering all go through the server, which holds the network (for
 * the embedded ledger: its data dir) and the identities' keys.
 *
 * ```ts
 * const backend = await openBackend({ network: 'remote', url: 'http://127.0.0.1:8080', token });
 * const gateway = await backend.connect({ mspId: 'MemberMSP', name: 'zheyi' });
 * ```
 */
export class RemoteBackend implements LedgerBackend {
    readonly kind = 'remote' as const;
    readonly explorer: Explorer;
    readonly lifecycle?: ChaincodeLifecycle;
    readonly maintenance?: LedgerMaintenance;
    readonly #client: ServerClient;
    #network: NetworkInfo;

    private constructor(client: ServerClient, network: NetworkInfo) {
        this.#client = client;
        this.#network = network;
        // The server's backend decides what it can do; its kind tells which capabilities it has.
        const local = network.kind === 'embedded';
        this.explorer = new RemoteExplorer(client, local);
        this.lifecycle = new RemoteLifecycle(client, () => this.#refresh());
        if (local) {
            this.maintenance = {
                rebuild: () => this.#client.request<RebuildReport>('POST', '/api/admin/rebuild'),
                tamperBlock: (blockNumber) =>
                    this.#client.request<TamperReport>('POST', '/api/admin/tamper', { body: { blockNumber } }),
                undoTamper: () => this.#client.request<UndoTamperReport>('POST', '/api/admin/tamper/undo'),
                pendingTamper: async () =>
                    (await this.#client.request<{ pending: TamperReport | null }>('GET', '/api/admin/tamper'))
                        .pending ?? undefined,
            };
        }
    }

    static async open(client: ServerClient): Promise<RemoteBackend> {
        const { network } = await client.request<{ network: NetworkInfo }>('GET', '/api/explorer');
        return new RemoteBackend(client, network);
    }

    /** The server's URL. */
    get url(): string {
        return this.#client.url;
    }

    /** The network the server serves, as it described it at open (and after each lifecycle change). */
    describe(): NetworkInfo {
        return this.#network;
    }

    async identities(): Promise<IdentityInfo[]> {
        return (await this.#client.request<{ identities: IdentityInfo[] }>('GET', '/api/identities')).identities;
    }

    enroll(mspId: string, name: string, options: EnrollOptions = {}): Promise<IdentityInfo> {
        return this.#client.request('POST', '/api/identities', { body: { mspId, name, ...options } });
    }

    async connect(identity: IdentityRef): Promise<Gateway> {
        const me = await this.#client.request<{ mspId: string; certificate: string }>('GET', '/api/identities/me', {
            as: identity,
        });
        return new RemoteGateway(
            this.#client,
            { mspId: identity.mspId, name: identity.name },
            { mspId: me.mspId, credentials: new Uint8Array(Buffer.from(me.certificate, 'utf8')) },
            this.#network.channel,
        );
    }

    /** Nothing to release: each call was one request; streams are closed by whoever holds them. */
    async close(): Promise<void> {}

    async #refresh(): Promise<void> {
        this.#network = (await this.#client.request<{ network: NetworkInfo }>('GET', '/api/explorer')).network;
    }
}
