import net from 'node:net';
import { NativeNetworkError } from './errors';

/** Every port the network listens on, all on 127.0.0.1. */
export interface PortPlan {
    /** Orderer i at index i: one for Raft, one per organization for BFT. */
    orderers: { listen: number; admin: number; operations: number }[];
    /** By MSP ID. */
    peers: Record<string, { listen: number; chaincode: number; operations: number }>;
    /** The first chaincode server's port; the next ones follow. */
    chaincodeServers: number;
}

/**
 * The ports from a base (`ZHELIAN_FABRIC_PORT_BASE`, default 7050): orderer i at base + 10 i, +3
 * (admin), +4 (operations); peer i at base + 1001 + 10 i (+1 chaincode, +2 operations); chaincode
 * servers from base + 2000.
 */
export function planPorts(mspIds: string[], base: number, orderers = 1): PortPlan {
    return {
        orderers: Array.from({ length: orderers }, (_, i) => {
            const listen = base + 10 * i;
            return { listen, admin: listen + 3, operations: listen + 4 };
        }),
        peers: Object.fromEntries(
            mspIds.map((mspId, i) => {
                const listen = base + 1001 + 10 * i;
                return [mspId, { listen, chaincode: listen + 1, operations: listen + 2 }];
            }),
        ),
        chaincodeServers: base + 2000,
    };
}

/** Each port the plan uses, with what listens there, for messages. */
export function describePorts(plan: PortPlan): { port: number; use: string }[] {
    return [
        ...plan.orderers.flatMap((ports, i) => [
            { port: ports.listen, use: `orderer ${i}` },
            { port: ports.admin, use: `orderer ${i}'s channel participation API` },
            { port: ports.operations, use: `orderer ${i}'s operations endpoint` },
        ]),
        ...Object.entries(plan.peers).flatMap(([mspId, ports]) => [
            { port: ports.listen, use: `${mspId}'s peer` },
            { port: ports.chaincode, use: `${mspId}'s peer (chaincode listener)` },
            { port: ports.operations, use: `${mspId}'s peer (operations endpoint)` },
        ]),
    ];
}

/** Refuses to start when a port is taken, naming the port and what needed it. */
export async function checkPortsFree(ports: { port: number; use: string }[]): Promise<void> {
    const busy: string[] = [];
    for (const { port, use } of ports) {
        if (!(await isFree(port))) {
            busy.push(`127.0.0.1:${port} (for ${use})`);
        }
    }
    if (busy.length > 0) {
        throw new NativeNetworkError(
            `Port${busy.length > 1 ? 's' : ''} already in use: ${busy.join(', ')}. ` +
                'Stop what listens there (a network left running: `npm run network:down`), or move the whole ' +
                'network with ZHELIAN_FABRIC_PORT_BASE (default 7050).',
        );
    }
}

export function isFree(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const server = net.createServer();
        server.once('error', () => resolve(false));
        server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
    });
}

/** Waits until something accepts connections on the port. */
export async function waitForPort(port: number, what: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        const open = await new Promise<boolean>((resolve) => {
            const socket = net.connect({ host: '127.0.0.1', port }, () => {
                socket.destroy();
                resolve(true);
            });
            socket.once('error', () => resolve(false));
        });
        if (open) {
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new NativeNetworkError(`${what} did not listen on 127.0.0.1:${port} within ${timeoutMs / 1000} s`);
}
