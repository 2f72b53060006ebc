import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import * as fabricGateway from '@hyperledger/fabric-gateway';
import { gateway, peer } from '@hyperledger/fabric-protos';
import {
    type BackendConfig,
    type ChaincodeInfo,
    type EnrollOptions,
    ErrorCode,
    type Gateway,
    type IdentityInfo,
    type IdentityRef,
    type LedgerBackend,
    type NetworkInfo,
    ZhelianError,
} from '@zhelian/api';
import { GatewayImpl } from './client/gateway';
import { PeerHeights } from './client/peer-heights';
import {
    defaultConnectionFile,
    type FabricConnection,
    type OrganizationConnection,
    readConnection,
} from './connection';
import { FabricExplorer } from './explorer/explorer';
import { FabricLifecycle } from './lifecycle/lifecycle';
import { EnrollmentIssuer } from './msp/enrollment-issuer';
import { checkIdentityName, duplicate, Wallet } from './msp/wallet';

/** Deadlines for the gateway's calls: a stopped peer fails a call instead of hanging it. */
const DEADLINES_MS = { evaluate: 30_000, endorse: 60_000, submit: 30_000, commitStatus: 120_000 };

/**
 * Opens the Fabric network a connection description names (`config.connection`, else
 * `ZHELIAN_FABRIC_CONNECTION`, else `.fabric/connection.json`, which `npm run network:up` writes).
 *
 * ```ts
 * const backend = await openBackend({ network: 'fabric' }); // through @zhelian/api
 * ```
 */
export async function openBackend(config: BackendConfig = {}): Promise<LedgerBackend> {
    const file = config.connection ?? defaultConnectionFile();
    const backend = new FabricBackend(file, await readConnection(file), { ownWallet: config.wallet });
    try {
        await backend.refreshChaincodes();
    } catch (err) {
        await backend.close();
        throw err;
    }
    return backend;
}

/**
 * A real Fabric network as a {@link LedgerBackend}: clients are `@hyperledger/fabric-gateway`
 * connections to each organization's own peer (its gateway service plans endorsement and
 * ordering), wrapped so that errors are Zhelian's; identities come from the network's wallet and
 * new ones are issued from the organization's CA key.
 */
export class FabricBackend implements LedgerBackend {
    readonly kind = 'fabric' as const;
    readonly explorer: FabricExplorer;
    readonly lifecycle: FabricLifecycle;
    readonly #file: string;
    readonly #connection: FabricConnection;
    readonly #wallet: Wallet;
    readonly #clients = new Map<string, grpc.Client>();
    readonly #adminGateways = new Map<string, Promise<fabricGateway.Gateway>>();
    readonly #opened = new Set<fabricGateway.Gateway>();
    readonly #peerHeights: PeerHeights;
    #chaincodes: ChaincodeInfo[] = [];

    /** `ownWallet`: where this client's enrollments go, looked up before the network's wallet. */
    constructor(file: string, connection: FabricConnection, options: { ownWallet?: string } = {}) {
        this.#file = file;
        this.#connection = connection;
        this.#wallet = new Wallet(connection.wallet, options.ownWallet);
        const [firstOrg] = connection.organizations;
        this.#peerHeights = new PeerHeights(
            connection.organizations.map((org) => org.mspId),
            (mspId) => this.#adminGateway(mspId),
            connection.channel,
        );
        this.explorer = new FabricExplorer(() => this.#adminGateway(firstOrg.mspId), connection.channel);
        this.lifecycle = new FabricLifecycle(
            connection,
            {
                adminGateway: (mspId) => this.#adminGateway(mspId),
                processProposal: (mspId, signed) => this.#processProposal(mspId, signed),
                committedEverywhere: (blockNumber) => this.#peerHeights.committedEverywhere(blockNumber),
            },
            () => this.refreshChaincodes(),
        );
    }

