import path from 'node:path';
import type { RunDir } from './paths';
import { BUILDER_DIR } from './paths';
import type { PortPlan } from './ports';
import type { NativeOrg } from './topology';

/** How the channel's blocks are ordered: one Raft node, or BFT with one orderer per organization. */
export type Ordering = 'etcdraft' | 'BFT';

/** An ordering node: its organization (as crypto-config.yaml names it) and its place in the port plan. */
export interface OrdererNode {
    /** Position in the port plan (and, plus one, the BFT consenter ID). */
    index: number;
    /** `orderer0.orderer.zhelian.local`: the node's host name in its certificates. */
    name: string;
    domain: string;
    mspId: string;
    /** Its pid file, log and Docker service: `orderer0`, or `orderer-regulator` under BFT. */
    processName: string;
}

/**
 * The ordering nodes: Raft has one, of the ordering organization `OrdererMSP`; BFT has one per
 * organization, each of its own ordering organization (`RegulatorOrdererMSP`, …), four nodes
 * tolerating one faulty.
 */
export function ordererNodes(ordering: Ordering, orgs: NativeOrg[]): OrdererNode[] {
    if (ordering === 'etcdraft') {
        const domain = 'orderer.zhelian.local';
        return [{ index: 0, name: `orderer0.${domain}`, domain, mspId: 'OrdererMSP', processName: 'orderer0' }];
    }
    return orgs.map((org, index) => {
        const domain = `orderer.${org.domain}`;
        return {
            index,
            name: `orderer0.${domain}`,
            domain,
            mspId: org.mspId.replace(/MSP$/, 'OrdererMSP'),
            processName: `orderer-${org.key.toLowerCase()}`,
        };
    });
}

/** Logging, and the run dir's config/ with core.yaml and orderer.yaml for the network's Fabric version. */
function fabricEnv(run: RunDir): NodeEnv {
    return { FABRIC_LOGGING_SPEC: 'info:grpc=error:gossip=warning', FABRIC_CFG_PATH: run.config };
}

/** Where cryptogen put an organization's files. */
export function orgCrypto(run: RunDir, org: NativeOrg) {
    const root = path.join(run.crypto, 'peerOrganizations', org.domain);
    const peer = path.join(root, 'peers', org.peerName);
    return {
        root,
        msp: path.join(root, 'msp'),
        caCert: path.join(root, 'ca', `ca.${org.domain}-cert.pem`),
        caKey: path.join(root, 'ca', 'priv_sk'),
        tlsCaCert: path.join(root, 'tlsca', `tlsca.${org.domain}-cert.pem`),
        peerMsp: path.join(peer, 'msp'),
        peerTls: path.join(peer, 'tls'),
        adminMsp: path.join(root, 'users', `Admin@${org.domain}`, 'msp'),
    };
}

export function ordererCrypto(run: RunDir, orderer: OrdererNode) {
    const root = path.join(run.crypto, 'ordererOrganizations', orderer.domain);
    const node = path.join(root, 'orderers', orderer.name);
    const admin = path.join(root, 'users', `Admin@${orderer.domain}`);
    return {
        msp: path.join(node, 'msp'),
        signCert: path.join(node, 'msp', 'signcerts', `${orderer.name}-cert.pem`),
        tls: path.join(node, 'tls'),
        tlsCaCert: path.join(root, 'tlsca', `tlsca.${orderer.domain}-cert.pem`),
        adminTlsCert: path.join(admin, 'tls', 'client.crt'),
        adminTlsKey: path.join(admin, 'tls', 'client.key'),
    };
}

/** Environment variables a node adds to its process's: what differs from our config files. */
export type NodeEnv = Record<string, string>;

