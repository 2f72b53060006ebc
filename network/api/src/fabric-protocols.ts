/** One organization's peer as a Fabric client application is configured for it. */
export interface PeerEndpoint {
    mspId: string;
    /** Where to connect, e.g. `localhost:7051`. */
    endpoint: string;
    /**
     * The host name in the peer's TLS certificate, e.g. `peer0.org1.example.com`: what
     * fabric-gateway samples pass as `grpc.ssl_target_name_override` when they connect to `localhost`.
     */
    hostAlias: string;
    /** PEM of the organization's TLS CA, which the client trusts (cryptogen's `tls/ca.crt`). */
    tlsCACertificate: string;
}

export interface ServeOptions {
    /** The address the peers listen on; default `127.0.0.1`. */
    bind?: string;
    /** Ports by MSP ID, overriding the topology's (0: any free port). */
    ports?: Record<string, number>;
}

/** What `exportOrganizations` wrote. */
export interface ExportedOrganizations {
    /** The directory holding `peerOrganizations/`. */
    directory: string;
    organizations: {
        mspId: string;
        /** The organization's domain, e.g. `org1.example.com`. */
        domain: string;
        /** Its directory in cryptogen's layout: `<directory>/peerOrganizations/<domain>`. */
        path: string;
        /** Its users' directories, by enrollment name: `users/User1@org1.example.com`. */
        users: Record<string, string>;
        /** The connection profile written for it (JSON), naming its peer's endpoint. */
        connectionProfile: string;
    }[];
    /**
     * The connection description `@zhelian/fabric` reads (`<directory>/connection.json`, with a
     * `wallet/`): `ZHELIAN_NETWORK=fabric ZHELIAN_FABRIC_CONNECTION=<it>` reaches the network through
     * its served peers.
     */
    fabricConnection?: string;
}

/**
 * Fabric's own protocols, where a backend can speak them itself (the embedded ledger): its
 * organizations' peers as gRPC+TLS endpoints serving Fabric's Gateway and Deliver services, so an
 * unmodified `@hyperledger/fabric-gateway` application connects to it as to Fabric's test network,
 * and the crypto material such an application reads, in cryptogen's layout.
 *
 * ```ts
 * if (backend.fabricProtocols) {
 *     const endpoints = await backend.fabricProtocols.serve();
 *     await backend.fabricProtocols.exportOrganizations('organizations');
 *     // point the application at endpoints[0].endpoint and organizations/peerOrganizations/…
 * }
 * ```
 */
export interface FabricProtocols {
    /** Starts serving (once; later calls return the running endpoints), until the backend closes. */
    serve(options?: ServeOptions): Promise<PeerEndpoint[]>;
    /** The endpoints being served; empty when not serving. */
    endpoints(): PeerEndpoint[];
    /**
     * Writes every organization's MSP, its peer's TLS CA and its users' signing certificates and
     * keys in cryptogen's layout under `directory/peerOrganizations/`, and a connection profile per
     * organization. Private keys are written: the directory is as secret as the data dir.
     */
    exportOrganizations(directory: string): Promise<ExportedOrganizations>;
}
