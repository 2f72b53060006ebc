/**
 * `npm run demo`: a narrated scenario for the five applications against whichever network is
 * running — the embedded ledger in `.zhelian/` by default, the server `npm start` runs on it when
 * there is one, or real Fabric with `ZHELIAN_NETWORK=fabric`. Every step says who acts, and shows
 * its transaction id, block and validation code, or the refusal and the invariant it protects.
 * Ids are new on every run, so it can run again and again on the same ledger.
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { type Contract, type Gateway, type LedgerBackend, openBackend } from '@zhelian/api';
import type { RunContext } from './chapter';
import { Narrator } from './narrator';
import { runStep, StepFailed } from './run-step';
import { scenario } from './scenario';
import { chooseLanguage, t } from './text';

const CHAINCODE_DIR = path.join(__dirname, '..', '..', '..', 'chaincode');

const USAGE = `usage: npm run demo [-- --lang zh-CN|en]

Tells a scenario of the five applications on the running network, step by step.
  --lang L   zh-CN or en (default: from LANG, else en)
  ZHELIAN_NETWORK, ZHELIAN_DATA, ZHELIAN_URL, ZHELIAN_TOKEN pick the network as for npm start
`;

/** Whether the network defines chaincode zhelian now (not as described when it was opened). */
async function zhelianDefined(backend: LedgerBackend): Promise<boolean> {
    if (backend.describe().chaincodes.some((chaincode) => chaincode.name === 'zhelian')) {
        return true;
    }
    try {
        return ((await backend.lifecycle?.queryCommitted('zhelian')) ?? []).length > 0;
    } catch {
        return false;
    }
}

/**
 * The zhelian chaincode. Through a running server, the server deploys it as it starts: wait for it
 * (a second deployment at once would race the server's). On a network opened directly, deploy it
 * if it has none and the network can (a fresh embedded ledger).
 */
async function ensureChaincode(backend: LedgerBackend, say: (text: string) => void): Promise<void> {
    if (await zhelianDefined(backend)) {
        return;
    }
    if (backend.kind !== backend.describe().kind) {
        say('waiting for the server to deploy the zhelian chaincode …');
        for (let waited = 0; waited < 120; waited++) {
            await new Promise((resolve) => setTimeout(resolve, 1_000));
            if (await zhelianDefined(backend)) {
                return;
            }
        }
        throw new Error('the server has not deployed the zhelian chaincode in 2 minutes: see its console');
    }
    if (!backend.lifecycle) {
        throw new Error(`the ${backend.kind} network has no zhelian chaincode, and it cannot deploy it here`);
    }
    say('deploying the zhelian chaincode …');
    await backend.lifecycle.deploy({
        packageDir: CHAINCODE_DIR,
        name: 'zhelian',
        collections: path.join(CHAINCODE_DIR, 'collections_config.json'),
    });
}

async function main(): Promise<number> {
    const { values } = parseArgs({
        options: { lang: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
        strict: true,
    });
    if (values.help) {
        process.stdout.write(USAGE);
        return 0;
    }
    const language = chooseLanguage(values.lang);
    const backend = await openBackend();
    const gateways = new Map<string, Gateway>();
    let narrator: Narrator | undefined;
    try {
        const network = backend.describe();
        const say = (text: string): void => void process.stdout.write(`${text}\n`);
        // Through a running server (remote), the network is the one the server serves.
        const via = backend.kind === network.kind ? '' : ` · through the ${backend.kind} server`;
        say(`浙链 Zhelian — ${network.kind} · ${network.location} · channel ${network.channel}${via}`);
        await ensureChaincode(backend, say);
        const identities = await backend.identities();
        const labels = new Map(
            identities.map((identity) => {
                const who = `${identity.mspId}:${identity.name}`;
                return [who, identity.attrs.unit ? `${identity.attrs.unit} (${who})` : who] as const;
            }),
        );
        const latencies: number[] = [];
        const run: RunContext = {
            tag: randomBytes(4).readUInt32BE().toString(36).toUpperCase().padStart(7, '0'),
            now: () => Date.now(),
            commitLatencyMs: () => latencies.reduce((sum, ms) => sum + ms, 0) / (latencies.length || 1),
        };
        const chapters = scenario(run);
        const total = chapters.reduce((sum, chapter) => sum + chapter.steps.length, 0);
        narrator = new Narrator({ language, total, labels });
        narrator.say(t(`本次运行编号 ${run.tag}（每次运行都用新的编号）`, `run ${run.tag} (every run uses new ids)`));

        const contract = async (who: string, name: string): Promise<Contract> => {
            let gateway = gateways.get(who);
            if (!gateway) {
                const [mspId, user] = who.split(':');
                gateway = await backend.connect({ mspId, name: user });
                gateways.set(who, gateway);
            }
            return gateway.getNetwork(network.channel).getContract('zhelian', name);
        };
        const counts = { committed: 0, refused: 0, evaluated: 0, skipped: 0 };
        const blocks: bigint[] = [];
        const started = Date.now();
        for (const chapter of chapters) {
            narrator.chapter(chapter);
            for (const step of chapter.steps) {
                const wait = step.waitUntil?.();
                if (wait) {
                    await narrator.wait(wait.at, wait.for);
                }
                const began = Date.now();
                const outcome = await runStep(step, await contract(step.actor, chapter.contract));
                counts[outcome.kind]++;
                if (outcome.kind === 'committed') {
                    blocks.push(outcome.blockNumber);
                    latencies.push(Date.now() - began);
                }
                narrator.step(step, chapter.contract, outcome);
            }
        }
        const seconds = Math.round((Date.now() - started) / 1000);
        const range = blocks.length ? `${blocks[0]}–${blocks[blocks.length - 1]}` : '–';
        narrator.say('');
        narrator.say(
            t(
                `完成：${counts.committed} 笔交易进入区块 ${range}，${counts.refused} 次拒绝（都在背书时被拒，未进入区块），${counts.evaluated} 次查询，用时 ${seconds} 秒。`,
                `Done: ${counts.committed} transactions committed in blocks ${range}, ${counts.refused} refusals (all at endorsement, none in a block), ${counts.evaluated} queries, in ${seconds} s.`,
            ),
        );
        narrator.say(
            t(
                '查看任一笔交易：npx zhelian tx <交易ID>；浏览器：npm start 打印的地址，区块浏览器页面',
                'Look at any transaction: npx zhelian tx <txId>; or in the browser: the address npm start prints, explorer page',
            ),
        );
        return 0;
    } catch (err) {
        narrator?.stop();
        narrator = undefined;
        const reason = err instanceof StepFailed ? 'the demo went off script' : 'the demo stopped';
        process.stderr.write(`zhelian demo: ${reason}: ${(err as Error).message}\n`);
        return 1;
    } finally {
        narrator?.stop();
        gateways.forEach((gateway) => gateway.close());
        await backend.close();
    }
}

main().then(
    (code) => process.exit(code),
    (err: unknown) => {
        process.stderr.write(`zhelian demo: ${(err as Error).message}\n`);
        process.exit(1);
    },
);
