import js from '@eslint/js';
import globals from 'globals';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/*
 * Layers point down (docs/architecture.md). Each file belongs to one layer below; a layer lists
 * what it must not import. `no-restricted-imports` does not merge across config objects, so every
 * layer carries the rules that hold everywhere.
 */
const EVERYWHERE = [
    {
        group: ['@zhelian/*/src', '@zhelian/*/src/**', '@zhelian/*/dist', '@zhelian/*/dist/**', 'zhelian/dist/**'],
        message: "import a package by its name and exports, never another package's src/ or dist/",
    },
];
const ACROSS_PACKAGES = {
    group: [
        '**/network/*/src/**',
        '**/network/*/dist/**',
        '**/chaincode/src/**',
        '**/chaincode/dist/**',
        '**/gateway/src/**',
    ],
    message: "another package's src/ or dist/: import the package by name (@zhelian/api above the networks)",
};
const BACKENDS = {
    group: [
        '@zhelian/embedded',
        '@zhelian/embedded/**',
        '@zhelian/fabric',
        '@zhelian/fabric/**',
        '@zhelian/remote',
        '@zhelian/remote/**',
    ],
    message: 'above the networks, reach a network only through @zhelian/api (openBackend picks the backend)',
};
/** Within the embedded ledger, from the bottom up: each folder may not import the ones above it. */
const EMBEDDED_ABOVE = {
    msp: ['../chaincode', '../ledger', '../peer', '../client', '../grpc'],
    policy: ['../chaincode', '../ledger', '../peer', '../client', '../grpc', '../msp'],
    chaincode: ['../ledger', '../peer', '../client', '../grpc'],
    ledger: ['../peer', '../client', '../grpc'],
    peer: ['../client', '../grpc'],
    // Two rooms above peer/: in-process clients, and the network endpoints of Fabric's protocols.
    client: ['../grpc'],
    grpc: ['../client'],
};
const EMBEDDED_TOP = ['../embedded-ledger', '../explorer', '../backend', '../index'];
/** The same paths as seen from a folder one level deeper (e.g. `ledger/couch/` importing `../../peer`). */
const nestedToo = (paths) => [...paths, ...paths.map((p) => p.replace(/^\.\.\//, '../../'))];

function layer(files, patterns, paths = [], ignores = []) {
    return {
        files,
        ignores,
        rules: { 'no-restricted-imports': ['error', { paths, patterns: [...EVERYWHERE, ...patterns] }] },
    };
}

export default tseslint.config(
    { ignores: ['**/dist/**', '**/node_modules/**', '.zhelian/**', '.fabric/**', '.lab/**', 'coverage/**'] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        languageOptions: { globals: { ...globals.node } },
        rules: {
            '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
        },
    },
    {
        files: ['**/*.js', '**/*.cjs'],
        rules: { '@typescript-eslint/no-require-imports': 'off' },
    },
    layer(['**/*.ts'], []),
    // The seam: no network, no LevelDB, no gRPC at run time (protos' types are fine).
    layer(['network/api/src/**/*.test.ts', 'network/api/test/**/*.ts'], [ACROSS_PACKAGES]),
    layer(
        ['network/api/src/**/*.ts'],
        [
            ACROSS_PACKAGES,
            { group: ['@zhelian/*'], message: 'network/api is the bottom layer: it imports no other package of ours' },
            { group: ['level', 'classic-level', '@grpc/*'], message: 'network/api carries no LevelDB or gRPC' },
            {
                group: ['@hyperledger/*'],
                allowTypeImports: true,
                message: 'network/api may use Fabric packages for types only',
            },
        ],
        [],
        ['**/*.test.ts'],
    ),
    // Backends implement the seam and know nothing above it.
    layer(
        ['network/embedded/**/*.ts', 'network/fabric/**/*.ts', 'network/remote/**/*.ts'],
        [
            ACROSS_PACKAGES,
            { group: ['@zhelian/*', '!@zhelian/api'], message: 'a backend depends on @zhelian/api only' },
        ],
    ),
    ...Object.entries(EMBEDDED_ABOVE).map(([folder, above]) =>
        layer(
            [`network/embedded/src/${folder}/**/*.ts`],
            [
                ACROSS_PACKAGES,
                { group: ['@zhelian/*', '!@zhelian/api'], message: 'a backend depends on @zhelian/api only' },
                {
                    group: nestedToo([...above, ...above.map((dir) => `${dir}/**`), ...EMBEDDED_TOP]),
                    message: `embedded/${folder} sits below what this imports: layers point down (docs/architecture.md)`,
                },
            ],
        ),
    ),
    // The native network's scripts run a Fabric network: they use the Fabric backend's connection
    // description, chaincode packages and certificate issuer, by its package name.
    layer(
        ['network/native/**/*.ts'],
        [
            ACROSS_PACKAGES,
            {
                group: ['@zhelian/*', '!@zhelian/api', '!@zhelian/fabric'],
                message: 'the native network uses @zhelian/api and @zhelian/fabric only',
            },
        ],
    ),
    // Everything above the networks: the seam only.
    layer(['network/cli/**/*.ts', 'scripts/**/*.ts', 'tests/**/*.ts', 'gateway/**/*.ts'], [ACROSS_PACKAGES, BACKENDS]),
    // The web UI reaches the network over HTTP only: no package of ours, no Fabric client. It
    // recomputes draws with the chaincode's algorithm, taking only its types from zhelian/lottery/draw.
    layer(
        ['web/src/**/*.ts', 'web/scripts/**/*.ts'],
        [
            ACROSS_PACKAGES,
            { group: ['@zhelian/*', '@hyperledger/*', 'fabric-*'], message: 'web/ reaches the network over HTTP only' },
            {
                group: ['zhelian', 'zhelian/**'],
                allowTypeImports: true,
                message: 'web/ reaches the network over HTTP only (types of zhelian/lottery/draw are fine)',
            },
        ],
    ),
    // Its tests check the browser's draw against the chaincode's own module.
    layer(
        ['web/test/**/*.ts'],
        [
            ACROSS_PACKAGES,
            { group: ['@zhelian/*', '@hyperledger/*', 'fabric-*'], message: 'web/ reaches the network over HTTP only' },
        ],
    ),
    // The embedded benchmark measures that backend's own knobs (block cutting), by its package name.
    layer(['scripts/bench/**/*.ts'], [ACROSS_PACKAGES]),
    // Layout is Prettier's job (`npm run format`); eslint keeps to correctness.
    prettier,
);