/** The orderer's environment: orderer.yaml's per-node values. */
export function ordererEnv(run: RunDir, orderer: OrdererNode, ports: PortPlan): NodeEnv {
    const crypto = ordererCrypto(run, orderer);
    const own = ports.orderers[orderer.index];
    const ledger = run.nodeDir(orderer.name);
    return {
        ...fabricEnv(run),
        ORDERER_GENERAL_LISTENPORT: String(own.listen),
        ORDERER_GENERAL_LOCALMSPID: orderer.mspId,
        ORDERER_GENERAL_LOCALMSPDIR: crypto.msp,
        ORDERER_GENERAL_TLS_PRIVATEKEY: path.join(crypto.tls, 'server.key'),
        ORDERER_GENERAL_TLS_CERTIFICATE: path.join(crypto.tls, 'server.crt'),
        ORDERER_GENERAL_TLS_ROOTCAS: `[${path.join(crypto.tls, 'ca.crt')}]`,
        ORDERER_ADMIN_LISTENADDRESS: `127.0.0.1:${own.admin}`,
        ORDERER_ADMIN_TLS_PRIVATEKEY: path.join(crypto.tls, 'server.key'),
        ORDERER_ADMIN_TLS_CERTIFICATE: path.join(crypto.tls, 'server.crt'),
        ORDERER_ADMIN_TLS_CLIENTROOTCAS: `[${path.join(crypto.tls, 'ca.crt')}]`,
        ORDERER_OPERATIONS_LISTENADDRESS: `127.0.0.1:${own.operations}`,
        // The operations endpoint's metrics tell `up` when the channel has a leader.
        ORDERER_METRICS_PROVIDER: 'prometheus',
        ORDERER_FILELEDGER_LOCATION: path.join(ledger, 'ledger'),
        ORDERER_CONSENSUS_WALDIR: path.join(ledger, 'etcdraft', 'wal'),
        ORDERER_CONSENSUS_SNAPDIR: path.join(ledger, 'etcdraft', 'snapshot'),
    };
}

/** A peer's environment: core.yaml's per-peer values. */
export function peerEnv(run: RunDir, org: NativeOrg, ports: PortPlan): NodeEnv {
    const crypto = orgCrypto(run, org);
    const own = ports.peers[org.mspId];
    const address = `127.0.0.1:${own.listen}`;
    const ledger = run.nodeDir(org.peerName);
    return {
        ...fabricEnv(run),
        CORE_PEER_ID: org.peerName,
        CORE_PEER_LISTENADDRESS: address,
        CORE_PEER_ADDRESS: address,
        CORE_PEER_CHAINCODELISTENADDRESS: `127.0.0.1:${own.chaincode}`,
        CORE_PEER_GOSSIP_BOOTSTRAP: address,
        CORE_PEER_GOSSIP_EXTERNALENDPOINT: address,
        CORE_PEER_LOCALMSPID: org.mspId,
        CORE_PEER_MSPCONFIGPATH: crypto.peerMsp,
        CORE_PEER_TLS_CERT_FILE: path.join(crypto.peerTls, 'server.crt'),
        CORE_PEER_TLS_KEY_FILE: path.join(crypto.peerTls, 'server.key'),
        CORE_PEER_TLS_ROOTCERT_FILE: path.join(crypto.peerTls, 'ca.crt'),
        CORE_PEER_FILESYSTEMPATH: path.join(ledger, 'ledger'),
        CORE_LEDGER_SNAPSHOTS_ROOTDIR: path.join(ledger, 'snapshots'),
        CORE_OPERATIONS_LISTENADDRESS: `127.0.0.1:${own.operations}`,
        CORE_CHAINCODE_EXTERNALBUILDERS: JSON.stringify([{ name: 'zhelian-ccaas', path: BUILDER_DIR }]),
    };
}

/** The peer CLI acting as an organization's admin on its own peer. */
export function peerAdminEnv(run: RunDir, org: NativeOrg, ports: PortPlan): NodeJS.ProcessEnv {
    const crypto = orgCrypto(run, org);
    return {
        ...process.env,
        ...fabricEnv(run),
        FABRIC_LOGGING_SPEC: 'warning:grpc=error',
        CORE_PEER_LOCALMSPID: org.mspId,
        CORE_PEER_MSPCONFIGPATH: crypto.adminMsp,
        CORE_PEER_ADDRESS: `127.0.0.1:${ports.peers[org.mspId].listen}`,
        CORE_PEER_TLS_ENABLED: 'true',
        CORE_PEER_TLS_ROOTCERT_FILE: path.join(crypto.peerTls, 'ca.crt'),
    };
}
