import { readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { describeEvidenceClient } from './evidence-client';

/**
 * The same application on the Fabric network of native binaries (`npm run network:up`), found
 * through the connection description it writes (`.fabric/connection.json`, or
 * `ZHELIAN_FABRIC_CONNECTION`): each organization's peer, its TLS CA, and the users' certificates
 * and keys in its wallet. Skipped when no network is up.
 */
interface NativeConnection {
    channel: string;
    wallet: string;
    organizations: { mspId: string; peers: { name: string; address: string; tlsRootCert: string }[] }[];
}

const file = path.resolve(
    process.env.ZHELIAN_FABRIC_CONNECTION ?? path.join(__dirname, '..', '..', '.fabric', 'connection.json'),
);

async function readConnection(): Promise<NativeConnection | undefined> {
    try {
        return JSON.parse(await readFile(file, 'utf8')) as NativeConnection;
    } catch {
        return undefined;
    }
}

function isListening(address: string): Promise<boolean> {
    const at = address.lastIndexOf(':');
    return new Promise((resolve) => {
        const socket = net.connect({ host: address.slice(0, at), port: Number(address.slice(at + 1)), timeout: 1000 });
        const answer = (up: boolean) => {
            socket.destroy();
            resolve(up);
        };
        socket.once('connect', () => answer(true));
        socket.once('error', () => answer(false));
        socket.once('timeout', () => answer(false));
    });
}

describeEvidenceClient('native Fabric', async () => {
    const connection = await readConnection();
    const listening = connection
        ? await Promise.all(connection.organizations.map((org) => isListening(org.peers[0].address)))
        : [];
    if (!connection || !listening.every(Boolean)) {
        return `no Fabric network is up: ${file} names no listening peers (npm run network:up)`;
    }
    const base = path.dirname(file);
    return {
        channel: connection.channel,
        chaincode: 'zhelian',
        peer(mspId) {
            const peer = connection.organizations.find((org) => org.mspId === mspId)!.peers[0];
            return { endpoint: peer.address, hostAlias: peer.name, tlsCertPath: path.resolve(base, peer.tlsRootCert) };
        },
        user(mspId, name) {
            const dir = path.resolve(base, connection.wallet, mspId, name);
            return { mspId, certPath: path.join(dir, 'cert.pem'), keyPath: path.join(dir, 'key.pem') };
        },
        async close() {},
    };
});
