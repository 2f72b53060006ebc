import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from './paths';

/** A user of the zhelian topology: the names the scenario suites act as (`MemberMSP:zheyi`). */
export interface TopologyUser {
    name: string;
    role?: 'admin' | 'client';
    attrs?: Record<string, string>;
}

export interface TopologyOrg {
    mspId: string;
    name: string;
    users: TopologyUser[];
}

/** The organizations the native network runs, in the zhelian topology's order. */
export interface NativeOrg extends TopologyOrg {
    /** `regulator.zhelian.local`: as crypto-config.yaml names it. */
    domain: string;
    /** `REGULATOR`, for configtx.yaml's `${PEER_PORT_REGULATOR}`. */
    key: string;
    peerName: string;
}

/**
 * The embedded ledger's zhelian topology (`network/embedded/topologies/zhelian.json`): the same
 * organizations, users and attributes on both backends, read from the one file.
 */
export async function zhelianTopology(): Promise<{ channel: string; defaultPolicy: string; orgs: NativeOrg[] }> {
    const file = path.join(REPO_ROOT, 'network', 'embedded', 'topologies', 'zhelian.json');
    const topology = JSON.parse(await readFile(file, 'utf8')) as {
        channel: string;
        defaultPolicy: string;
        orgs: TopologyOrg[];
    };
    return {
        channel: topology.channel,
        defaultPolicy: topology.defaultPolicy,
        orgs: topology.orgs.map((org) => {
            const label = org.mspId.replace(/MSP$/, '').toLowerCase();
            const domain = `${label}.zhelian.local`;
            return { ...org, domain, key: label.toUpperCase(), peerName: `peer0.${domain}` };
        }),
    };
}
