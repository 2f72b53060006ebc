import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode, ZhelianError } from '@zhelian/api';

/**
 * The connection description a Fabric network's scripts write (`npm run network:up` writes
 * `.fabric/connection.json`) and this backend reads: where the peers and orderers listen, the TLS
 * roots to trust, each organization's CA (to issue participants' certificates), the wallet of
 * identities, and the chaincode servers the network runs. Paths are relative to the file.
 *
 * ```json
 * { "format": 1, "channel": "zhelian", "organizations": [{ "mspId": "RegulatorMSP", "peers": [{ "address": "127.0.0.1:8051", … }] }], … }
 * ```
 */
export interface FabricConnection {
    format: 1;
    /** How the network runs: native binaries on this machine, or Docker containers. */
    runtime: 'native' | 'docker';
    fabricVersion: string;
    /** The peers' state database; absent in descriptions written before it was recorded: LevelDB. */
    stateDatabase?: 'leveldb' | 'couchdb';
    channel: string;
    /** The channel's default chaincode endorsement policy, as the zhelian topology's. */
    defaultPolicy: string;
    ordering: { type: 'etcdraft' | 'BFT'; orderers: NodeEndpoint[] };
    organizations: OrganizationConnection[];
    /** Directory of identities: `<mspId>/<name>/cert.pem` and `key.pem`. */
    wallet: string;
    /** Chaincode servers (chaincode as a service) and the install package each one answers for. */
    chaincodeServers: ChaincodeServer[];
}

export interface NodeEndpoint {
    name: string;
    /** `host:port` as a client dials it. */
    address: string;
    /** PEM file of the TLS root that signed the node's certificate. */
    tlsRootCert: string;
}

export interface OrganizationConnection {
    mspId: string;
    /** A human name (the topology's, may be Chinese). */
    name: string;
    domain: string;
    peers: NodeEndpoint[];
    /** The organization's CA: certificate and private key (PEM files), to enroll participants. */
    ca: { certificate: string; privateKey: string };
}

/**
 * A chaincode server: one process running a chaincode package, which peers dial. One server may
 * serve every organization's peer, or each organization may run its own (`mspId`): then each
 * organization installs and approves its own package, and `getMspID()` answers per organization.
 */
export interface ChaincodeServer {
    /** The one organization whose peer dials this server; absent when every peer does. */
    mspId?: string;
    /** The chaincode package directory the server runs (absolute). */
    packageDir: string;
    /** The install package's label: part of its package id. */
    label: string;
    /** `label:hash`, the id the server registers with and the peers launch. */
    packageId: string;
    /** The chaincode-as-a-service install package (`.tar.gz`). */
    packageFile: string;
    /** Where the peers dial the server. */
    address: string;
}

/** `.fabric/connection.json` in the working directory, or `ZHELIAN_FABRIC_CONNECTION`. */
export function defaultConnectionFile(env: NodeJS.ProcessEnv = process.env): string {
    if (env.ZHELIAN_FABRIC_CONNECTION) {
        return path.resolve(env.ZHELIAN_FABRIC_CONNECTION);
    }
    return path.resolve(env.ZHELIAN_FABRIC_DIR ?? '.fabric', 'connection.json');
}

/** Reads a connection description and makes its paths absolute. */
export async function readConnection(file: string): Promise<FabricConnection> {
    let parsed: FabricConnection;
    try {
        parsed = JSON.parse(await readFile(file, 'utf8')) as FabricConnection;
    } catch (err) {
        const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
        throw new ZhelianError(
            ErrorCode.INVALID_CONFIGURATION,
            missing
                ? `No Fabric network is described at ${file}: start one with \`npm run network:up\`, or set ZHELIAN_FABRIC_CONNECTION`
                : `${file} is not a Fabric connection description: ${(err as Error).message}`,
            { cause: err },
        );
    }
    if (parsed.format !== 1) {
        throw new ZhelianError(
            ErrorCode.INVALID_CONFIGURATION,
            `${file} has connection description format ${String(parsed.format)}; this backend reads format 1`,
        );
    }
    return resolvePaths(parsed, path.dirname(file));
}

function resolvePaths(connection: FabricConnection, dir: string): FabricConnection {
    const at = (file: string) => path.resolve(dir, file);
    const node = (endpoint: NodeEndpoint): NodeEndpoint => ({ ...endpoint, tlsRootCert: at(endpoint.tlsRootCert) });
    return {
        ...connection,
        ordering: { ...connection.ordering, orderers: connection.ordering.orderers.map(node) },
        organizations: connection.organizations.map((org) => ({
            ...org,
            peers: org.peers.map(node),
            ca: { certificate: at(org.ca.certificate), privateKey: at(org.ca.privateKey) },
        })),
        wallet: at(connection.wallet),
        chaincodeServers: connection.chaincodeServers.map((server) => ({
            ...server,
            packageDir: at(server.packageDir),
            packageFile: at(server.packageFile),
        })),
    };
}
