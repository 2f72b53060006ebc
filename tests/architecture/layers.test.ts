import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = path.join(__dirname, '..', '..');
const eslint = new ESLint({ cwd: ROOT });

/** The import-layer messages ESLint gives `code` as if it were the file at `file`. */
async function layerErrors(file: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
    return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

/** The layer rule of docs/architecture.md, enforced by eslint.config.mjs. */
describe('import layers', () => {
    it.each([
        ['network/api/src/probe.ts', "import { Level } from 'level';", /no LevelDB or gRPC/],
        ['network/api/src/probe.ts', "import { EmbeddedLedger } from '@zhelian/embedded';", /bottom layer/],
        ['network/api/src/probe.ts', "import { peer } from '@hyperledger/fabric-protos';", /types only/],
        ['network/embedded/src/ledger/probe.ts', "import { Orderer } from '../peer/orderer';", /layers point down/],
        [
            'network/embedded/src/ledger/couch/probe.ts',
            "import { Orderer } from '../../peer/orderer';",
            /layers point down/,
        ],
        [
            'network/embedded/src/chaincode/probe.ts',
            "import { LedgerStore } from '../ledger/store';",
            /layers point down/,
        ],
        [
            'network/embedded/src/peer/probe.ts',
            "import { ContractImpl } from '../client/contract';",
            /layers point down/,
        ],
        [
            'network/embedded/src/client/probe.ts',
            "import { EmbeddedLedger } from '../embedded-ledger';",
            /layers point down/,
        ],
        [
            'network/embedded/src/peer/probe.ts',
            "import { PeerServers } from '../grpc/peer-servers';",
            /layers point down/,
        ],
        [
            'network/embedded/src/grpc/probe.ts',
            "import { ContractImpl } from '../client/contract';",
            /layers point down/,
        ],
        [
            'network/embedded/src/grpc/probe.ts',
            "import { EmbeddedLedger } from '../embedded-ledger';",
            /layers point down/,
        ],
        ['network/embedded/src/probe.ts', "import { program } from '@zhelian/cli';", /@zhelian\/api only/],
        [
            'network/cli/src/probe.ts',
            "import { EmbeddedLedger } from '@zhelian/embedded';",
            /only through @zhelian\/api/,
        ],
        [
            'scripts/demo/probe.ts',
            "import { Contract } from '../../network/embedded/src/client/contract';",
            /src\/ or dist\//,
        ],
        [
            'tests/scenarios/probe.ts',
            "import { computeDraw } from 'zhelian/dist/lottery/draw';",
            /never another package/,
        ],
        ['tests/support/probe.ts', "import { openBackend } from '@zhelian/embedded';", /only through @zhelian\/api/],
        ['gateway/src/probe.ts', "import { EmbeddedLedger } from '@zhelian/embedded';", /only through @zhelian\/api/],
        ['gateway/src/probe.ts', "import { RemoteBackend } from '@zhelian/remote';", /only through @zhelian\/api/],
        ['network/remote/src/probe.ts', "import { startGateway } from '@zhelian/gateway';", /@zhelian\/api only/],
        ['network/fabric/src/probe.ts', "import { EmbeddedLedger } from '@zhelian/embedded';", /@zhelian\/api only/],
        ['network/native/src/probe.ts', "import { EmbeddedLedger } from '@zhelian/embedded';", /@zhelian\/fabric only/],
        [
            'tests/conformance/probe.ts',
            "import { FabricBackend } from '@zhelian/fabric';",
            /only through @zhelian\/api/,
        ],
        ['web/src/probe.ts', "import { openBackend } from '@zhelian/api';", /over HTTP only/],
        ['web/src/probe.ts', "import { startGateway } from '@zhelian/gateway';", /over HTTP only/],
        ['web/src/probe.ts', "import { computeDraw } from 'zhelian/lottery/draw';", /over HTTP only/],
        ['web/test/probe.ts', "import { connect } from '@hyperledger/fabric-gateway';", /over HTTP only/],
    ])('refuses in %s: %s', async (file, code, reason) => {
        const errors = await layerErrors(file, `${code}\nexport const used = [${code.match(/\{ (\w+) \}/)?.[1]}];\n`);
        expect(errors).toEqual([expect.stringMatching(reason)]);
    });

    it.each([
        ['network/api/src/probe.ts', "import type { peer } from '@hyperledger/fabric-protos';"],
        ['network/embedded/src/peer/probe.ts', "import { LedgerStore } from '../ledger/store';"],
        ['network/embedded/src/grpc/probe.ts', "import { GatewayService } from '../peer/gateway-service';"],
        ['network/embedded/src/probe.ts', "import { ZhelianError } from '@zhelian/api';"],
        ['network/cli/src/probe.ts', "import { openBackend } from '@zhelian/api';"],
        ['scripts/bench/probe.ts', "import { EmbeddedLedger } from '@zhelian/embedded';"],
        [
            'scripts/bench/probe.ts',
            "import { openRichQueryNetwork } from '@zhelian/embedded/test/support/rich-query-network';",
        ],
        ['tests/scenarios/probe.ts', "import { computeDraw } from 'zhelian/lottery/draw';"],
        ['gateway/src/probe.ts', "import { openBackend } from '@zhelian/api';"],
        ['network/remote/src/probe.ts', "import { ZhelianError } from '@zhelian/api';"],
        ['network/fabric/src/probe.ts', "import { ZhelianError } from '@zhelian/api';"],
        ['network/native/src/probe.ts', "import { FabricBackend } from '@zhelian/fabric';"],
        ['web/src/probe.ts', "import type { Winner } from 'zhelian/lottery/draw';"],
        ['web/test/probe.ts', "import { computeDraw } from 'zhelian/lottery/draw';"],
    ])('allows in %s: %s', async (file, code) => {
        expect(await layerErrors(file, `${code}\nexport type Used = unknown;\n`)).toEqual([]);
    });
});

/** ESLint reads no .vue files: their script blocks are held to the web layer's rule here. */
describe('import layers of the web UI’s components', () => {
    it('import nothing but the UI’s own modules and browser packages', async () => {
        const { readdirSync, readFileSync } = await import('node:fs');
        const web = path.join(ROOT, 'web', 'src');
        const files = readdirSync(web, { withFileTypes: true, recursive: true })
            .filter((entry) => entry.isFile() && entry.name.endsWith('.vue'))
            .map((entry) => path.join(entry.parentPath, entry.name));
        expect(files.length).toBeGreaterThan(10);
        const forbidden = files.flatMap((file) =>
            [...readFileSync(file, 'utf8').matchAll(/^import\s+(?!type\b)[^'"]*['"]([^'"]+)['"]/gm)]
                .map((match) => match[1])
                .filter((specifier) => /^(@zhelian\/|@hyperledger\/|fabric-|zhelian($|\/))/.test(specifier))
                .map((specifier) => `${path.relative(ROOT, file)}: ${specifier}`),
        );
        expect(forbidden).toEqual([]);
    });
});