    describe(): NetworkInfo {
        return {
            kind: 'fabric',
            location: this.#file,
            channel: this.#connection.channel,
            stateDatabase: this.#connection.stateDatabase ?? 'leveldb',
            organizations: this.#connection.organizations.map((org) => ({
                mspId: org.mspId,
                name: org.name,
                peers: org.peers.map((p) => p.name),
            })),
            orderers: this.#connection.ordering.orderers.map((o) => o.name),
            chaincodes: this.#chaincodes,
        };
    }

    /** Reads the channel's committed chaincode definitions again, for {@link describe}. */
    async refreshChaincodes(): Promise<void> {
        this.#chaincodes = (await this.lifecycle.queryCommitted()).map(
            ({ name, sequence, version, policy, collections }) => ({ name, sequence, version, policy, collections }),
        );
    }

    identities(): Promise<IdentityInfo[]> {
        return this.#wallet.list();
    }

    async enroll(mspId: string, name: string, options: EnrollOptions = {}): Promise<IdentityInfo> {
        const org = this.#organization(mspId);
        checkIdentityName(name);
        if (await this.#wallet.has({ mspId, name })) {
            throw duplicate({ mspId, name });
        }
        const role = options.role ?? 'client';
        const attrs = options.attrs ?? {};
        const issuer = await EnrollmentIssuer.load(org.ca.certificate, org.ca.privateKey);
        await this.#wallet.add({ mspId, name }, await issuer.issue({ name, role, attrs }));
        return { mspId, name, role, attrs };
    }

    async connect(identity: IdentityRef): Promise<Gateway> {
        return new GatewayImpl(await this.#openGateway(identity), (blockNumber) =>
            this.#peerHeights.committedEverywhere(blockNumber),
        );
    }

    async close(): Promise<void> {
        this.#peerHeights.close();
        for (const gateway of this.#opened) {
            gateway.close();
        }
        this.#opened.clear();
        this.#adminGateways.clear();
        for (const client of this.#clients.values()) {
            client.close();
        }
        this.#clients.clear();
    }

    async #openGateway(identity: IdentityRef): Promise<fabricGateway.Gateway> {
        this.#organization(identity.mspId);
        const { certificate, privateKey } = await this.#wallet.credentials(identity);
        const gateway = fabricGateway.connect({
            client: await this.#client(identity.mspId),
            identity: { mspId: identity.mspId, credentials: Buffer.from(certificate) },
            signer: fabricGateway.signers.newPrivateKeySigner(createPrivateKey(privateKey)),
            hash: fabricGateway.hash.sha256,
            evaluateOptions: () => ({ deadline: Date.now() + DEADLINES_MS.evaluate }),
            endorseOptions: () => ({ deadline: Date.now() + DEADLINES_MS.endorse }),
            submitOptions: () => ({ deadline: Date.now() + DEADLINES_MS.submit }),
            commitStatusOptions: () => ({ deadline: Date.now() + DEADLINES_MS.commitStatus }),
        });
        this.#opened.add(gateway);
        const close = gateway.close.bind(gateway);
        gateway.close = () => {
            this.#opened.delete(gateway);
            close();
        };
        return gateway;
    }

    /** The organization's admin, on its own peer: lifecycle steps and reading blocks. */
    #adminGateway(mspId: string): Promise<fabricGateway.Gateway> {
        let gateway = this.#adminGateways.get(mspId);
        if (!gateway) {
            gateway = this.#openGateway({ mspId, name: 'admin' });
            gateway.catch(() => this.#adminGateways.delete(mspId));
            this.#adminGateways.set(mspId, gateway);
        }
        return gateway;
    }

    /** One gRPC connection per organization's peer, shared by every gateway acting in that organization. */
    async #client(mspId: string): Promise<grpc.Client> {
        const existing = this.#clients.get(mspId);
        if (existing) {
            return existing;
        }
        const [endpoint] = this.#organization(mspId).peers;
        const rootCert = await readFile(endpoint.tlsRootCert);
        const client = new grpc.Client(
            endpoint.address,
            grpc.credentials.createSsl(rootCert),
            serverNameOptions(endpoint.address),
        );
        this.#clients.set(mspId, client);
        return client;
    }

    async #processProposal(mspId: string, proposal: fabricGateway.Proposal): Promise<peer.ProposalResponse> {
        const signed = gateway.ProposedTransaction.deserializeBinary(proposal.getBytes()).getProposal();
        if (!signed) {
            throw new ZhelianError(ErrorCode.GATEWAY_FAILED, `Could not build the proposal for ${mspId}'s peer`);
        }
        const { privateKey } = await this.#wallet.credentials({ mspId, name: 'admin' });
        signed.setSignature(
            await fabricGateway.signers.newPrivateKeySigner(createPrivateKey(privateKey))(proposal.getDigest()),
        );
        const client = await this.#client(mspId);
        const [endpoint] = this.#organization(mspId).peers;
        const endorser = new peer.EndorserClient(endpoint.address, grpc.credentials.createInsecure(), {
            channelOverride: client.getChannel(),
        });
        return new Promise((resolve, reject) => {
            endorser.processProposal(signed, { deadline: Date.now() + DEADLINES_MS.endorse }, (err, response) => {
                if (err || !response) {
                    reject(
                        new ZhelianError(
                            ErrorCode.GATEWAY_FAILED,
                            `${mspId}'s peer at ${endpoint.address}: ${err?.message ?? 'no response'}`,
                            { cause: err },
                        ),
                    );
                } else {
                    resolve(response);
                }
            });
        });
    }

    #organization(mspId: string): OrganizationConnection {
        const org = this.#connection.organizations.find((o) => o.mspId === mspId);
        if (!org) {
            throw new ZhelianError(
                ErrorCode.UNKNOWN_ORGANIZATION,
                `No organization with MSP ID "${mspId}" on this network`,
            );
        }
        return org;
    }
}

/**
 * TLS names no host by an IP address (RFC 6066): for a peer dialled at one, check its certificate
 * for `localhost`, which the native network's certificates name beside 127.0.0.1.
 */
function serverNameOptions(address: string): grpc.ChannelOptions {
    const host = address.slice(0, address.lastIndexOf(':')).replace(/^\[|\]$/g, '');
    return isIP(host) ? { 'grpc.ssl_target_name_override': 'localhost', 'grpc.default_authority': 'localhost' } : {};
}
