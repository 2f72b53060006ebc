import { Server, ServerCredentials } from '@grpc/grpc-js';
import { gateway, peer } from '@hyperledger/fabric-protos';
import type { PeerTls } from '../msp/peer-tls';
import { deliverService } from './deliver-server';
import { endorserService } from './endorser-server';
import { gatewayService } from './gateway-server';
import type { PeerContext } from './peer-context';

/** One organization's peer endpoint, as a Fabric client application is configured for it. */
export interface PeerEndpoint {
    mspId: string;
    /** Where to connect: `localhost:7051`. */
    endpoint: string;
    /** The TLS server name the certificate carries (fabric-gateway's `grpc.ssl_target_name_override`). */
    hostAlias: string;
    /** PEM of the organization's TLS CA, which a client trusts (`tls/ca.crt`). */
    tlsCACertificate: string;
}

/** Where one organization's peer listens. */
export interface PeerListener {
    context: PeerContext;
    tls: PeerTls;
    /** 0 picks a free port. */
    port: number;
}

/** Fabric's peer accepts and sends messages up to 100 MB (core.yaml `peer.maxRecvMsgSize`, `maxSendMsgSize`); gRPC's default is 4 MB. */
const MESSAGE_LIMITS = {
    'grpc.max_receive_message_length': 100 * 1024 * 1024,
    'grpc.max_send_message_length': 100 * 1024 * 1024,
};

/** How long open streams (events, blocks) may take to finish when the servers stop. */
const SHUTDOWN_GRACE_MS = 1000;

/**
 * The embedded peers as network endpoints: a gRPC server with TLS per organization, each serving
 * Fabric's `gateway.Gateway`, `protos.Deliver` and `protos.Endorser` services as that organization's peer — so an
 * unmodified `@hyperledger/fabric-gateway` application connects to it as to a Fabric peer.
 *
 * ```ts
 * const servers = await PeerServers.start(listeners, '127.0.0.1');
 * servers.endpoints(); // [{ mspId: 'Org1MSP', endpoint: 'localhost:7051', hostAlias: 'peer0.org1.example.com', … }]
 * await servers.close();
 * ```
 */
export class PeerServers {
    readonly #servers: Server[];
    readonly #endpoints: PeerEndpoint[];

    private constructor(servers: Server[], endpoints: PeerEndpoint[]) {
        this.#servers = servers;
        this.#endpoints = endpoints;
    }

    /** Starts one server per listener on `bind`; if one cannot listen, those started are stopped again. */
    static async start(listeners: readonly PeerListener[], bind: string): Promise<PeerServers> {
        const servers: Server[] = [];
        const endpoints: PeerEndpoint[] = [];
        try {
            for (const { context, tls, port } of listeners) {
                const server = new Server(MESSAGE_LIMITS);
                server.addService(gateway.GatewayService, gatewayService(context));
                server.addService(peer.DeliverService, deliverService(context));
                server.addService(peer.EndorserService, endorserService(context));
                servers.push(server);
                const credentials = ServerCredentials.createSsl(
                    null,
                    [{ cert_chain: Buffer.from(tls.certificate), private_key: Buffer.from(tls.privateKey) }],
                    false,
                );
                const bound = await bindServer(server, `${bind}:${port}`, credentials, context.mspId);
                endpoints.push({
                    mspId: context.mspId,
                    endpoint: `${bind === '127.0.0.1' || bind === '0.0.0.0' ? 'localhost' : bind}:${bound}`,
                    hostAlias: tls.hostName,
                    tlsCACertificate: tls.caCertificate,
                });
            }
        } catch (err) {
            servers.forEach((server) => server.forceShutdown());
            throw err;
        }
        return new PeerServers(servers, endpoints);
    }

    endpoints(): PeerEndpoint[] {
        return this.#endpoints.map((endpoint) => ({ ...endpoint }));
    }

    /** Stops accepting calls, lets running ones finish for a moment, then cancels what is left. */
    async close(): Promise<void> {
        await Promise.all(
            this.#servers.map(
                (server) =>
                    new Promise<void>((resolve) => {
                        const timer = setTimeout(() => {
                            server.forceShutdown();
                            resolve();
                        }, SHUTDOWN_GRACE_MS);
                        server.tryShutdown(() => {
                            clearTimeout(timer);
                            resolve();
                        });
                    }),
            ),
        );
    }
}

function bindServer(server: Server, address: string, credentials: ServerCredentials, mspId: string): Promise<number> {
    return new Promise((resolve, reject) =>
        server.bindAsync(address, credentials, (err, port) =>
            err
                ? reject(new Error(`${mspId}'s peer cannot listen on ${address}: ${err.message}`, { cause: err }))
                : resolve(port),
        ),
    );
}
