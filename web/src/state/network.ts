import { reactive } from 'vue';
import { api, unwrap, ApiFailure } from '../api/client';
import type { paths } from '../api/schema';
import { session } from './session';

type Health = paths['/api/health']['get']['responses'][200]['content']['application/json'];

export interface Organization {
    mspId: string;
    name: string;
    peers?: string[];
}

export interface Identity {
    mspId: string;
    name: string;
    role?: string;
    attrs?: Record<string, string>;
    /** A participant's own identity: the network's identity whose role it has (`MSP:user`). */
    actsFor?: string;
}

export interface ChaincodeDefinition {
    name: string;
    version?: string;
    sequence?: number;
    policy?: string;
    collections?: string[];
}

export interface BlockSummary {
    number: number;
    transactions: {
        txId: string;
        creator: string;
        function: string;
        validationCode: number;
        validationCodeName: string;
        event: string | null;
    }[];
}

/** What the UI knows of the gateway and its network, kept live by the block stream. */
export const network = reactive({
    /** `unknown` before the first answer, `down` when the gateway does not answer. */
    status: 'unknown' as 'unknown' | 'ok' | 'down' | 'locked',
    problem: '',
    kind: '',
    channel: '',
    height: null as number | null,
    chaincode: null as Health['chaincode'] | null,
    demo: null as { state: string; detail: string } | null,
    organizations: [] as Organization[],
    identities: [] as Identity[],
    chaincodes: [] as ChaincodeDefinition[],
    orderers: [] as string[],
    stateDatabase: '',
    /** The newest blocks seen on the stream, newest first. */
    recentBlocks: [] as BlockSummary[],
    /** Set when the server asks for tokens and this browser has none that works. */
    needsToken: false,
});

let stream: EventSource | undefined;
let retry: ReturnType<typeof setTimeout> | undefined;
const blockListeners = new Set<(block: BlockSummary) => void>();

/** Calls `listener` for each block committed from now on; returns how to stop. */
export function onBlock(listener: (block: BlockSummary) => void): () => void {
    blockListeners.add(listener);
    return () => blockListeners.delete(listener);
}

/** Reads health, identities and chaincodes; on failure marks the gateway down and tries again. */
export async function connect(): Promise<void> {
    clearTimeout(retry);
    try {
        const response = await fetch('/api/health');
        const health = (await response.json()) as Health & { problem?: string };
        network.kind = health.network?.kind ?? '';
        network.channel = health.network?.channel ?? '';
        network.height = health.height ?? null;
        network.chaincode = health.chaincode ?? null;
        const demo = (health.tasks as Record<string, { state: string; detail: string }> | undefined)?.demo;
        network.demo = demo ?? null;
        if (!response.ok) {
            network.status = 'down';
            network.problem = health.problem ?? health.status ?? String(response.status);
            retry = setTimeout(() => void connect(), 2000);
            return;
        }
    } catch (err) {
        network.status = 'down';
        network.problem = (err as Error).message;
        retry = setTimeout(() => void connect(), 2000);
        return;
    }
    try {
        const listed = await unwrap(api.GET('/api/identities'));
        network.organizations = (listed.organizations ?? []) as Organization[];
        network.identities = ((listed.identities ?? []) as Identity[]).filter((identity) => identity.role !== 'admin');
        network.needsToken = false;
        network.status = 'ok';
    } catch (err) {
        if (err instanceof ApiFailure && (err.status === 401 || err.status === 403)) {
            network.needsToken = true;
            network.status = 'locked';
            return;
        }
        throw err;
    }
    void loadNetwork();
    openStream();
}

/** The topology for the network picture: peers per organization, orderers, chaincodes. */
async function loadNetwork(): Promise<void> {
    const info = (await unwrap(api.GET('/api/explorer'))) as {
        network?: {
            organizations?: Organization[];
            orderers?: string[];
            chaincodes?: ChaincodeDefinition[];
            stateDatabase?: string;
        };
        height?: number;
    };
    network.organizations = info.network?.organizations ?? network.organizations;
    network.orderers = info.network?.orderers ?? [];
    network.chaincodes = info.network?.chaincodes ?? [];
    network.stateDatabase = info.network?.stateDatabase ?? '';
}

function openStream(): void {
    stream?.close();
    const token = session.token ? `?access_token=${encodeURIComponent(session.token)}` : '';
    stream = new EventSource(`/api/events/blocks${token}`);
    stream.addEventListener('block', (message) => {
        const block = JSON.parse((message as MessageEvent<string>).data) as BlockSummary;
        network.height = Math.max(network.height ?? 0, block.number + 1);
        network.recentBlocks = [block, ...network.recentBlocks].slice(0, 8);
        blockListeners.forEach((listener) => listener(block));
    });
    // EventSource reconnects by itself; whether the gateway is gone, the health route tells.
    stream.onerror = () => void probe();
}

/** Marks the gateway down (and keeps trying to connect) when its health route does not answer. */
async function probe(): Promise<void> {
    try {
        const response = await fetch('/api/health');
        if (response.ok) {
            return;
        }
    } catch {
        // Not answering at all: down.
    }
    if (network.status !== 'down') {
        network.status = 'down';
        network.problem = 'the gateway stopped answering';
        stream?.close();
        retry = setTimeout(() => void connect(), 2000);
    }
}

/** Closes the block stream (before the page unloads, so the server is not left waiting). */
export function disconnect(): void {
    stream?.close();
    stream = undefined;
    clearTimeout(retry);
}

export const identityKey = (identity: Identity): string => `${identity.mspId}:${identity.name}`;

/**
 * The identity to act as for a step's role (`MSP:user`): the role itself, or, with a participant's
 * token, the participant's own identity that has that role; undefined when the token has none.
 */
export function identityFor(role: string): string | undefined {
    if (session.tokenKind !== 'participant') {
        return role;
    }
    const own = network.identities.find((identity) => identity.actsFor === role || identityKey(identity) === role);
    return own ? identityKey(own) : undefined;
}

/** A unit or a name, to show an identity to people. */
export function identityLabel(key: string): string {
    const identity = network.identities.find((candidate) => identityKey(candidate) === key);
    return identity?.attrs?.unit ? `${identity.attrs.unit} · ${identity.name}` : key;
}
