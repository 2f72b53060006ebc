import path from 'node:path';
import { parseArgs } from 'node:util';

/** How `npm start` serves, from its flags and the environment. */
export interface ServeOptions {
    host: string;
    port: number;
    /** Whether every non-public request needs a bearer token (default: when the host is not loopback). */
    tokens?: boolean;
    /** The lab's data dir: the embedded ledger's, and where the server names itself. */
    dataDir: string;
    /** Structured request logs on stdout instead of `<data dir>/logs/gateway.log`. */
    logToStdout: boolean;
    /** Also serve each organization's peer over Fabric's protocols (gRPC+TLS), as `zhelian serve` does. */
    fabric?: boolean;
}

export const USAGE = `usage: npm start [-- --port N] [-- --host ADDRESS] [-- --tokens] [-- --fabric]

  --port N        port to listen on (default ZHELIAN_PORT, else 8080; 0 picks a free one)
  --host ADDRESS  address to listen on (default ZHELIAN_HOST, else 127.0.0.1); any other
                  address than loopback asks every request for a bearer token
  --tokens        ask for bearer tokens on loopback too
  --fabric        also serve each organization's peer over Fabric's gRPC protocols, for
                  fabric-gateway applications (the topology's ports, crypto in <data dir>/organizations)
  ZHELIAN_DATA    data dir (default .zhelian); ZHELIAN_NETWORK picks the network
  ZHELIAN_LOG=stdout  request logs on stdout instead of <data dir>/logs/gateway.log
`;

function portOf(text: string): number {
    const port = Number(text);
    if (!/^\d+$/.test(text) || port > 65_535) {
        throw new Error(`--port must be a number from 0 to 65535, not ${JSON.stringify(text)}`);
    }
    return port;
}

/** The options, or `undefined` when `--help` asked for the usage. */
export function serveOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): ServeOptions | undefined {
    const { values } = parseArgs({
        args: argv,
        options: {
            port: { type: 'string' },
            host: { type: 'string' },
            tokens: { type: 'boolean' },
            fabric: { type: 'boolean' },
            help: { type: 'boolean', short: 'h' },
        },
        strict: true,
    });
    if (values.help) {
        return undefined;
    }
    return {
        host: values.host ?? env.ZHELIAN_HOST ?? '127.0.0.1',
        port: portOf(values.port ?? env.ZHELIAN_PORT ?? '8080'),
        ...(values.tokens ? { tokens: true } : {}),
        ...(values.fabric ? { fabric: true } : {}),
        dataDir: path.resolve(env.ZHELIAN_DATA ?? '.zhelian'),
        logToStdout: env.ZHELIAN_LOG === 'stdout',
    };
}
