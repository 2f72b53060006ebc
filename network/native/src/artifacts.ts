import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NativeNetworkError } from './errors';
import { CONFIG_DIR, type RunDir } from './paths';
import type { Progress } from './progress';
import type { NetworkState } from './state';
import { runTool } from './tools';
import type { NativeOrg } from './topology';

/**
 * What a new network is made of before anything runs: its certificates (cryptogen), its
 * channel's genesis block (configtxgen, from configtx.yaml rendered for its ports and ordering),
 * and the nodes' config files for its Fabric version.
 */

/** Certificates and the channel's genesis block of a new network, in a clean run dir. */
export async function createArtifacts(run: RunDir, state: NetworkState, orgs: NativeOrg[], progress: Progress) {
    progress.step('Generating certificates (cryptogen: orderer and four organizations, TLS with 127.0.0.1)');
    // A new network: nothing of an earlier, unfinished one may mix with it (cryptogen keeps old files).
    for (const dir of [
        run.crypto,
        run.config,
        path.dirname(run.channelBlock),
        run.wallet,
        run.chaincode,
        run.nodeDir(''),
    ]) {
        await rm(dir, { recursive: true, force: true });
    }
    await mkdir(run.root, { recursive: true });
    const cryptoConfigs = ['crypto-config.yaml', ...(state.ordering === 'BFT' ? ['crypto-config-bft.yaml'] : [])];
    for (const file of cryptoConfigs) {
        await runTool(state.binDir, 'cryptogen', [
            'generate',
            `--config=${path.join(CONFIG_DIR, file)}`,
            `--output=${run.crypto}`,
        ]);
    }
    const bft = state.ordering === 'BFT';
    progress.step(
        `Writing the genesis block of channel ${state.channel} (configtxgen, ${bft ? 'BFT, one orderer per organization' : 'Raft'}, BatchTimeout ${state.batchTimeout})`,
    );
    await mkdir(run.config, { recursive: true });
    // The template holds both profiles: the BFT ports follow the first orderer's, ten apart.
    const firstOrderer = state.ports.orderers[0].listen;
    const values: Record<string, string> = {
        ORDERER_PORT: String(firstOrderer),
        ...Object.fromEntries(orgs.map((org, i) => [`BFT_PORT_${org.key}`, String(firstOrderer + 10 * i)])),
        BATCH_TIMEOUT: state.batchTimeout,
        CHANNEL_CAPABILITY: state.fabricVersion.startsWith('2.') ? 'V2_0' : 'V3_0',
        ...Object.fromEntries(orgs.map((org) => [`PEER_PORT_${org.key}`, String(state.ports.peers[org.mspId].listen)])),
    };
    const template = await readFile(path.join(CONFIG_DIR, 'configtx.yaml'), 'utf8');
    await writeFile(path.join(run.config, 'configtx.yaml'), render(keepSections(template, { bft }), values));
    await mkdir(path.dirname(run.channelBlock), { recursive: true });
    await runTool(
        state.binDir,
        'configtxgen',
        [
            '-profile',
            bft ? 'ZhelianBFT' : 'ZhelianRaft',
            '-outputBlock',
            run.channelBlock,
            '-channelID',
            state.channel,
            '-configPath',
            run.config,
        ],
        { ...process.env, FABRIC_LOGGING_SPEC: 'warning' },
    );
}

/**
 * Keeps or drops a config file's marked sections: the lines from `# {name}` to `# {/name}` stay
 * when `sections[name]` is true (markers included, as comments) and go otherwise.
 */
export function keepSections(text: string, sections: Record<string, boolean>): string {
    return text.replace(/^ *# \{(\w+)\}.*\n[\s\S]*?^ *# \{\/\1\}\n/gm, (section, name: string) =>
        sections[name] ? section : '',
    );
}

/**
 * The peers' core.yaml and the orderers' orderer.yaml for this network's Fabric version, in the
 * run dir's config/ (FABRIC_CFG_PATH): each with its version's sections (`# {fabric2}`, `# {fabric3}`).
 */
export async function writeNodeConfig(run: RunDir, fabricVersion: string): Promise<void> {
    await mkdir(run.config, { recursive: true });
    for (const file of ['core.yaml', 'orderer.yaml']) {
        const text = await readFile(path.join(CONFIG_DIR, file), 'utf8');
        const fabric2 = fabricVersion.startsWith('2.');
        await writeFile(path.join(run.config, file), keepSections(text, { fabric2, fabric3: !fabric2 }));
    }
}

/** Replaces each `${NAME}` of a template; a name without a value is an error, not an empty string. */
export function render(template: string, values: Record<string, string>): string {
    return template.replace(/\$\{([A-Z0-9_]+)\}/g, (_, name: string) => {
        if (!(name in values)) {
            throw new NativeNetworkError(`configtx.yaml asks for \${${name}}, which up does not set`);
        }
        return values[name];
    });
}
