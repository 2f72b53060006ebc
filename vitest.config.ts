import { defineConfig } from 'vitest/config';

export default defineConfig({
    test: {
        include: [
            '**/src/**/*.test.ts',
            'tests/**/*.test.ts',
            'scripts/**/*.test.ts',
            'gateway/test/**/*.test.ts',
            'web/test/**/*.test.ts',
        ],
        exclude: ['**/node_modules/**', '**/dist/**'],
        testTimeout: 60_000,
        hookTimeout: 60_000,
        pool: 'forks',
    },
});
