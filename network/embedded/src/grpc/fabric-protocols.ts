import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ExportedOrganizations, FabricProtocols, PeerEndpoint, ServeOptions } from '@zhelian/api';
import type { CollectionDefinition } from '../ledger/collections';
import type { LedgerStore } from '../ledger/store';
import type { Membership } from '../msp';
import { writeCryptogenOrganization } from '../msp/cryptogen-layout';
import { openPeerTls } from '../msp/peer-tls';
import type { Deliver } from '../peer/deliver';
import type { GatewayService } from '../peer/gateway-service';
import { peerAddress } from '../peer/peer-signer';
import { DEFAULT_PROPOSAL_TIME_WINDOW_MS } from '../peer/time-window';
import type { Topology } from '../topology';
import { connectionProfile } from './connection-profile';
import { writeFabricConnection } from './fabric-connection';
import { PeerServers } from './peer-servers';

/** The parts of an open ledger its peer endpoints serve from. */
export interface ServedLedger {
    topology: Topology;
    /** The data dir's MSP directory: CAs, peers, users, and the peers' TLS material. */
    mspDir: string;
    store: LedgerStore;
    membership: Membership;
    service: GatewayService;
    deliver: Deliver;
    collections(namespace: string): ReadonlyMap<string, CollectionDefinition>;
}

/**
 * The embedded ledger's {@link FabricProtocols}: its organizations' peers as gRPC+TLS endpoints
 * (`grpc/peer-servers.ts`) on the topology's ports (`peerPort`, default 7051 + 10 × the
 * organization's place), and the organizations' crypto material in cryptogen's layout with a
 * connection profile each.
 *
 * ```ts
 * const protocols = new LedgerProtocols(served);
 * await protocols.serve({ ports: { Org1MSP: 0, Org2MSP: 0 } });
 * await protocols.close();
 * ```
 */
export class LedgerProtocols implements FabricProtocols {
    readonly #ledger: ServedLedger;
    #servers: Promise<PeerServers> | undefined;
    #started: PeerServers | undefined;

    constructor(ledger: ServedLedger) {
        this.#ledger = ledger;
    }

    async serve(options: ServeOptions = {}): Promise<PeerEndpoint[]> {
        this.#servers ??= this.#start(options).catch((err: unknown) => {
            this.#servers = undefined;
            throw err;
        });
        return (await this.#servers).endpoints();
    }

    endpoints(): PeerEndpoint[] {
        return this.#started?.endpoints() ?? [];
    }

    async exportOrganizations(directory: string): Promise<ExportedOrganizations> {
        const { topology, mspDir } = this.#ledger;
        const out = path.resolve(directory);
        const organizations: ExportedOrganizations['organizations'] = [];
        const endpoints: PeerEndpoint[] = [];
        for (const [index, org] of topology.orgs.entries()) {
            const tls = await openPeerTls(mspDir, org.mspId);
            const written = await writeCryptogenOrganization(mspDir, org.mspId, tls, out);
            const endpoint = this.endpoints().find((served) => served.mspId === org.mspId) ?? {
                mspId: org.mspId,
                endpoint: `localhost:${peerPort(topology, index)}`,
                hostAlias: tls.hostName,
                tlsCACertificate: tls.caCertificate,
            };
            endpoints.push(endpoint);
            const profileFile = path.join(written.path, `connection-${written.domain.split('.')[0]}.json`);
            const profile = connectionProfile(topology.name, org.mspId, endpoint);
            await writeFile(profileFile, `${JSON.stringify(profile, null, 4)}\n`);
            organizations.push({ ...written, connectionProfile: profileFile });
        }
        const exported = { directory: out, organizations };
        const fabricConnection = await writeFabricConnection(exported, endpoints, {
            channel: topology.channel,
            defaultPolicy: topology.defaultPolicy,
            stateDatabase: topology.stateDatabase ?? 'leveldb',
            mspDir,
        });
        return { ...exported, fabricConnection };
    }

    /** Stops serving; the ledger calls it before it closes. */
    async close(): Promise<void> {
        const servers = this.#servers;
        this.#servers = undefined;
        this.#started = undefined;
        await (await servers?.catch(() => undefined))?.close();
    }

    async #start(options: ServeOptions): Promise<PeerServers> {
        const ledger = this.#ledger;
        const { topology } = ledger;
        const listeners = await Promise.all(
            topology.orgs.map(async (org, index) => ({
                tls: await openPeerTls(ledger.mspDir, org.mspId, [
                    'localhost',
                    '127.0.0.1',
                    ...bindNames(options.bind),
                ]),
                port: options.ports?.[org.mspId] ?? peerPort(topology, index),
                context: {
                    mspId: org.mspId,
                    address: peerAddress(org.mspId),
                    channel: topology.channel,
                    service: ledger.service,
                    membership: ledger.membership,
                    store: ledger.store,
                    deliver: ledger.deliver,
                    timeWindowMs: topology.proposalTimeWindowMs ?? DEFAULT_PROPOSAL_TIME_WINDOW_MS,
                    collections: ledger.collections,
                },
            })),
        );
        this.#started = await PeerServers.start(listeners, options.bind ?? '127.0.0.1');
        return this.#started;
    }
}

/** An organization's peer port: the topology's, else 7051 + 10 × its place. */
function peerPort(topology: Topology, index: number): number {
    return topology.orgs[index].peerPort ?? 7051 + 10 * index;
}

/** A bind address other than the loopback and any-address is a name clients use: the TLS certificate covers it. */
function bindNames(bind: string | undefined): string[] {
    return bind && bind !== '127.0.0.1' && bind !== '0.0.0.0' && bind !== 'localhost' ? [bind] : [];
}
