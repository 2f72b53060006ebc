/*
 * A Fabric client application's connection code, as Fabric's samples write it
 * (asset-transfer-basic/application-gateway-typescript): it knows only @hyperledger/fabric-gateway,
 * gRPC and files of crypto material — nothing of Zhelian — so the same code runs against a Fabric
 * peer and against the embedded ledger.
 */
import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as grpc from '@grpc/grpc-js';
import { connect, type Gateway, hash, signers } from '@hyperledger/fabric-gateway';

/** Where a peer listens, and how to trust its TLS certificate. */
export interface PeerConfig {
    /** `host:port`, e.g. `localhost:7051`. */
    endpoint: string;
    /** The host name the peer's TLS certificate carries, e.g. `peer0.org1.example.com`. */
    hostAlias: string;
    /** PEM file of the TLS CA that issued the peer's certificate. */
    tlsCertPath: string;
}

/** A user's identity: MSP ID, certificate and private key files. */
export interface UserConfig {
    mspId: string;
    certPath: string;
    keyPath: string;
}

/** An open Gateway connection, and how to close it and its gRPC channel. */
export interface Connection {
    gateway: Gateway;
    close(): void;
}

export async function newConnection(peer: PeerConfig, user: UserConfig): Promise<Connection> {
    const tlsRootCert = await readFile(peer.tlsCertPath);
    const client = new grpc.Client(peer.endpoint, grpc.credentials.createSsl(tlsRootCert), {
        'grpc.ssl_target_name_override': peer.hostAlias,
    });
    const gateway = connect({
        client,
        identity: { mspId: user.mspId, credentials: await readFile(user.certPath) },
        signer: signers.newPrivateKeySigner(createPrivateKey(await readFile(user.keyPath))),
        hash: hash.sha256,
        // Default timeouts for the calls, as the samples set them.
        evaluateOptions: () => ({ deadline: Date.now() + 5_000 }),
        endorseOptions: () => ({ deadline: Date.now() + 15_000 }),
        submitOptions: () => ({ deadline: Date.now() + 5_000 }),
        commitStatusOptions: () => ({ deadline: Date.now() + 60_000 }),
    });
    return {
        gateway,
        close() {
            gateway.close();
            client.close();
        },
    };
}
