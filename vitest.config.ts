import { defineConfig } from 'vitest/config';

/**
 * The five applications' scenario suites, which run a second time on a CouchDB state database
 * (the `couchdb` project): the same chaincode must behave the same on both of Fabric's state
 * databases. tests/support/scenario.ts reads the project's `stateDatabase`.
 */
const APPLICATION_SCENARIOS = ['einvoice', 'lottery', 'tea', 'timebank', 'evidence'].map(
    (app) => `tests/scenarios/${app}.test.ts`,
);

export default defineConfig({
    test: {
        exclude: ['**/node_modules/**', '**/dist/**'],
        testTimeout: 60_000,
        hookTimeout: 60_000,
        pool: 'forks',
        projects: [
            {
                extends: true,
                test: {
                    name: 'zhelian',
                    include: [
                        '**/src/**/*.test.ts',
                        'tests/**/*.test.ts',
                        'scripts/**/*.test.ts',
                        'gateway/test/**/*.test.ts',
                        'web/test/**/*.test.ts',
                    ],
                },
            },
            {
                extends: true,
                test: {
                    name: 'couchdb',
                    include: APPLICATION_SCENARIOS,
                    provide: { stateDatabase: 'couchdb' },
                },
            },
        ],
    },
});
