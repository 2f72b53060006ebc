import { type Ordering, ordererCrypto, ordererNodes, peerAdminEnv } from './nodes';
import { NativeNetworkError } from './errors';
import type { RunDir } from './paths';
import { waitForPort } from './ports';
import type { Progress } from './progress';
import type { NetworkState } from './state';
import { runTool } from './tools';
import type { NativeOrg } from './topology';

/**
 * Joins the orderers (osnadmin, the channel participation API) and each organization's peer (peer
 * channel join, as its admin) to the channel, once the ordering service has a leader. On a kept
 * network it asks first what is joined already, since an earlier `up` may have stopped half-way.
 */
export async function joinChannel(
    run: RunDir,
    state: NetworkState,
    orgs: NativeOrg[],
    fresh: boolean,
    progress: Progress,
) {
    const { ports } = state;
    const orderers = ordererNodes(state.ordering, orgs);
    const unjoined = await Promise.all(
        orderers.map(async (orderer) => {
            const crypto = ordererCrypto(run, orderer);
            const admin = ports.orderers[orderer.index].admin;
            await waitForPort(admin, orderer.name);
            const osnadminTls = [
                `--orderer-address=127.0.0.1:${admin}`,
                `--ca-file=${crypto.tlsCaCert}`,
                `--client-cert=${crypto.adminTlsCert}`,
                `--client-key=${crypto.adminTlsKey}`,
            ];
            // A kept network may have stopped half-way through an earlier `up`: ask what is joined.
            const joined =
                !fresh &&
                (await runTool(state.binDir, 'osnadmin', ['channel', 'list', ...osnadminTls])).includes(
                    `"${state.channel}"`,
                );
            return joined ? [] : [{ osnadminTls }];
        }),
    );
    const ordererJoins = unjoined.flat();
    if (ordererJoins.length > 0) {
        progress.step(
            `Joining ${ordererJoins.length === 1 ? 'the orderer' : `${ordererJoins.length} orderers`} to ${state.channel} (osnadmin, channel participation API)`,
        );
        await Promise.all(
            ordererJoins.map(({ osnadminTls }) =>
                runTool(state.binDir, 'osnadmin', [
                    'channel',
                    'join',
                    `--channelID=${state.channel}`,
                    `--config-block=${run.channelBlock}`,
                    ...osnadminTls,
                ]),
            ),
        );
    }
    progress.step(`Waiting for the ${state.ordering === 'BFT' ? 'BFT' : 'Raft'} leader`);
    await waitForLeader(
        ports.orderers.map((p) => p.operations),
        state.channel,
        state.ordering,
    );
    await Promise.all(orgs.map((org) => waitForPort(ports.peers[org.mspId].listen, `${org.mspId}'s peer`)));
    const joined = await Promise.all(
        orgs.map(async (org) =>
            fresh
                ? false
                : (await runTool(state.binDir, 'peer', ['channel', 'list'], peerAdminEnv(run, org, ports)))
                      .split('\n')
                      .includes(state.channel),
        ),
    );
    const joining = orgs.filter((_, i) => !joined[i]);
    if (joining.length > 0) {
        progress.step(
            `Joining ${joining.map((org) => org.mspId).join(', ')}'s peers to ${state.channel} (peer channel join, as each organization's admin)`,
        );
        await Promise.all(
            joining.map((org) =>
                runTool(
                    state.binDir,
                    'peer',
                    ['channel', 'join', '-b', run.channelBlock],
                    peerAdminEnv(run, org, ports),
                ),
            ),
        );
    }
}

/** Polls the orderers' metrics until one of them leads the channel (Raft), or all name a leader (BFT). */
async function waitForLeader(
    operationsPorts: number[],
    channel: string,
    ordering: Ordering,
    timeoutMs = 30_000,
): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const leader =
        ordering === 'BFT'
            ? new RegExp(`consensus_BFT_leader_id\\{channel="${channel}"\\} [1-9]`)
            : new RegExp(`consensus_etcdraft_is_leader\\{channel="${channel}"\\} 1`);
    const metrics = (port: number) =>
        fetch(`http://127.0.0.1:${port}/metrics`)
            .then((response) => response.text())
            .catch(() => '');
    while (Date.now() < deadline) {
        const found = await Promise.all(operationsPorts.map(async (port) => leader.test(await metrics(port))));
        if (ordering === 'BFT' ? found.every(Boolean) : found.some(Boolean)) {
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new NativeNetworkError(
        `Channel ${channel} has no ${ordering === 'BFT' ? 'BFT' : 'Raft'} leader after ${timeoutMs / 1000} s: see the orderer logs in .fabric/logs/`,
    );
}
